from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import grant_role_permissions


def grant_place_permissions(apps, schema_editor):
    """Researchers add and change places below the first-level regions; administrators keep the
    countries and regions (the new permission)."""
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant_role_permissions(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0008_facility_kind"),
        ("cases", "0003_permissions"),
        ("incidents", "0025_sentences_moved_to_cases"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="place",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("change_administrative_area", "Can add and change countries and first-level regions")
                ],
                "verbose_name": "place",
                "verbose_name_plural": "places",
            },
        ),
        migrations.RunPython(grant_place_permissions, migrations.RunPython.noop),
    ]
