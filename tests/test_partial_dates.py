"""A date known to a year, a month or a day is typed as such in the admin, in one box."""

import datetime

import pytest
from django.urls import reverse

from core.partial_dates import PartialDate, PartialDateField
from incidents.models import Incident, IncidentType
from people.models import Person

from .factories import admin_form_data, make_person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "date", "precision"),
    [
        ("2024", datetime.date(2024, 1, 1), "year"),
        ("2024-03", datetime.date(2024, 3, 1), "month"),
        ("2024-3-8", datetime.date(2024, 3, 8), "day"),
        (" 2024-03-08 ", datetime.date(2024, 3, 8), "day"),
        ("03.2024", datetime.date(2024, 3, 1), "month"),
        ("08.03.2024", datetime.date(2024, 3, 8), "day"),
    ],
)
def test_a_date_is_read_to_the_precision_it_is_written_with(typed, date, precision):
    assert PartialDateField().clean(typed) == PartialDate(date, precision)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("March 2024", "Enter a year (2024), a month (2024-03) or a day (2024-03-08)."),
        ("24", "Enter a year (2024), a month (2024-03) or a day (2024-03-08)."),
        ("2024-02-30", "2024-02-30 is not a day of the calendar."),
        ("2024-13", "2024-13 is not a day of the calendar."),
    ],
)
def test_a_date_that_is_not_one_is_refused_with_the_formats_that_are(typed, message):
    with pytest.raises(Exception) as refused:
        PartialDateField().clean(typed)
    assert refused.value.messages == [message]


def add_incident(client, start: str, end: str = "") -> object:
    from .test_admin import empty_inlines

    page = client.get(reverse("admin:incidents_incident_add"))
    data = {
        **empty_inlines(page),
        "title": "Strike dispersed in Zhanaozen",
        "language": "en",
        "incident_type": IncidentType.objects.get(slug="arrest").pk,
        "start_date": start,
        "end_date": end,
    }
    return client.post(reverse("admin:incidents_incident_add"), data)


def test_an_incident_known_to_the_month_is_entered_as_a_month(signed_in, demo):
    researcher = signed_in("Researcher")
    page = researcher.get(reverse("admin:incidents_incident_add")).content.decode()
    assert 'name="start_precision"' not in page and 'placeholder="2024, 2024-03 or 2024-03-08"' in page

    response = add_incident(researcher, "2011-05", "2011-12")
    assert response.status_code == 302, response.context["errors"] if response.context else response
    strike = Incident.objects.get(title="Strike dispersed in Zhanaozen")
    assert (strike.start_date, strike.start_precision) == (datetime.date(2011, 5, 1), "month")
    assert (strike.end_date, strike.end_precision) == (datetime.date(2011, 12, 1), "month")
    assert strike.period_end == datetime.date(2011, 12, 31)

    change_page = researcher.get(reverse("admin:incidents_incident_change", args=[strike.pk])).content.decode()
    assert 'value="2011-05"' in change_page and 'value="2011-12"' in change_page
    data = admin_form_data(researcher.get(reverse("admin:incidents_incident_change", args=[strike.pk])))
    data["start_date"] = "2011"
    researcher.post(reverse("admin:incidents_incident_change", args=[strike.pk]), data)
    strike.refresh_from_db()
    assert (strike.start_date, strike.start_precision) == (datetime.date(2011, 1, 1), "year")


def test_a_date_that_is_not_one_is_a_form_error_and_nothing_is_saved(signed_in, demo):
    researcher = signed_in("Researcher")
    response = add_incident(researcher, "2011-02-30")
    assert response.status_code == 200
    assert "2011-02-30 is not a day of the calendar." in response.content.decode()
    assert not Incident.objects.filter(title="Strike dispersed in Zhanaozen").exists()


def test_a_birth_year_is_entered_as_a_year(signed_in):
    researcher = signed_in("Researcher")
    person = make_person("Known Birth Year")
    url = reverse("admin:people_person_change", args=[person.pk])
    data = admin_form_data(researcher.get(url))
    data["birth_date"] = "1975"
    assert researcher.post(url, data).status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert (person.birth_date, person.birth_date_precision) == (datetime.date(1975, 1, 1), "year")
    assert 'value="1975"' in researcher.get(url).content.decode()


@pytest.mark.parametrize("typed", ["around 2011-05", "~2011-05", "около 05.2011", "шамамен 2011-05", "Around 2011-5"])
def test_around_marks_a_date_as_given_roughly(typed):
    assert PartialDateField().clean(typed) == PartialDate(datetime.date(2011, 5, 1), "month", approximate=True)


def test_an_incident_dated_around_a_month_says_so(signed_in, demo):
    researcher = signed_in("Researcher")
    response = add_incident(researcher, "around 2011-05")
    assert response.status_code == 302, response.context["errors"] if response.context else response
    strike = Incident.objects.get(title="Strike dispersed in Zhanaozen")
    assert (strike.start_precision, strike.dates_approximate) == ("month", True)
    assert (
        'value="~2011-05"'
        in researcher.get(reverse("admin:incidents_incident_change", args=[strike.pk])).content.decode()
    )
    assert strike.date_display.startswith("around May 2011")


def test_a_birth_cannot_be_marked_around(signed_in):
    researcher = signed_in("Researcher")
    person = make_person("Known Birth Year")
    url = reverse("admin:people_person_change", args=[person.pk])
    data = admin_form_data(researcher.get(url))
    data["birth_date"] = "around 1975"
    response = researcher.post(url, data)
    assert response.status_code == 200
    assert "This date is given exactly or not at all: leave out “around”." in response.content.decode()
