"""Small builders for records that tests need beyond the demo case."""

import datetime
import itertools

from django.db.models.fields.files import FieldFile

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


PASSWORD = "correct-horse-battery-staple-42"


def make_user(role: str | None, username: str | None = None):
    """A staff member in one of the roles (Researcher, Verifier, Administrator)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"{(role or 'staff').lower()}-{next(_numbers)}", password=PASSWORD)
    user.is_staff = True
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def admin_form_data(response) -> dict:
    """What a browser would post back from an admin change page, unchanged: the form and its inline rows."""
    data = {}

    def add(form, names):
        for name in names:
            bound = form[name]
            value = bound.value()
            if value is None or isinstance(value, FieldFile):
                continue
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
                continue
            if isinstance(value, list | tuple):
                data[bound.html_name] = [str(item) for item in value]
                continue
            data[bound.html_name] = str(value)

    form = response.context["adminform"].form
    add(form, form.fields)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        rows = formset.initial_forms
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{formset.prefix}-INITIAL_FORMS"] = str(len(rows))
        for row in rows:
            add(row, row.fields)
    return data


def make_person(name: str | None = None, **fields) -> Person:
    return Person.objects.create(name=name or f"Test Person {next(_numbers)}", **fields)


def make_organisation(name: str | None = None, **fields) -> Organisation:
    return Organisation.objects.create(name=name or f"Test Organisation {next(_numbers)}", kind="ngo", **fields)


def involve(incident: Incident, role: str = "victim", **actor) -> Involvement:
    return Involvement.objects.create(incident=incident, role=role, **actor)


def make_provision(article: str, **fields) -> LegalProvision:
    defaults = {"jurisdiction": Place.objects.get(iso_code="KZ"), "code": "Test Code", "title_en": f"Offence {article}"}
    return LegalProvision.objects.create(article=article, **{**defaults, **fields})
