from django.db import migrations


def rebuild_search_text(apps, schema_editor):
    """Every incident's search text again, normalised by the rule that now folds the usual
    transliterations into one spelling, from the names the people and organisations migrations
    have just normalised again. Through the live rule, as in 0021."""
    from incidents.search import refresh_search_text

    refresh_search_text(apps.get_model("incidents", "Incident").objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0021_search_text_names_defendants"),
        ("people", "0007_names_normalised_by_the_folding_rule"),
        ("organisations", "0006_names_normalised_by_the_folding_rule"),
    ]

    operations = [migrations.RunPython(rebuild_search_text, migrations.RunPython.noop)]
