"""Countries and first-level subdivisions from ISO 3166, as shipped by pycountry.

Used by the data migration that prefills the place hierarchy, so that every deployment starts
with the same authoritative names, codes and slugs.
"""

import uuid

import pycountry
from anyascii import anyascii
from django.utils.text import slugify


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
    """Add the ISO 3166 countries and first-level regions that are missing; keep the rest."""
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
