from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    """Every incident's search text again: it now holds the names of the people charged, and is
    normalised by the rule that folds the usual transliterations into one spelling, from the
    names the people and organisations migrations have just normalised again.

    Through the live rule (`incidents.search.refresh_search_text`) rather than a frozen copy: the
    text must follow the public rule exactly, and a second copy of that rule could drift from it.
    """
    from incidents.search import refresh_search_text

    refresh_search_text(apps.get_model("incidents", "Incident").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0020_languages"),
        ("people", "0007_names_normalised_by_the_folding_rule"),
        ("organisations", "0006_names_normalised_by_the_folding_rule"),
    ]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
