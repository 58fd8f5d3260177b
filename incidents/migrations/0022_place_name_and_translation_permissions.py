from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import CASE_RECORDS, grant_role_permissions


def grant_place_name_permissions(apps, schema_editor):
    """Researchers and administrators add the names of places (`places.PlaceName`) and the
    translations of incidents (`incidents.IncidentTranslation`)."""
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(
        apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"), models_to_come=frozenset(CASE_RECORDS)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("incidents", "0021_search_text_rebuilt"),
        ("places", "0005_place_names"),
        ("evidence_files", "0001_initial"),
    ]

    operations = [migrations.RunPython(grant_place_name_permissions, migrations.RunPython.noop)]
