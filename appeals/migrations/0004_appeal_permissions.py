from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import grant_role_permissions


def grant_appeal_permissions(apps, schema_editor):
    """Researchers and verifiers draft appeals and make them final."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0003_appeals")]

    operations = [migrations.RunPython(grant_appeal_permissions, migrations.RunPython.noop)]
