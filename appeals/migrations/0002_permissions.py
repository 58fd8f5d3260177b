from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import grant_role_permissions


def grant_intervention_permissions(apps, schema_editor):
    """Researchers and verifiers record the appeals sent and the responses received."""
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial"), ("exchange", "0002_import_permissions")]

    operations = [migrations.RunPython(grant_intervention_permissions, migrations.RunPython.noop)]
