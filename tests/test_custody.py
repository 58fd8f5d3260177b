"""Custody periods: who is held on a day, "status unknown" after 12 months without news, entry rules."""

import datetime

import pytest
from django.urls import reverse

from cases.models import CustodyPeriod
from cases.querysets import twelve_months_before
from people.models import Person
from places.models import Place

from .factories import admin_form_data, make_incident, make_person

pytestmark = pytest.mark.django_db

AMIROVA = "ajzhangul-amirova"


def held(day: datetime.date) -> dict[str, bool]:
    """Who is held on the day, by slug, with whether their status is unknown."""
    return {period.person.slug: period.status_unknown for period in CustodyPeriod.objects.held_on(day)}


def test_amirova_is_held_after_her_arrest_and_of_unknown_status_today(demo):
    assert AMIROVA not in held(datetime.date(2012, 1, 5))
    assert held(datetime.date(2012, 1, 6))[AMIROVA] is False
    assert held(datetime.date(2013, 1, 6))[AMIROVA] is False
    assert held(datetime.date(2013, 1, 7))[AMIROVA] is True
    today = datetime.date.today()
    assert held(today)[AMIROVA] is True
    assert not CustodyPeriod.objects.held_on(today).confirmed().filter(person__slug=AMIROVA).exists()
    assert CustodyPeriod.objects.held_on(today).status_unknown().get().last_confirmed == datetime.date(2012, 1, 6)


def test_the_case_page_says_status_unknown_since_the_last_confirmation(client, demo):
    html = client.get("/cases/ajzhangul-amirova-article-164/").content.decode()
    assert "police custody, since 6 January 2012" in html
    assert "Status unknown since 6 January 2012" in html


def test_a_closed_period_holds_until_its_end_and_a_month_start_counts_from_the_month(demo):
    person = make_person("Serik Closed")
    CustodyPeriod.objects.create(
        person=person,
        incident=make_incident(),
        kind="pre_trial",
        start_date=datetime.date(2020, 5, 17),
        start_precision="month",
        end_date=datetime.date(2020, 9, 30),
        end_reason="acquittal",
    )
    assert person.slug in held(datetime.date(2020, 5, 1))
    assert held(datetime.date(2020, 9, 30))[person.slug] is False
    assert person.slug not in held(datetime.date(2020, 10, 1))
    # A closed period is never "status unknown", however old its last confirmation.
    assert held(datetime.date(2020, 9, 30))[person.slug] is False


def test_only_public_custody_of_people_who_may_be_named_is_held(demo):
    day = datetime.date(2021, 3, 1)
    cases = {
        "draft incident": (make_person("Draft Incident"), make_incident(status="draft")),
        "no consent": (make_person("No Consent", consent_to_publish=False), make_incident()),
        "confidential": (make_person("Confidential Person", confidential=True), make_incident()),
        "confidential incident": (make_person("Confidential Incident"), make_incident(confidential=True)),
    }
    for person, incident in cases.values():
        CustodyPeriod.objects.create(person=person, incident=incident, kind="police", start_date=day)
    shown = held(day)
    assert not any(person.slug in shown for person, _incident in cases.values())


def test_twelve_months_before_a_leap_day():
    assert twelve_months_before(datetime.date(2024, 2, 29)) == datetime.date(2023, 2, 28)


def test_a_period_without_a_confirmation_date_is_confirmed_on_its_start(demo):
    period = CustodyPeriod.objects.create(
        person=make_person(), incident=make_incident(), kind="police", start_date=datetime.date(2022, 4, 2)
    )
    assert period.last_confirmed == datetime.date(2022, 4, 2)
    assert period.status_unknown_on(datetime.date(2023, 4, 3))


# Entry on the person's admin page


def person_form(client, person: Person, *rows: dict) -> dict:
    page = client.get(reverse("admin:people_person_change", args=[person.pk]))
    data = admin_form_data(page)
    prefix = "custody_periods"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    for number, row in enumerate(rows, start=total):
        for name, value in {"start_precision": "day", "end_precision": "day", **row}.items():
            data[f"{prefix}-{number}-{name}"] = str(value)
    return data


def post(client, person, data):
    return client.post(reverse("admin:people_person_change", args=[person.pk]), data)


@pytest.fixture
def arrest(demo):
    return make_incident(status="draft", title="Arrest, draft")


def test_custody_is_entered_on_the_person_page_with_history(staff_client, arrest):
    person = make_person("Erlan Entered")
    facility = Place.objects.create(name="Pre-trial detention centre 1", kind="facility", parent=arrest.place)
    data = person_form(
        staff_client,
        person,
        {"kind": "pre_trial", "incident": arrest.pk, "start_date": "2021-02-03", "facility": facility.pk},
    )
    assert post(staff_client, person, data).status_code == 302
    period = person.custody_periods.get()
    assert (period.facility, period.last_confirmed, period.history.count()) == (facility, datetime.date(2021, 2, 3), 1)


def test_a_release_before_the_start_is_a_form_error(staff_client, arrest):
    person = make_person()
    data = person_form(
        staff_client,
        person,
        {
            "kind": "police",
            "incident": arrest.pk,
            "start_date": "2021-02-03",
            "end_date": "2021-02-01",
            "end_reason": "released",
        },
    )
    response = post(staff_client, person, data)
    assert response.status_code == 200
    assert "Custody cannot end before it starts." in response.content.decode()
    assert not person.custody_periods.exists()


def test_two_open_periods_for_one_person_are_a_form_error(staff_client, arrest):
    person = make_person()
    open_period = {"kind": "police", "incident": arrest.pk, "start_date": "2021-02-03"}
    response = post(staff_client, person, person_form(staff_client, person, open_period, open_period))
    assert "one open custody period at most" in response.content.decode()
    assert post(staff_client, person, person_form(staff_client, person, open_period)).status_code == 302
    response = post(staff_client, person, person_form(staff_client, person, {**open_period, "kind": "pre_trial"}))
    assert "already has an open custody period" in response.content.decode()
    assert person.custody_periods.count() == 1


def test_a_facility_must_be_a_place_of_kind_facility(staff_client, arrest):
    person = make_person()
    data = person_form(
        staff_client,
        person,
        {"kind": "police", "incident": arrest.pk, "start_date": "2021-02-03", "facility": arrest.place.pk},
    )
    assert post(staff_client, person, data).status_code == 200
    assert not person.custody_periods.exists()


def test_the_end_reason_needs_an_end(staff_client, arrest):
    person = make_person()
    data = person_form(
        staff_client,
        person,
        {"kind": "police", "incident": arrest.pk, "start_date": "2021-02-03", "end_reason": "died"},
    )
    assert (
        "Only a custody period with an end date has a reason it ended."
        in post(staff_client, person, data).content.decode()
    )
