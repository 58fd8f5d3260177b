"""On PostgreSQL, trigram indexes of the places' normalised names: a word of a search is looked
up among them (`PlaceQuerySet.named`) for every query of a search page, and `LIKE '% word%'`
would otherwise read every name. SQLite has no such index type; there the migration does nothing."""

from django.db import migrations

from core.trigram_indexes import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("places", "0006_iso_place_names")]

    operations = [
        trigram_indexes(
            {
                "places_place_names_normalised_trgm": ("places_place", "names_normalised"),
                "places_placename_normalised_trgm": ("places_placename", "normalised"),
            }
        )
    ]
