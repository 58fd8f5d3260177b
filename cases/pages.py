"""What a case page shows, read in a fixed number of queries whatever the size of the case."""

import datetime

from incidents.models import Charge, Incident, pseudonym
from sources.models import attach_public_citations, number_sources

from .models import Case, CaseStage, CustodyPeriod, Sentence

# A person page lists this many of their cases; the incidents listed below it lead to the others.
CASES_SHOWN = 25
# For rows without a date of their own: after every dated row of their incident.
UNDATED = datetime.date.max


def public_contents(case: Case) -> dict:
    """The case's public incidents, charges, stages, sentences and custody periods, each row with
    its `public_citations` and its person's `case_person_name`, plus the timeline of all of
    them, the numbered sources and the case's own citations by claim."""
    incidents = list(Incident.objects.public().filter(cases=case).select_related("incident_type"))
    charges = list(
        Charge.objects.public()
        .filter(case_link__case=case)
        .select_related("person", "provision__jurisdiction", "incident")
        .order_by("person__name", "incident__period_start", "pk")
    )
    stages = list(
        CaseStage.objects.public().filter(case=case).select_related("court", "judge", "prosecutor", "incident")
    )
    sentences = list(Sentence.objects.public().filter(case=case).select_related("person", "court", "incident"))
    custody = list(CustodyPeriod.objects.public().filter(case=case).select_related("person", "facility", "incident"))
    rows = [*charges, *stages, *sentences, *custody]
    attach_public_citations([case, *rows])
    name_people([*charges, *sentences, *custody])
    today = datetime.date.today()
    for period in custody:
        period.status_unknown = period.status_unknown_on(today)
    claims: dict[str, list] = {}
    for citation in case.public_citations:
        claims.setdefault(citation.claim, []).append(citation)
    return {
        "incidents": incidents,
        "defendants": defendants(charges, sentences),
        "stages": stages,
        "sentences": sentences,
        "custody_periods": custody,
        "timeline": timeline(incidents, stages, sentences, custody),
        "sources": number_sources([*case.public_citations, *(c for row in rows for c in row.public_citations)]),
        "claims": claims,
    }


def name_people(rows) -> None:
    """Each row's `case_person_name`: the name, or "Person A", "Person B"… for people without
    consent, in order of first appearance on the page, as on incident pages (a name of its own:
    a charge has `public_person_name`, its incident's)."""
    names: dict[int, str] = {}
    pseudonyms = 0
    for row in rows:
        if row.person_id not in names:
            if row.person.consent_to_publish:
                names[row.person_id] = row.person.name
            else:
                names[row.person_id] = pseudonym(pseudonyms)
                pseudonyms += 1
        row.case_person_name = names[row.person_id]


def defendants(charges, sentences) -> list[dict]:
    """One entry per defendant, in order of name: their charges and their sentences."""
    by_person: dict[int, dict] = {}
    for row in [*charges, *sentences]:
        entry = by_person.setdefault(
            row.person_id, {"person": row.person, "name": row.case_person_name, "charges": [], "sentences": []}
        )
        entry["charges" if isinstance(row, Charge) else "sentences"].append(row)
    return list(by_person.values())


def timeline(incidents, stages, sentences, custody) -> list[dict]:
    """Everything dated in the case, oldest first; a row without a date of its own sits at its incident's date."""
    entries = [{"on": incident.period_start, "kind": "incident", "record": incident} for incident in incidents]
    for stage in stages:
        on = stage.start_date or stage.end_date or stage.incident.period_start
        entries.append({"on": on, "kind": "stage", "record": stage, "when": stage.date_display})
    for sentence in sentences:
        on = sentence.judgment_date or sentence.incident.period_start
        entries.append({"on": on, "kind": "sentence", "record": sentence, "when": sentence.judgment_date_display})
    for period in custody:
        entries.append({"on": period.period_start, "kind": "custody", "record": period, "when": period.date_display})
        if period.end_date:
            entries.append({"on": period.end_date, "kind": "release", "record": period, "when": period.end_display})
    order = {"incident": 0, "stage": 1, "custody": 2, "sentence": 3, "release": 4}
    return sorted(entries, key=lambda entry: (entry["on"], order[entry["kind"]]))


def custody_of(person, incidents=()) -> dict:
    """A person page's custody timeline, oldest first, and the public cases that sentenced or hold
    them; each charge of theirs on the page (`incidents`' `charges_of_person`) gets its `public_case`.

    `held`, for a person held today as far as a recent source says: the period that covers today,
    the first day of their unbroken custody and the days since. An open period with no news for 12
    months is marked `status_unknown` instead.
    """
    today = datetime.date.today()
    periods = list(
        CustodyPeriod.objects.public()
        .filter(person=person)
        .select_related("facility", "case")
        .order_by("period_start", "pk")
    )
    held = None
    for period in periods:
        period.status_unknown = period.status_unknown_on(today)
        if period.is_open and not period.status_unknown and period.start_date <= today:
            since_period = next(row for row in periods if row.pk == period.custody_since_period_id)
            held = {"period": period, "since": since_period, "days": (today - period.custody_since).days + 1}
    attach_public_cases([charge for incident in incidents for charge in incident.charges_of_person])
    cases = list(Case.objects.of_defendant(person).order_by("-pk")[: CASES_SHOWN + 1])
    return {
        "custody_periods": periods,
        "held": held,
        "cases": cases[:CASES_SHOWN],
        "more_cases": len(cases) > CASES_SHOWN,
    }


def attach_public_cases(charges) -> None:
    """Each charge's `public_case`: the public case it belongs to, or None; one query for all."""
    case_ids = {charge.case_link.case_id for charge in charges if hasattr(charge, "case_link")}
    public = Case.objects.public().in_bulk(case_ids) if case_ids else {}
    for charge in charges:
        link = getattr(charge, "case_link", None)
        charge.public_case = public.get(link.case_id) if link else None
