"""The demo case: the January 2012 arrest of Ajzhangul Amirova in Kazakhstan and its context.

Facts come from an emergency announcement published by the Open Dialog Foundation on
6 January 2012; the wording here is the project's own. The records are in the YAML files of
this package, a file per kind, and name each other as the site does: by slug, a place also by
its ISO 3166 code, a source by its title. Every record is keyed by a stable slug or natural key,
so loading twice updates in place and never duplicates.

Not a Django fixture: `loaddata` saves raw, without the `save()` methods and signals that fill
in normalised names, search text and history, and it would need primary keys in the files.
"""

from pathlib import Path

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from organisations.models import Membership, Organisation, OrganisationAlias
from people.models import NameVariant, Person, Relationship
from places.iso import ensure_iso_places
from places.models import Place, PlaceName
from sources.models import Citation, Source

from ..models import Charge, Evidence, Incident, IncidentLink, IncidentType, Involvement, LegalProvision
from ..vocabularies import ensure_default_incident_types

DATA_DIR = Path(__file__).resolve().parent


def read(kind: str) -> list[dict]:
    """The records of one data file, in the order they are saved."""
    with (DATA_DIR / f"{kind}.yaml").open(encoding="utf-8") as data_file:
        return yaml.safe_load(data_file)


def find(model: type[models.Model], reference: str) -> models.Model:
    """The record a data file names: a source by its title, a place by its ISO code or slug, others by slug."""
    if model is Source:
        return Source.objects.get(title=reference)
    if model is Place:
        return Place.objects.get(Q(iso_code=reference) | Q(slug=reference))
    return model.objects.get(slug=reference)


def field_values(model: type[models.Model], data: dict) -> dict:
    """The model's own fields in `data`, as `loaddata` would read them: text parsed into dates,
    times and decimals, and references looked up. The other keys (`citations`, `name_variants`…)
    name related records, which the caller saves once this record exists."""
    values = {}
    for name, value in data.items():
        field = model._meta.get_field(name)
        if field.many_to_one:
            values[name] = find(field.related_model, value)
        elif not field.is_relation:
            values[name] = field.to_python(value)
    return values


def save(model: type[models.Model], data: dict, *key: str, **owner) -> models.Model:
    """Create or update the record found by `owner` and its `key` fields, and set its other fields
    from `data`; a field the data leaves out keeps what an editor may have put there.

    A key field missing from `data` is looked up at its default: an involvement of a person is
    the one with no organisation and no unidentified actor."""
    values = field_values(model, data)
    lookup = {name: values.pop(name, model._meta.get_field(name).get_default()) for name in key}
    return model.objects.update_or_create(**owner, **lookup, defaults=values)[0]


def cite(record: models.Model, data: dict) -> None:
    """Save the citations `data` lists for `record`. One without a locator has none, even if an
    earlier load gave it one."""
    content_type = ContentType.objects.get_for_model(record)
    for citation in data.get("citations", []):
        save(Citation, {"locator": "", **citation}, "claim", "source", content_type=content_type, object_id=record.pk)


def save_verified_incident(data: dict) -> Incident:
    """The demo case is published: its incidents are verified, and dated as verified only when
    first created, so that loading again does not move the date readers see."""
    values = {"status": Incident.Status.VERIFIED, **field_values(Incident, data)}
    slug = values.pop("slug")
    first_verified = {**values, "last_verified_at": timezone.now()}
    return Incident.objects.update_or_create(slug=slug, defaults=values, create_defaults=first_verified)[0]


def ensure_reference_data() -> None:
    """The records the demo case names but does not own. The ISO 3166 countries and regions and
    the default incident types come with the database; they are added again if a flush (as
    between tests) removed them."""
    ensure_iso_places(Place)
    # Bulk-created places skip the history kept on each save: give them their "created" record.
    Place.history.bulk_history_create(
        list(Place.objects.exclude(pk__in=Place.history.values("id"))),
        default_change_reason="ISO 3166 countries and regions",
    )
    ensure_default_incident_types(IncidentType)


@transaction.atomic
def load_demo() -> None:
    """Save every record of the data files, each kind after the kinds it refers to."""
    ensure_reference_data()
    for data in read("places"):
        place = save(Place, data, "slug")
        for name in data.get("names", []):
            save(PlaceName, name, "name", "language", place=place)
    for data in read("sources"):
        save(Source, data, "title", "publisher")

    people = read("people")
    for data in people:
        person = save(Person, data, "slug")
        for variant in data.get("name_variants", []):
            save(NameVariant, variant, "name", person=person)
        cite(person, data)
    for data in read("organisations"):
        organisation = save(Organisation, data, "slug")
        for alias in data.get("aliases", []):
            save(OrganisationAlias, alias, "name", organisation=organisation)
        cite(organisation, data)
    for data in people:
        person = find(Person, data["slug"])
        for relationship in data.get("relationships", []):
            cite(save(Relationship, relationship, "kind", "relative", person=person), relationship)
        for membership in data.get("memberships", []):
            cite(save(Membership, membership, "organisation", "role", person=person), membership)

    provisions = read("legal_provisions")
    for data in provisions:
        save(LegalProvision, data, "slug")
    for data in provisions:
        for equivalent in data.get("equivalents", []):
            find(LegalProvision, data["slug"]).equivalents.add(find(LegalProvision, equivalent))

    # Incidents link to later ones: every incident exists before the first link.
    incidents = read("incidents")
    for data in incidents:
        cite(save_verified_incident(data), data)
    for data in incidents:
        incident = find(Incident, data["slug"])
        for involvement in data.get("involvements", []):
            involved = save(
                Involvement, involvement, "role", "person", "organisation", "unidentified_actor", incident=incident
            )
            cite(involved, involvement)
        for link in data.get("links_out", []):
            save(IncidentLink, link, "to_incident", from_incident=incident)
        for charge in data.get("charges", []):
            cite(save(Charge, charge, "person", "provision", incident=incident), charge)

    for data in read("evidence"):
        save(Evidence, data, "incident", "kind", "description")
