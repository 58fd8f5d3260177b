from django.db import migrations
from django.utils import timezone


def record_existing_places(apps, schema_editor):
    """The ISO places were created before history was kept: give each its "created" record."""
    Place = apps.get_model("places", "Place")
    HistoricalPlace = apps.get_model("places", "HistoricalPlace")
    recorded = set(HistoricalPlace.objects.values_list("id", flat=True))
    attnames = [field.attname for field in Place._meta.concrete_fields]
    now = timezone.now()
    HistoricalPlace.objects.bulk_create(
        [
            HistoricalPlace(
                **{name: getattr(place, name) for name in attnames},
                history_date=now,
                history_type="+",
                history_change_reason="ISO 3166 countries and regions",
            )
            for place in Place.objects.exclude(pk__in=recorded)
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("places", "0003_historicalplace")]

    operations = [migrations.RunPython(record_existing_places, migrations.RunPython.noop)]
