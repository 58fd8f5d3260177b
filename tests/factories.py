"""Small builders for records that tests need beyond the demo case."""

import datetime
import itertools

from incidents.models import Incident, IncidentType
from places.models import Place

_numbers = itertools.count(1)


def make_incident(**fields) -> Incident:
    number = next(_numbers)
    defaults = {
        "title": f"Test incident {number}",
        "summary": "",
        "incident_type": IncidentType.objects.get(slug="arrest"),
        "start_date": datetime.date(2020, 1, 1) + datetime.timedelta(days=number),
        "place": Place.objects.get(iso_code="KZ"),
        "status": Incident.Status.VERIFIED,
    }
    return Incident.objects.create(**{**defaults, **fields})
