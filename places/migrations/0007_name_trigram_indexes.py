from django.db import migrations

INDEXES = {
    "places_place_names_normalised_trgm": ("places_place", "names_normalised"),
    "places_placename_normalised_trgm": ("places_placename", "normalised"),
}


def create_trigram_indexes(apps, schema_editor):
    """On PostgreSQL, trigram indexes of the places' normalised names: a word of a search is looked
    up among them (`PlaceQuerySet.named`) for every query of a search page, and `LIKE '% word%'`
    would otherwise read every name. SQLite has no such index type; there the migration does nothing.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("places", "0006_iso_place_names")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
