from django.db import migrations

FINER = 1000  # PostgreSQL's default is 100


def keep_finer_statistics(apps, schema_editor):
    """Finer statistics on the region path, on PostgreSQL, where the planner reads them.

    With the default 100 most common values, and thousands of paths in a national dataset,
    PostgreSQL guessed several times too many incidents for a small district. It then walked the
    newest incidents looking for a page of them, reading tens of thousands of rows instead of
    sorting the district's few hundred.
    """
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE incidents_incident ALTER COLUMN place_path SET STATISTICS {FINER}")


def keep_default_statistics(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE incidents_incident ALTER COLUMN place_path SET STATISTICS -1")


class Migration(migrations.Migration):
    dependencies = [("incidents", "0011_facet_indexes")]

    operations = [migrations.RunPython(keep_finer_statistics, keep_default_statistics)]
