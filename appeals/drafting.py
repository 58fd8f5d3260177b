"""An appeal's first draft, written from verified facts only.

Everything comes through the public rules (`Incident.objects.public()`, the rows' own `public()`),
so a draft holds nothing a public page would not: no confidential record, field or source, and
people who did not consent to their name are "Person A", "Person B"… across the whole appeal.
Each fact carries the numbers of the public sources behind it, listed at the end.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext

from cases.models import CaseStage, CustodyPeriod
from cases.pages import name_people
from incidents.models import Charge, Incident, IncidentLink, Involvement
from people.models import NameVariant
from sources.models import attach_public_citations, number_sources

from .models import Appeal

TEMPLATE_FILES = {
    Appeal.Template.UN_COMMUNICATION: "appeals/drafts/un_communication.md",
    Appeal.Template.PRESS_RELEASE: "appeals/drafts/press_release.md",
    Appeal.Template.AUTHORITY_LETTER: "appeals/drafts/authority_letter.md",
}


def candidate_incidents(*, incident=None, case=None, person=None):
    """The public incidents an appeal about this subject may include: an incident and those linked
    to it, a case's incidents, or a person's."""
    public = Incident.objects.public()
    if incident is not None:
        links = IncidentLink.objects.filter(Q(from_incident=incident) | Q(to_incident=incident))
        linked = {incident.pk} | {pk for link in links for pk in (link.from_incident_id, link.to_incident_id)}
        return public.filter(pk__in=linked)
    if case is not None:
        return public.filter(cases=case, cases__confidential=False)
    return public.involving(person=person)


@dataclass
class Party:
    """A victim or a perpetrator, once however many incidents name them."""

    name: str
    occupation: str = ""
    descriptions: list = field(default_factory=list)
    citation_numbers: list = field(default_factory=list)

    @property
    def description(self) -> str:
        return "; ".join(dict.fromkeys(self.descriptions))


def parties(rows) -> list[Party]:
    """One entry per actor, in order of first appearance, with what each row says of them."""
    by_name: dict[str, Party] = {}
    for row in rows:
        person = row.person if row.person_id else None
        occupation = person.occupation if person and person.consent_to_publish else ""
        party = by_name.setdefault(row.appeal_name, Party(name=row.appeal_name, occupation=occupation))
        if row.description:
            party.descriptions.append(row.description)
        party.citation_numbers = sorted({*party.citation_numbers, *row.citation_numbers})
    return list(by_name.values())


@dataclass
class Facts:
    """What an appeal may state, each row with its `citation_numbers`."""

    incidents: list = field(default_factory=list)
    victims: list = field(default_factory=list)
    perpetrators: list = field(default_factory=list)
    charges: list = field(default_factory=list)
    stages: list = field(default_factory=list)
    custody: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    untranslated: bool = False
    lead: object = None

    @property
    def victim_names(self) -> str:
        return "; ".join(victim.name for victim in self.victims)


def gather_facts(incidents, language: str, today: datetime.date, lead=None) -> Facts:
    """The verified, public facts of these incidents and of the public cases about them, in the
    appeal's language where a translation exists; one numbered list of sources for all. The
    `lead` incident, when included, opens a press release; otherwise the latest one does."""
    with translation.override(language):
        chosen = list(
            Incident.objects.filter(pk__in=[incident.pk for incident in incidents])
            .with_public_actors_and_charges()
            .select_related("incident_type", "place")
            .order_by("period_start", "pk")
        )
        ids = [incident.pk for incident in chosen]
        stages = list(
            CaseStage.objects.public()
            .filter(incident__in=ids)
            .select_related("court", "incident")
            .order_by("start_date", "pk")
        )
        rows = [row for incident in chosen for row in [*incident.public_involvements, *incident.public_charges]]
        victims = [row for row in rows if isinstance(row, Involvement) and row.role == Involvement.Role.VICTIM]
        custody = list(
            CustodyPeriod.objects.public()
            .filter(person__in={row.person_id for row in victims if row.person_id}, end_date__isnull=True)
            .select_related("person", "facility")
            .order_by("period_start", "pk")
        )
        attach_public_citations([*chosen, *rows, *stages, *custody])
        sources = number_sources(
            [citation for record in [*chosen, *rows, *stages, *custody] for citation in record.public_citations]
        )
        for record in [*chosen, *rows, *stages, *custody]:
            record.citation_numbers = sorted({citation.number for citation in record.public_citations})
        name_in_language(rows + custody, language)
        untranslated = False
        for incident in chosen:
            translated = incident.translation_for_reader()
            untranslated |= translated is None and incident.language != language
            incident.appeal_title = translated.title if translated else incident.title
            incident.appeal_summary = translated.summary if translated else incident.summary
            incident.place_names = ", ".join(dict.fromkeys(place.label for place in reversed(incident.place_trail())))
        for period in custody:
            period.status_unknown = period.status_unknown_on(today)
        return Facts(
            incidents=chosen,
            victims=parties(victims),
            perpetrators=parties(
                row for row in rows if isinstance(row, Involvement) and row.role == Involvement.Role.PERPETRATOR
            ),
            charges=[row for row in rows if isinstance(row, Charge)],
            stages=stages,
            custody=custody,
            sources=sources,
            untranslated=untranslated,
            lead=next((incident for incident in chosen if lead is not None and incident.pk == lead.pk), chosen[-1]),
        )


def name_in_language(rows, language: str) -> None:
    """Each row's `appeal_name`: one name per person across the appeal, written in the appeal's
    language where a spelling in it was recorded, and a pseudonym for people without consent."""
    people_rows = [row for row in rows if getattr(row, "person_id", None)]
    name_people(people_rows)
    spellings = dict(
        NameVariant.objects.filter(
            person__in={row.person_id for row in people_rows if row.person.consent_to_publish},
            language=language,
            kind=NameVariant.Kind.TRANSLITERATION,
        ).values_list("person_id", "name")
    )
    for row in rows:
        if getattr(row, "person_id", None):
            consents = row.person.consent_to_publish
            row.appeal_name = spellings.get(row.person_id, row.case_person_name) if consents else row.case_person_name
        else:
            row.appeal_name = row.public_actor_name


def draft_text(*, template: str, language: str, facts: Facts, today: datetime.date) -> tuple[str, str]:
    """The title and the Markdown text of a first draft."""
    with translation.override(language):
        text = render_to_string(TEMPLATE_FILES[template], {"facts": facts, "today": today})
        title = gettext("%(template)s: %(incident)s") % {
            "template": capfirst(Appeal.Template(template).label),
            "incident": facts.lead.appeal_title,
        }
    return title[:300], tidy(text)


def tidy(text: str) -> str:
    """No run of blank lines longer than one, no trailing spaces: templates leave both behind."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept = [line for index, line in enumerate(lines) if line or (index and lines[index - 1])]
    return "\n".join(kept) + "\n"
