from django.contrib.auth.management import create_permissions
from django.db import migrations

from incidents.roles import CASE_RECORDS, grant_role_permissions


def create_roles(apps, schema_editor):
    # Permissions are normally created after the last migration; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    # The evidence files' models were part of this app until evidence_files 0001 moved them;
    # place names and incident translations came later (0022_place_name_and_translation_permissions).
    grant_role_permissions(
        apps.get_model("auth", "Group"),
        apps.get_model("auth", "Permission"),
        former_app_labels={"evidence_files": "incidents"},
        models_to_come=frozenset({"places.placename", "incidents.incidenttranslation", *CASE_RECORDS}),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("places", "0003_historicalplace"),
        ("sources", "0002_historicalcitation_historicalsource"),
        ("people", "0003_historicalnamevariant_historicalperson_and_more"),
        ("organisations", "0002_historicalmembership_historicalorganisation_and_more"),
        ("incidents", "0004_history_and_review_workflow"),
        ("incidents", "0004_evidence_files"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
