from django.db import migrations, models
from django.db.models import Q

from core.text import normalise_name


def fill_search_text(apps, schema_editor):
    """Fill the new column for incidents that exist already.

    A frozen copy of the rule as it stands at this migration (migrations must not import the
    live models); later changes to the column go through `IncidentQuerySet.refresh_search_text`.
    """
    Incident = apps.get_model("incidents", "Incident")
    Involvement = apps.get_model("incidents", "Involvement")
    NameVariant = apps.get_model("people", "NameVariant")
    OrganisationAlias = apps.get_model("organisations", "OrganisationAlias")
    for incident in Incident.objects.all().iterator():
        involvements = (
            Involvement.objects.filter(incident=incident, confidential=False)
            .exclude(person__confidential=True)
            .exclude(organisation__confidential=True)
            .filter(Q(person__isnull=True) | Q(person__consent_to_publish=True))
            .select_related("person", "organisation")
        )
        names = []
        for involvement in involvements:
            if involvement.person_id:
                names.append(involvement.person.name_normalised)
                names += NameVariant.objects.filter(person_id=involvement.person_id).values_list("normalised", flat=True)
            elif involvement.organisation_id:
                names.append(involvement.organisation.name_normalised)
                names += OrganisationAlias.objects.filter(organisation_id=involvement.organisation_id).values_list(
                    "normalised", flat=True
                )
            else:
                names.append(normalise_name(involvement.unidentified_actor))
        parts = [normalise_name(incident.title), normalise_name(incident.summary), *names]
        incident.search_text = " ".join(part for part in parts if part)
        incident.save(update_fields=["search_text"])


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0003_default_incident_types"),
        ("people", "0002_person_consent_to_publish"),
        ("organisations", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="incident",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Normalised title, summary and public actors' names, for public search.",
            ),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
