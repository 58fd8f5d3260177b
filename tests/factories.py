"""Small builders for records that tests need beyond the demo case."""

import datetime
import itertools

from incidents.models import Incident, IncidentType, Involvement, LegalProvision
from organisations.models import Organisation
from people.models import Person
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


def make_person(name: str | None = None, **fields) -> Person:
    return Person.objects.create(name=name or f"Test Person {next(_numbers)}", **fields)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    return Organisation.objects.create(name=name or f"Test Organisation {next(_numbers)}", kind="ngo", **fields)


def involve(incident: Incident, role: str = "victim", **actor) -> Involvement:
    return Involvement.objects.create(incident=incident, role=role, **actor)


def make_provision(article: str, **fields) -> LegalProvision:
    defaults = {"jurisdiction": Place.objects.get(iso_code="KZ"), "code": "Test Code", "title_en": f"Offence {article}"}
    return LegalProvision.objects.create(article=article, **{**defaults, **fields})
