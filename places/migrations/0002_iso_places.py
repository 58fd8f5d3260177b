from django.db import migrations


def add_iso_places(apps, schema_editor):
    from places.iso import add_iso_places

    add_iso_places(apps.get_model("places", "Place"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(add_iso_places, migrations.RunPython.noop)]
