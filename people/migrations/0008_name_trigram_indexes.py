from django.db import migrations

INDEXES = {
    "people_person_name_normalised_trgm_gist": ("people_person", "name_normalised"),
    "people_namevariant_normalised_trgm_gist": ("people_namevariant", "normalised"),
}


def create_trigram_indexes(apps, schema_editor):
    """On PostgreSQL, trigram indexes (GiST, which reads names nearest first) of the folded names
    and their other spellings: the possible duplicates of a name being entered are the names
    nearest to it by trigrams (`core.duplicates`), read through them rather than by reading every
    name. SQLite has no such index type; there the migration does nothing.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (table, column) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gist ({column} gist_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("people", "0007_names_normalised_by_the_folding_rule")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
