from django.db import migrations

INDEX = "incident_sample_search_text_trgm"


def create_sample_trigram_index(apps, schema_editor):
    """On PostgreSQL, a trigram index of the public sample's search text (see `Incident.sample_bucket`).

    Estimating the size of a text search reads the sample's matches. Through the trigram index of
    the whole table, a common word is a bitmap of a quarter of the table; testing the sample's
    rows one by one reads as many scattered pages of the table. This index, a hundredth of the
    other, finds the sample's matches directly. SQLite has no such index type; there the
    migration does nothing.
    """
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON incidents_incident USING gin (search_text gin_trgm_ops) "
        "WHERE sample_bucket = 0 AND NOT confidential AND status = 'verified'"
    )


def drop_sample_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0015_type_region_index")]

    operations = [migrations.RunPython(create_sample_trigram_index, drop_sample_trigram_index)]
