from django.db import migrations


def add_types(apps, schema_editor):
    from incidents.vocabularies import ensure_default_incident_types

    ensure_default_incident_types(apps.get_model("incidents", "IncidentType"), translated=False)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0002_initial")]

    operations = [migrations.RunPython(add_types, migrations.RunPython.noop)]
