from django.db import migrations


def add_place_names(apps, schema_editor):
    """The ISO places get their names in other languages; every place gets its normalised names."""
    from places.iso import add_iso_place_names, record_in_history
    from places.models import normalised_names

    Place = apps.get_model("places", "Place")
    labelled = add_iso_place_names(Place)
    record_in_history(
        apps.get_model("places", "HistoricalPlace"), labelled, history_type="~", reason="ISO 3166 names (pycountry)"
    )
    others = list(Place.objects.filter(iso_code=""))
    for place in others:
        place.names_normalised = normalised_names(place.name)
    Place.objects.bulk_update(others, ["names_normalised"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("places", "0005_place_names")]

    operations = [migrations.RunPython(add_place_names, migrations.RunPython.noop)]
