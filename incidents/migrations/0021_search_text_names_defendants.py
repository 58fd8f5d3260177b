from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    """Every incident's search text again, now that it holds the names of the people charged.

    Through the live rule (`incidents.search.refresh_search_text`) rather than a frozen copy: the
    text must follow the public rule exactly, and a second copy of that rule could drift from it.
    On an empty table nothing but the incidents' own columns is read.
    """
    from incidents.search import refresh_search_text

    refresh_search_text(apps.get_model("incidents", "Incident").objects.all())


class Migration(migrations.Migration):
    dependencies = [("incidents", "0020_languages")]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
