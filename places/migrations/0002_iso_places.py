from django.db import migrations


def add_iso_places(apps, schema_editor):
    from places.iso import ensure_iso_places

    ensure_iso_places(apps.get_model("places", "Place"))


class Migration(migrations.Migration):
    dependencies = [("places", "0001_initial")]

    operations = [migrations.RunPython(add_iso_places, migrations.RunPython.noop)]
