from django.db import migrations

INDEX = "incidents_incident_search_text_trgm"


def create_trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index lets `LIKE '%word%'` on the search column use an index.

    SQLite has no such index type; there the migration does nothing and search scans the table.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident USING gin (search_text gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("incidents", "0004_incident_search_text")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index)]
