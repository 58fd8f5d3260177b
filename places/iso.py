"""Countries and first-level subdivisions from ISO 3166, as shipped by pycountry, with their names.

Used by the data migrations that prefill the place hierarchy, and by the demo and the generated
datasets, so that every deployment starts with the same authoritative names, codes and slugs.
The names in other languages come from places/data/place_names.json, which
scripts/build_place_names.py builds from pycountry's catalogues.
"""

import json
import uuid
from pathlib import Path

import pycountry
from anyascii import anyascii
from django.utils import timezone
from django.utils.text import slugify

from core.bulk import update_rows
from core.scripts import detect_script
from core.text import normalise_name

from .models import normalised_names

PLACE_NAMES = Path(__file__).resolve().parent / "data" / "place_names.json"
LABELS = ["name_en", "name_ru", "name_kk"]


def iso_places() -> list[dict]:
    """Rows for countries then their top-level subdivisions, with unique slugs."""
    rows, taken = [], set()

    def unique_slug(name: str, qualifier: str) -> str:
        slug = slugify(anyascii(name))[:100] or qualifier.lower()
        if slug in taken:
            slug = f"{slug}-{qualifier.lower()}"
        number = 2
        base = slug
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug

    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        rows.append(
            {
                "name": country.name,
                "kind": "country",
                "iso_code": country.alpha_2,
                "parent_iso_code": None,
                "slug": unique_slug(country.name, country.alpha_2),
            }
        )
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if subdivision.parent_code is None:
            rows.append(
                {
                    "name": subdivision.name,
                    "kind": "region",
                    "iso_code": subdivision.code,
                    "parent_iso_code": subdivision.country_code,
                    "slug": unique_slug(subdivision.name, subdivision.code),
                }
            )
    return rows


def ensure_iso_places(Place) -> None:  # noqa: N803 (a model class, historical in migrations)
    """Add the ISO 3166 countries and first-level regions that are missing, and their names; keep the rest."""
    add_iso_places(Place)
    add_iso_place_names(Place)


def add_iso_places(Place) -> None:  # noqa: N803
    """Add the ISO 3166 countries and first-level regions that are missing, without their other names."""
    existing = set(Place.objects.values_list("iso_code", flat=True))
    rows = [row for row in iso_places() if row["iso_code"] not in existing]
    countries = [row for row in rows if row["kind"] == "country"]
    Place.objects.bulk_create(
        [
            Place(
                public_id=uuid.uuid4(), name=row["name"], kind=row["kind"], iso_code=row["iso_code"], slug=row["slug"]
            )
            for row in countries
        ],
        batch_size=500,
    )
    by_code = {place.iso_code: place for place in Place.objects.filter(kind="country")}
    for place in by_code.values():
        place.path = f"/{place.pk}/"
    Place.objects.bulk_update(by_code.values(), ["path"], batch_size=500)
    regions = [row for row in rows if row["kind"] == "region" and row["parent_iso_code"] in by_code]
    Place.objects.bulk_create(
        [
            Place(
                public_id=uuid.uuid4(),
                name=row["name"],
                kind=row["kind"],
                iso_code=row["iso_code"],
                slug=row["slug"],
                parent=by_code[row["parent_iso_code"]],
            )
            for row in regions
        ],
        batch_size=500,
    )
    created_regions = list(Place.objects.filter(kind="region", path="").select_related("parent"))
    for place in created_regions:
        place.path = f"{place.parent.path}{place.pk}/"
    Place.objects.bulk_update(created_regions, ["path"], batch_size=500)


def iso_place_names() -> dict[str, dict]:
    """ISO code: the labels (`name_en`, `name_ru`, `name_kk`) and every name as [name, kind, language]."""
    return json.loads(PLACE_NAMES.read_text(encoding="utf-8"))["places"]


def add_iso_place_names(Place) -> list:  # noqa: N803
    """Fill the blank labels of the ISO places and add the names they lack, recording the new
    names in their history. Labels and names entered by someone are kept.

    Returns the places whose labels were filled: a caller that keeps the places' history records
    the change (new places get their first record with the labels in it). The places are read as
    plain rows: on a database that has every name already, nothing else is read or written.
    """
    PlaceName = Place._meta.get_field("names").related_model  # noqa: N806
    names = iso_place_names()
    rows = Place.objects.exclude(iso_code="").values_list("pk", "iso_code", "name", "names_normalised", *LABELS)
    ids, updates, labelled = {}, {}, []
    for pk, iso_code, name, normalised, *current in rows:
        if iso_code not in names:
            continue
        ids[iso_code] = pk
        labels = {field: text or names[iso_code][field] for field, text in zip(LABELS, current, strict=True)}
        filled = list(labels.values()) != current
        if filled or not normalised:
            updates[pk] = {**labels, "names_normalised": normalised_names(name, *labels.values())}
        if filled:
            labelled.append(pk)
    fields = [*LABELS, "names_normalised"]
    update_rows(Place, fields, [(pk, *(values[field] for field in fields)) for pk, values in updates.items()])
    existing = set(PlaceName.objects.exclude(place__iso_code="").values_list("place_id", "name", "language"))
    added = PlaceName.objects.bulk_create(
        [
            PlaceName(
                place_id=ids[iso_code],
                name=name,
                kind=kind,
                language=language,
                script=detect_script(name),
                normalised=normalise_name(name),
            )
            for iso_code in ids
            for name, kind, language in names[iso_code]["names"]
            if (ids[iso_code], name, language) not in existing
        ],
        batch_size=500,
    )
    history = Place._meta.apps.get_model("places", "HistoricalPlaceName")
    record_in_history(history, added, history_type="+", reason="ISO 3166 names (pycountry)")
    return list(Place.objects.in_bulk(labelled).values())


def record_in_history(history, records: list, *, history_type: str, reason: str) -> None:
    """Give records saved in bulk (which skips the history kept on each save) their history rows.

    Written with the historical model itself, so that migrations can use it too.
    """
    attnames = [field.attname for field in history._meta.concrete_fields if not field.attname.startswith("history_")]
    now = timezone.now()
    history.objects.bulk_create(
        [
            history(
                **{name: getattr(record, name) for name in attnames},
                history_date=now,
                history_type=history_type,
                history_change_reason=reason,
            )
            for record in records
        ],
        batch_size=500,
    )
