from django.db import migrations

from core.text import renormalise_names


def normalise_names_again(apps, schema_editor):
    """People's names and name variants, normalised again by the rule that now folds the usual
    transliterations into one spelling: a query is normalised by the rule as it is now, so the
    stored names must be too."""
    renormalise_names(apps.get_model("people", "Person").objects.all(), "name_normalised")
    renormalise_names(apps.get_model("people", "NameVariant").objects.all(), "normalised")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_order_rows_by_their_parents_id")]

    operations = [migrations.RunPython(normalise_names_again, migrations.RunPython.noop)]
