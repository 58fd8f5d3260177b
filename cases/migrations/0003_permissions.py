from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import grant_role_permissions


def grant_case_permissions(apps, schema_editor):
    """Researchers and verifiers enter cases, their charges, stages and sentences, and custody periods."""
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_sentences_from_charges"),
        ("incidents", "0025_sentences_moved_to_cases"),
    ]

    operations = [migrations.RunPython(grant_case_permissions, migrations.RunPython.noop)]
