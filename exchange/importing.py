"""Importing incidents with their actors, charges and sources from a file in the layout
(`exchange.layout`): every row checked first, then written as one batch, undone as one.

`check` reads every row against the database and says what it would do with it: create an
incident, update one, leave one unchanged, or why it cannot (each error names the row, the
column, the value and the reason). It writes nothing: it is the dry run, and `write` starts
from what it found.

The rules a user can count on:
- A row with a `public_id` updates that incident; one without updates the incident with the
  same title, date and place if there is one, so importing a file twice changes nothing.
- An import adds actors, charges and sources to an incident, changes a charge's status and
  replaces the fields it gives; it never removes anything, and an empty cell leaves the field
  as it is.
- Names of people and organisations are matched by any of their spellings, folded as the search
  folds them. A name that matches nothing is an error, unless missing records may be created.
- New incidents are drafts; a change to a published incident becomes a correction, which goes
  through review like one typed in. Nothing an import does is public until a verifier says so.
"""

import datetime
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.dates import DatePrecision
from core.partial_dates import parse_partial_date
from core.text import normalise_name
from incidents import workflow
from incidents.models import Charge, Incident, IncidentType, Involvement, LegalProvision
from incidents.search import refresh_search_text
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person
from places.models import Place, PlaceName
from sources.models import Citation, Source

from .layout import LIST_SEPARATOR
from .models import ImportBatch, ImportedIncident
from .reading import ImportFile

ROLES = Involvement.Role.values
CHARGE_STATUSES = Charge.Status.values
# Rows written per transaction: a failure loses no more than this, and locks stay short.
WRITE_CHUNK = 500


class Outcome:
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        return _("Row %(row)s, column %(column)s, “%(value)s”: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Missing:
    """A record named in the file that does not exist yet, created on import when allowed."""

    kind: str  # person, organisation, place, source
    name: str

    @property
    def key(self) -> tuple[str, str]:
        return self.kind, normalise_name(self.name) if self.kind != "source" else self.name


@dataclass
class Plan:
    """What one row does to its incident."""

    incident: Incident | None
    fields: dict = field(default_factory=dict)
    involvements: list[tuple] = field(default_factory=list)  # (role, person, organisation, unidentified)
    charges: list[tuple] = field(default_factory=list)  # (person, provision, status)
    status_changes: list[tuple[Charge, str]] = field(default_factory=list)
    sources: list = field(default_factory=list)

    def changes_anything(self) -> bool:
        return bool(self.fields or self.involvements or self.charges or self.status_changes or self.sources)


@dataclass
class RowResult:
    number: int
    title: str
    outcome: str
    errors: list[RowError] = field(default_factory=list)
    plan: Plan | None = None
    public_id: str = ""


@dataclass
class Check:
    rows: list[RowResult]
    missing: set[Missing]

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def errors(self) -> list[RowError]:
        return [error for row in self.rows for error in row.errors]

    def summary(self) -> dict[str, int]:
        return {
            outcome: self.count(outcome)
            for outcome in (Outcome.CREATED, Outcome.UPDATED, Outcome.UNCHANGED, Outcome.ERROR)
        }


class Lookups:
    """The records a file names, read once for the whole file, by folded name."""

    def __init__(self, imported: ImportFile):
        rows = imported.rows
        self.types = self.incident_types()
        self.provisions = self.legal_provisions()
        self.incidents = {
            str(incident.public_id): incident
            for incident in Incident.objects.filter(
                public_id__in=[row["public_id"] for row in rows if is_uuid(row.get("public_id", ""))]
            )
        }
        actor_names = {normalise_name(name) for row in rows for name in actor_names_of(row)} - {""}
        self.people = self.named(Person, NameVariant, "person", actor_names)
        self.organisations = self.named(Organisation, OrganisationAlias, "organisation", actor_names)
        self.places = self.places_named({normalise_name(row.get("place", "")) for row in rows} - {""})
        self.sources = self.sources_named({name for row in rows for name in as_list(row.get("cited_sources"))})

    @staticmethod
    def incident_types() -> dict[str, IncidentType]:
        found = {}
        for incident_type in IncidentType.objects.all():
            for name in (incident_type.name, incident_type.name_ru, incident_type.name_kk, incident_type.slug):
                if name:
                    found[normalise_name(name)] = incident_type
        return found

    @staticmethod
    def legal_provisions() -> dict[str, LegalProvision]:
        found = {}
        provisions = list(LegalProvision.objects.select_related("jurisdiction"))
        for language in dict.fromkeys([settings.LANGUAGE_CODE, *(code for code, _name in settings.LANGUAGES)]):
            with translation.override(language):
                for provision in provisions:
                    found.setdefault(normalise_name(provision.reference), provision)
        for provision in provisions:
            found[normalise_name(provision.slug)] = provision
        return found

    @staticmethod
    def named(model, variant_model, owner: str, names: set[str]) -> dict[str, set[int]]:
        """Ids of the records with each of these folded names, as their name or as a variant."""
        found = defaultdict(set)
        names = sorted(names)
        for start in range(0, len(names), 500):
            chunk = names[start : start + 500]
            for pk, name in model.objects.filter(name_normalised__in=chunk).values_list("pk", "name_normalised"):
                found[name].add(pk)
            for pk, name in variant_model.objects.filter(normalised__in=chunk).values_list(owner, "normalised"):
                found[name].add(pk)
        return found

    @staticmethod
    def places_named(names: set[str]) -> dict[str, list[Place]]:
        found = defaultdict(dict)
        for name in names:
            words = name.split()
            candidates = Place.objects.filter(names_normalised__contains=words[0]) if words else Place.objects.none()
            for place in candidates:
                if name in {normalise_name(text) for text in (place.name, place.name_en, place.name_ru, place.name_kk)}:
                    found[name][place.pk] = place
            for place_name in PlaceName.objects.filter(normalised=name).select_related("place"):
                found[name][place_name.place.pk] = place_name.place
        return {name: list(places.values()) for name, places in found.items()}

    @staticmethod
    def sources_named(names: set[str]) -> dict[str, list[Source]]:
        found = defaultdict(list)
        if not names:
            return found
        by_title = {normalise_name(name): name for name in names}
        for source in Source.objects.filter(url__in=names):
            found[source.url].append(source)
        titles = Source.objects.filter(title__in=names)
        for source in titles:
            if source not in found[by_title.get(normalise_name(source.title), source.title)]:
                found[by_title.get(normalise_name(source.title), source.title)].append(source)
        return found


def is_uuid(value) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def as_list(value) -> list[str]:
    if not value:
        return []
    return value if isinstance(value, list) else [value]


def actor_names_of(row: dict) -> list[str]:
    names = [*as_list(row.get("people")), *as_list(row.get("organisations"))]
    names += [role_and_name(item)[1] for item in with_roles(as_list(row.get("actors_by_role")))]
    names += [charge_parts(item)[0] for item in as_list(row.get("charges"))]
    return [name for name in names if name]


def with_roles(items: list[str]) -> list[str]:
    """The "role: name" items of a cell, an item that starts with no role taken as the rest of
    the one before: a description of someone unidentified may itself hold "; "."""
    joined = []
    for item in items:
        if joined and role_and_name(item)[0] not in ROLES:
            joined[-1] = f"{joined[-1]}{LIST_SEPARATOR}{item}"
        else:
            joined.append(item)
    return joined


def role_and_name(item: str) -> tuple[str, str]:
    role, separator, name = item.partition(":")
    return (role.strip().lower(), name.strip()) if separator else ("", item.strip())


def charge_parts(item: str) -> tuple[str, str, str]:
    """ "Person: provision (status)" as its three parts; a missing part is empty."""
    person, _separator, rest = item.partition(":")
    rest = rest.strip()
    status = ""
    if rest.endswith(")") and "(" in rest:
        rest, _open, status = rest[:-1].rpartition("(")
    return person.strip(), rest.strip(), status.strip().lower()


class RowChecker:
    """Works out one row's plan against the database, collecting every error of the row."""

    def __init__(self, lookups: Lookups, *, create_missing: bool, number: int, row: dict, missing: set):
        self.lookups = lookups
        self.create_missing = create_missing
        self.number = number
        self.row = row
        self.missing = missing
        self.errors: list[RowError] = []

    def error(self, column: str, value, reason: str) -> None:
        shown = LIST_SEPARATOR.join(value) if isinstance(value, list) else str(value)
        self.errors.append(RowError(self.number, column, shown, reason))

    def check(self) -> RowResult:
        row = self.row
        incident = self.incident()
        plan = Plan(incident=incident)
        values = self.scalar_values(incident)
        involvements = self.involvements(incident)
        charges = self.charges(incident)
        sources = self.sources()
        title = row.get("title", "")
        if self.errors:
            return RowResult(self.number, title, Outcome.ERROR, self.errors, public_id=row.get("public_id", ""))
        plan.fields, plan.involvements, plan.charges, plan.sources = values, involvements, charges, sources
        return RowResult(self.number, title, Outcome.CREATED, plan=plan)

    def incident(self) -> Incident | None:
        public_id = self.row.get("public_id", "")
        if public_id:
            incident = self.lookups.incidents.get(public_id) if is_uuid(public_id) else None
            if incident is None:
                self.error("public_id", public_id, _("No incident has this public identifier."))
                return None
            return self.editable(incident)
        return None

    def editable(self, incident: Incident) -> Incident | None:
        if incident.status == Incident.Status.RETRACTED:
            self.error(
                "public_id", self.row["public_id"], _("This incident was retracted; an import cannot change it.")
            )
            return None
        if incident.revision_of_id:
            self.error(
                "public_id", self.row["public_id"], _("This is a proposed correction; give the published incident's.")
            )
            return None
        return incident

    def scalar_values(self, incident: Incident | None) -> dict:
        row, values = self.row, {}
        if row.get("title"):
            values["title"] = row["title"]
        elif incident is None:
            self.error("title", "", _("A new incident needs a title."))
        if row.get("summary"):
            values["summary"] = row["summary"]
        type_name = row.get("type", "")
        if type_name:
            incident_type = self.lookups.types.get(normalise_name(type_name))
            if incident_type is None:
                self.error("type", type_name, _("No incident type has this name."))
            else:
                values["incident_type"] = incident_type
        elif incident is None:
            self.error("type", "", _("A new incident needs a type."))
        values.update(self.dating(incident))
        place = self.place()
        if place is not None:
            values["place"] = place
        return values

    def dating(self, incident: Incident | None) -> dict:
        row = self.row
        if row.get("start_date"):
            start = self.partial_date("start_date", approximate_allowed=True)
            end = self.partial_date("end_date", approximate_allowed=True) if row.get("end_date") else None
            if start is None:
                return {}
            values = {
                "start_date": start.date,
                "start_precision": start.precision,
                "dates_approximate": start.approximate or bool(end and end.approximate),
            }
            if end is not None:
                if end.date < start.date:
                    self.error("end_date", row["end_date"], _("The end is before the start."))
                values.update(end_date=end.date, end_precision=end.precision)
            return values
        if row.get("period_start"):
            return self.dating_from_period(incident)
        if incident is None:
            self.error("start_date", "", _("A new incident needs its date."))
        return {}

    def partial_date(self, column: str, *, approximate_allowed: bool):
        text = self.row[column]
        try:
            parsed = parse_partial_date(text)
        except ValueError:
            self.error(column, text, _("This is not a day of the calendar."))
            return None
        if parsed is None:
            self.error(column, text, _("Write a year (2024), a month (2024-03) or a day (2024-03-08)."))
        return parsed

    def dating_from_period(self, incident: Incident | None) -> dict:
        """The export's first and last day read back: an incident dated so is left as it is; a new
        one gets the precision the period shows (a whole year, a whole month, or days)."""
        try:
            start = datetime.date.fromisoformat(self.row["period_start"])
            end = datetime.date.fromisoformat(self.row["period_end"]) if self.row.get("period_end") else None
        except ValueError as error:
            self.error("period_start", self.row["period_start"], str(error))
            return {}
        if (
            incident is not None
            and incident.period_start == start
            and (incident.period_end == end or (end is None and incident.ongoing))
        ):
            return {}
        if end is None:
            return {"start_date": start, "start_precision": DatePrecision.DAY, "ongoing": True}
        precision = period_precision(start, end)
        if precision:
            return {"start_date": start, "start_precision": precision}
        return {
            "start_date": start,
            "start_precision": DatePrecision.DAY,
            "end_date": end,
            "end_precision": DatePrecision.DAY,
        }

    def place(self) -> Place | Missing | None:
        name = self.row.get("place", "")
        if not name:
            return None
        places = self.lookups.places.get(normalise_name(name), [])
        if len(places) > 1:
            places = self.narrowed(places)
        if len(places) == 1:
            return places[0]
        if len(places) > 1:
            self.error(
                "place",
                name,
                _("Several places have this name (%(places)s): give the region or the country too.")
                % {"places": ", ".join(place.label for place in places[:5])},
            )
            return None
        return self.missing_record("place", "place", name, _("No place has this name."))

    def narrowed(self, places: list[Place]) -> list[Place]:
        """Of places sharing a name, those inside the region and the country the row gives."""
        for column in ("region", "country"):
            area = normalise_name(self.row.get(column, ""))
            if area:
                places = [
                    place
                    for place in places
                    if any(normalise_name(ancestor.name) == area for ancestor in place.ancestors())
                ] or places
        return places

    def missing_record(self, kind: str, column: str, name: str, reason: str):
        if self.create_missing:
            missing = Missing(kind, name)
            self.missing.add(missing)
            return missing
        hint = _("Add it first, or allow missing records to be created.")
        self.error(column, name, f"{reason} {hint}")
        return None

    def actor(self, column: str, name: str, incident: Incident | None):
        """A named actor: ("person", …), ("organisation", …) or ("unidentified", text)."""
        row, folded = self.row, normalise_name(name)
        if f"; {name}; " in f"; {LIST_SEPARATOR.join(as_list(row.get('unidentified_actors')))}; ":
            return "unidentified", name
        listed_as_person = folded in {normalise_name(n) for n in as_list(row.get("people"))}
        listed_as_organisation = folded in {normalise_name(n) for n in as_list(row.get("organisations"))}
        kinds = ["person"] if listed_as_person else ["organisation"] if listed_as_organisation else []
        for kind in kinds or ["person", "organisation"]:
            found = (self.lookups.people if kind == "person" else self.lookups.organisations).get(folded, set())
            if len(found) == 1:
                return kind, model_of(kind)(pk=next(iter(found)))
            if len(found) > 1:
                involved = found & involved_ids(incident, kind)
                if len(involved) == 1:
                    return kind, model_of(kind)(pk=next(iter(involved)))
                self.error(
                    column,
                    name,
                    _("%(count)s records have this name: tell them apart in the admin (a variant, a birth date).")
                    % {"count": len(found)},
                )
                return None
        pseudonyms = public_pseudonyms(incident)
        if name in pseudonyms and not listed_as_organisation:
            return "person", pseudonyms[name]
        kind = kinds[0] if kinds else "person"
        record = self.missing_record(kind, column, name, _("No person or organisation has this name."))
        return (kind, record) if record is not None else None

    def involvements(self, incident: Incident | None) -> list[tuple]:
        found = []
        for item in with_roles(as_list(self.row.get("actors_by_role"))):
            role, name = role_and_name(item)
            if role not in ROLES or not name:
                self.error(
                    "actors_by_role",
                    item,
                    _("Write “role: name”, the role one of: %(roles)s.") % {"roles": ", ".join(ROLES)},
                )
                continue
            actor = self.actor("actors_by_role", name, incident)
            if actor is None:
                continue
            kind, record = actor
            found.append(
                (
                    role,
                    record if kind == "person" else None,
                    record if kind == "organisation" else None,
                    record if kind == "unidentified" else "",
                )
            )
        return found

    def charges(self, incident: Incident | None) -> list[tuple]:
        found = []
        for item in as_list(self.row.get("charges")):
            name, reference, status = charge_parts(item)
            provision = self.lookups.provisions.get(normalise_name(reference))
            if not name or provision is None or status not in CHARGE_STATUSES:
                reason = (
                    _("No legal provision has this reference.")
                    if name and reference and status in CHARGE_STATUSES
                    else _("Write “person: provision (status)”, the status one of: %(statuses)s.")
                    % {"statuses": ", ".join(CHARGE_STATUSES)}
                )
                self.error("charges", item, reason)
                continue
            actor = self.actor("charges", name, incident)
            if actor is None:
                continue
            if actor[0] != "person":
                self.error("charges", item, _("Only a person can be charged."))
                continue
            found.append((actor[1], provision, status))
        return found

    def sources(self) -> list:
        found = []
        for name in as_list(self.row.get("cited_sources")):
            sources = self.lookups.sources.get(name, [])
            if len(sources) == 1:
                found.append(sources[0])
            elif len(sources) > 1:
                self.error("cited_sources", name, _("Several sources have this title: give the address (URL)."))
            else:
                record = self.missing_record("source", "cited_sources", name, _("No source has this title or address."))
                if record is not None:
                    found.append(record)
        return found


def model_of(kind: str):
    return {"person": Person, "organisation": Organisation}[kind]


def key_of(record) -> int | None:
    return getattr(record, "pk", None)


def period_precision(start: datetime.date, end: datetime.date) -> str:
    if start == end:
        return DatePrecision.DAY
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return DatePrecision.YEAR
    next_month = (end + datetime.timedelta(days=1)).day == 1
    if start.day == 1 and next_month and (start.year, start.month) == (end.year, end.month):
        return DatePrecision.MONTH
    return ""


def public_pseudonyms(incident: Incident | None) -> dict[str, Person]:
    """The names an incident's export gives its people, "Person A" for one without consent, by name."""
    if incident is None:
        return {}
    return {name: Person(pk=pk) for pk, name in incident.public_person_names.items()}


def involved_ids(incident: Incident | None, kind: str) -> set[int]:
    if incident is None:
        return set()
    return set(incident.involvements.exclude(**{kind: None}).values_list(kind, flat=True))


@dataclass
class ExistingRows:
    """What an incident has already, for an import to add only what it lacks."""

    involvements: set[tuple] = field(default_factory=set)  # (role, person id, organisation id, unidentified)
    charges: dict[tuple[int, int], Charge] = field(default_factory=dict)  # by (person id, provision id)
    source_ids: set[int] = field(default_factory=set)


def existing_rows(incident_ids: list[int]) -> dict[int, ExistingRows]:
    """The rows of these incidents, in three queries per thousand incidents."""
    found = defaultdict(ExistingRows)
    incident_type = ContentType.objects.get_for_model(Incident)
    for start in range(0, len(incident_ids), 1000):
        chunk = incident_ids[start : start + 1000]
        involvements = Involvement.objects.filter(incident__in=chunk).values_list(
            "incident", "role", "person", "organisation", "unidentified_actor"
        )
        for incident, *involvement in involvements:
            found[incident].involvements.add(tuple(involvement))
        for charge in Charge.objects.filter(incident__in=chunk):
            found[charge.incident_id].charges[(charge.person_id, charge.provision_id)] = charge
        citations = Citation.objects.filter(content_type=incident_type, object_id__in=chunk)
        for incident, source in citations.values_list("object_id", "source"):
            found[incident].source_ids.add(source)
    return found


def involvement_key(involvement: tuple) -> tuple:
    role, person, organisation, unidentified = involvement
    return role, key_of(person), key_of(organisation), unidentified


def differs(incident: Incident, name: str, value) -> bool:
    """Whether a field would change, a record compared by its id (without reading it)."""
    field_object = Incident._meta.get_field(name)
    if isinstance(value, Missing):
        return True
    if field_object.is_relation:
        return getattr(incident, field_object.attname) != key_of(value)
    return getattr(incident, name) != value


def compare_with_existing(rows: list[RowResult]) -> None:
    """Narrow the plan of each row that stands for an existing incident to what changes it, and
    say whether it updates the incident or leaves it unchanged."""
    matched = [row for row in rows if row.outcome != Outcome.ERROR and row.plan.incident is not None]
    existing = existing_rows(sorted({row.plan.incident.pk for row in matched}))
    for row in matched:
        plan, incident = row.plan, row.plan.incident
        has = existing[incident.pk]
        plan.fields = {name: value for name, value in plan.fields.items() if differs(incident, name, value)}
        plan.involvements = [
            item
            for item in plan.involvements
            if isinstance(item[1], Missing)
            or isinstance(item[2], Missing)
            or involvement_key(item) not in has.involvements
        ]
        charges, plan.charges = plan.charges, []
        for person, provision, status in charges:
            charge = None if isinstance(person, Missing) else has.charges.get((person.pk, provision.pk))
            if charge is None:
                plan.charges.append((person, provision, status))
            elif charge.status != status:
                plan.status_changes.append((charge, status))
        plan.sources = [
            source for source in plan.sources if isinstance(source, Missing) or source.pk not in has.source_ids
        ]
        row.outcome = Outcome.UPDATED if plan.changes_anything() else Outcome.UNCHANGED
        row.public_id = str(incident.public_id)


def check(imported: ImportFile, *, create_missing: bool = False) -> Check:
    """The dry run: what each row would do, and every error, with nothing written."""
    lookups = Lookups(imported)
    missing: set[Missing] = set()
    rows = [
        RowChecker(lookups, create_missing=create_missing, number=number, row=row, missing=missing).check()
        for number, row in zip(imported.row_numbers, imported.rows, strict=True)
    ]
    match_natural_keys(rows)
    compare_with_existing(rows)
    return Check(rows, missing)


def match_natural_keys(rows: list[RowResult]) -> None:
    """A row without a public_id stands for the incident with the same title, start and place,
    when there is one, so that a file imported twice is unchanged the second time."""
    new = [
        row
        for row in rows
        if row.outcome == Outcome.CREATED and row.plan.incident is None and row.plan.fields.get("start_date")
    ]
    if not new:
        return
    titles = sorted({row.plan.fields["title"] for row in new})
    existing = defaultdict(list)
    for start in range(0, len(titles), 1000):
        same_titles = Incident.objects.filter(title__in=titles[start : start + 1000], revision_of__isnull=True)
        for incident in same_titles.exclude(status=Incident.Status.RETRACTED):
            existing[(incident.title, incident.start_date, incident.place_id)].append(incident)
    for row in new:
        fields = row.plan.fields
        place = fields.get("place")
        key = (fields["title"], fields["start_date"], getattr(place, "pk", None))
        if len(existing.get(key, [])) != 1:
            continue
        row.plan.incident = existing[key][0]


def write(
    checked: Check, *, user, file_name: str, file_sha256: str, file_format: str, create_missing: bool, progress=None
) -> ImportBatch:
    """Write what `check` planned, as one batch; rows with errors are left out (the caller has
    refused a file with errors unless the user chose to import the valid rows)."""
    batch = ImportBatch.objects.create(
        created_by=user,
        file_name=file_name,
        file_sha256=file_sha256,
        file_format=file_format,
        create_missing=create_missing,
        **{f"{outcome}_count": count for outcome, count in checked.summary().items()},
    )
    reason = f"Imported from {file_name} (batch {batch.pk})"
    with transaction.atomic():
        created = create_missing_records(checked.missing, user=user, reason=reason)
        batch.created_records = {
            model._meta.label_lower: sorted(record.pk for record in records)
            for model, records in group_by_model(created.values()).items()
        }
        batch.save(update_fields=["created_records"])
    to_write = [row for row in checked.rows if row.outcome in (Outcome.CREATED, Outcome.UPDATED)]
    for start in range(0, len(to_write), WRITE_CHUNK):
        with transaction.atomic():
            write_rows(to_write[start : start + WRITE_CHUNK], created, batch=batch, user=user, reason=reason)
        if progress is not None:
            progress(min(start + WRITE_CHUNK, len(to_write)), len(to_write))
    return batch


def create_missing_records(missing: set[Missing], *, user, reason: str) -> dict[tuple[str, str], models.Model]:
    created = {}
    for item in sorted(missing, key=lambda item: item.key):
        if item.key in created:
            continue
        if item.kind == "person":
            record = Person(name=item.name)
        elif item.kind == "organisation":
            record = Organisation(name=item.name, kind=Organisation.Kind.OTHER)
        elif item.kind == "place":
            record = Place(name=item.name, kind=Place.Kind.SITE)
        else:
            is_address = item.name.startswith(("http://", "https://"))
            record = Source(title=item.name[:300], url=item.name if is_address else "")
        record._history_user, record._change_reason = user, reason
        record.save()
        created[item.key] = record
    return created


def resolved(record, created: dict):
    return created[record.key] if isinstance(record, Missing) else record


def write_rows(rows: list[RowResult], created: dict, *, batch: ImportBatch, user, reason: str) -> None:
    new = [row for row in rows if row.plan.incident is None]
    incidents = []
    for row in new:
        fields = {name: resolved(value, created) for name, value in row.plan.fields.items()}
        incident = Incident(**fields, status=Incident.Status.DRAFT, created_by=user, last_edited_by=user)
        incident.derive_fields()
        incidents.append(incident)
    unique_slugs(incidents)
    bulk_create_with_history(incidents, Incident, default_user=user, default_change_reason=reason)
    records, rows_of_new = [], []
    for row, incident in zip(new, incidents, strict=True):
        row.plan.incident = incident
        row.public_id = str(incident.public_id)
        rows_of_new += new_rows(incident, row.plan, created)
        records.append(ImportedIncident(batch=batch, incident=incident, row_number=row.number, action="created"))
    insert_rows(rows_of_new, user=user, reason=reason)
    records += [update_incident(row, created, batch=batch, user=user, reason=reason) for row in rows if row not in new]
    refresh_search_text(Incident.objects.filter(pk__in=[record.incident.pk for record in records]))
    ImportedIncident.objects.bulk_create(records)


def unique_slugs(incidents: list[Incident]) -> None:
    """A slug for each new incident, unique among the saved ones and the new ones: one query for
    the whole chunk, and the slow search for a free number only where a title is taken."""
    bases = [incident.slug_base(incident.title) for incident in incidents]
    taken = set(Incident.objects.filter(slug__in=bases).values_list("slug", flat=True))
    for incident, base in zip(incidents, bases, strict=True):
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        if number > 1:
            slug = incident.make_unique_slug(slug)
        incident.slug = slug
        taken.add(slug)


def new_rows(incident: Incident, plan: Plan, created: dict) -> list[models.Model]:
    """The involvements, charges and citations a plan adds to an incident, not saved yet."""
    rows = [
        Involvement(
            incident=incident,
            role=role,
            person=resolved(person, created) if person else None,
            organisation=resolved(organisation, created) if organisation else None,
            unidentified_actor=unidentified,
        )
        for role, person, organisation, unidentified in plan.involvements
    ]
    rows += [
        Charge(incident=incident, person=resolved(person, created), provision=provision, status=status)
        for person, provision, status in plan.charges
    ]
    incident_type = ContentType.objects.get_for_model(Incident)
    rows += [
        Citation(content_type=incident_type, object_id=incident.pk, source=resolved(source, created), claim="record")
        for source in plan.sources
    ]
    return rows


def insert_rows(rows: list[models.Model], *, user, reason: str) -> dict[str, list[int]]:
    """One insert per kind of row, each with its history; the ids added, by model."""
    added = {}
    for model, of_model in group_by_model(rows).items():
        bulk_create_with_history(of_model, model, default_user=user, default_change_reason=reason)
        added[model._meta.label_lower] = [row.pk for row in of_model]
    return added


def group_by_model(records) -> dict[type, list]:
    grouped = defaultdict(list)
    for record in records:
        grouped[type(record)].append(record)
    return grouped


def update_incident(row: RowResult, created: dict, *, batch: ImportBatch, user, reason: str) -> ImportedIncident:
    """Apply a row to an existing incident: in place while it is editable, else as a correction."""
    published = row.plan.incident
    target, action = published, "updated"
    if published.status == Incident.Status.VERIFIED:
        if not Incident.objects.filter(revision_of=published).exists():
            action = "corrected"
        target = workflow.propose_correction(incident=published, by=user)
        if target.status not in Incident.EDITABLE_STATES:
            raise workflow.WorkflowError(_("A correction of this incident is under review."))
    before = {name: serialised(getattr(target, name)) for name in row.plan.fields}
    for name, value in row.plan.fields.items():
        setattr(target, name, resolved(value, created))
    for charge, status in row.plan.status_changes:
        charge = target.charges.get(person_id=charge.person_id, provision_id=charge.provision_id)
        before.setdefault("charge_statuses", {})[str(charge.pk)] = charge.status
        charge.status = status
        charge._history_user, charge._change_reason = user, reason
        charge.save()
    target.last_edited_by = user
    target._history_user, target._change_reason = user, reason
    target.save()
    added = insert_rows(new_rows(target, row.plan, created), user=user, reason=reason)
    return ImportedIncident(
        batch=batch, incident=target, row_number=row.number, action=action, before=before, added=added
    )


def link_to(model, incident: Incident) -> dict:
    if model is Citation:
        return {"content_type": ContentType.objects.get_for_model(Incident), "object_id": incident.pk}
    return {"incident": incident}


def serialised(value):
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def undo_refusal(batch: ImportBatch) -> str:
    """Why this batch can no longer be undone, or "" when it can."""
    if batch.undone_at:
        return _("This import was undone already.")
    records = list(batch.incidents.select_related("incident"))
    if any(record.incident is None for record in records):
        return _("An incident of this import was deleted since; undo what is left in the admin.")
    if any(record.incident.status != Incident.Status.DRAFT for record in records):
        return _("Some of its incidents are no longer drafts (submitted, verified or rejected since).")
    return ""


@transaction.atomic
def undo(batch: ImportBatch, *, by) -> None:
    """Take a whole batch back: its new incidents deleted, its updates reverted, the records it
    created deleted where nothing else uses them."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    refusal = undo_refusal(batch)
    if refusal:
        raise workflow.WorkflowError(refusal)
    reason = f"Import undone (batch {batch.pk})"
    for record in batch.incidents.select_related("incident").order_by("-pk"):
        incident = record.incident
        incident._history_user, incident._change_reason = by, reason
        if record.action == "created":
            incident.delete()
            continue
        if record.action == "corrected":
            workflow.discard_correction(incident=incident, by=by)
            continue
        for label, ids in record.added.items():
            model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
            model.objects.filter(pk__in=ids).delete()
        for charge_pk, status in record.before.pop("charge_statuses", {}).items():
            Charge.objects.filter(pk=charge_pk).update(status=status)
        for name, value in record.before.items():
            field_object = Incident._meta.get_field(name)
            if field_object.is_relation:
                setattr(incident, field_object.attname, value)
            elif isinstance(field_object, models.DateField) and value:
                setattr(incident, name, datetime.date.fromisoformat(value))
            else:
                setattr(incident, name, value)
        incident.save()
    for label, ids in batch.created_records.items():
        model = ContentType.objects.get_by_natural_key(*label.split(".")).model_class()
        for created in model.objects.filter(pk__in=ids):
            if used_elsewhere(created):
                continue
            created._history_user, created._change_reason = by, reason
            created.delete()
    batch.undone_at, batch.undone_by = timezone.now(), by
    batch.save(update_fields=["undone_at", "undone_by"])


def used_elsewhere(record: models.Model) -> bool:
    """Whether deleting a record the import created would take anything else with it."""
    collector = NestedObjects(using=DEFAULT_DB_ALIAS)
    collector.collect([record])
    own = {type(record), NameVariant, OrganisationAlias, PlaceName}
    return bool(collector.protected) or any(model not in own and objects for model, objects in collector.data.items())
