"""/detained/, its CSV and /api/detained/: who is held on a day, for how long, on which articles."""

import csv
import datetime
import io

import pytest
from django.db import connection

from cases.detained import months_before
from cases.models import Case, CaseCharge, CustodyPeriod
from incidents.models import Charge, LegalProvision
from organisations.models import Membership, Organisation
from places.models import Place

from .factories import make_incident, make_organisation, make_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
AMIROVA_ARRESTED = datetime.date(2012, 1, 6)


def hold(person, start, *, kind="pre_trial", end=None, end_reason="", confirmed=None, incident=None, **fields):
    return CustodyPeriod.objects.create(
        person=person,
        incident=incident or make_incident(),
        kind=kind,
        start_date=start,
        end_date=end,
        end_reason=end_reason,
        last_confirmed=confirmed,
        **fields,
    )


def recently() -> datetime.date:
    return TODAY - datetime.timedelta(days=30)


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/api/detained/{query}")
    assert response.status_code == 200, response.content
    return [row["person"]["name"] for row in response.json()["results"]]


def csv_of(client, query: str = "") -> list[dict]:
    response = client.get(f"/detained/export.csv{query}")
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_amirova_is_held_on_the_day_after_her_arrest_and_of_unknown_status_today(client, demo):
    assert listed(client) == []
    assert listed(client, "?status=unknown") == ["Ajzhangul Amirova"]
    (row,) = client.get("/api/detained/?on=2012-01-07").json()["results"]
    assert row["held_since"] == "2012-01-06" and row["days_in_custody"] == 2 and row["status"] == "held"
    assert [charge["article"] for charge in row["charges"]] == ["164"]
    assert row["region"]["slug"] == "mangghystau-oblysy" and row["country"]["slug"] == "kazakhstan"
    assert "halyk-maidan" in [organisation["slug"] for organisation in row["organisations"]]
    assert row["case"]["page"] == "/cases/ajzhangul-amirova-article-164/"
    assert listed(client, "?on=2012-01-05") == []

    html = client.get("/detained/?status=unknown").content.decode()
    assert "Status unknown since 6 January 2012" in html
    assert "{%" not in html and "{#" not in html


def test_custody_counts_from_the_first_of_unbroken_periods_and_restarts_after_a_release(client, demo):
    person = make_person("Marat Transferred")
    start = TODAY - datetime.timedelta(days=400)
    hold(person, start, kind="police", end=start + datetime.timedelta(days=2), end_reason="transferred")
    hold(person, start + datetime.timedelta(days=2), end=start + datetime.timedelta(days=200), end_reason="transferred")
    hold(person, start + datetime.timedelta(days=201), kind="sentence", confirmed=recently())
    released = make_person("Gulnara Rearrested")
    hold(released, datetime.date(2015, 3, 1), end=datetime.date(2016, 3, 1), end_reason="served")
    rearrested = TODAY - datetime.timedelta(days=10)
    hold(released, rearrested, kind="police")

    rows = {row["person"]["name"]: row for row in client.get("/api/detained/").json()["results"]}
    assert rows["Marat Transferred"]["held_since"] == start.isoformat()
    assert rows["Marat Transferred"]["days_in_custody"] == 401
    assert rows["Marat Transferred"]["custody"]["kind"] == "sentence"
    assert rows["Gulnara Rearrested"]["held_since"] == rearrested.isoformat()
    assert rows["Gulnara Rearrested"]["days_in_custody"] == 11
    # Longest held first.
    assert list(rows) == ["Marat Transferred", "Gulnara Rearrested"]


def test_a_month_precise_start_counts_from_the_first_of_the_month_and_says_about(client, demo):
    person = make_person("Yerlan Month")
    hold(person, datetime.date(2024, 5, 17), start_precision="month", confirmed=recently())
    html = client.get("/detained/").content.decode()
    days = (TODAY - datetime.date(2024, 5, 1)).days + 1
    assert f"about {days} days in custody" in html
    assert "since May 2024" in html


def test_a_past_day_is_answered_and_a_future_one_refused(client, demo):
    person = make_person("Serik Released")
    hold(person, datetime.date(2019, 4, 1), end=datetime.date(2020, 4, 1), end_reason="amnesty")
    assert listed(client, "?on=2019-06-01") == ["Serik Released"]
    assert listed(client, "?on=2020-04-02") == []
    assert "Serik Released" not in listed(client)
    tomorrow = (TODAY + datetime.timedelta(days=1)).isoformat()
    for address in ("/detained/", "/api/detained/", "/detained/export.csv"):
        assert client.get(f"{address}?on={tomorrow}").status_code == 400, address
    assert "is still to come" in client.get(f"/api/detained/?on={tomorrow}").json()["on"][0]


def test_filters_narrow_as_on_the_incident_search(client, demo):
    almaty = Place.objects.get(slug="almaty")
    provision = LegalProvision.objects.get(slug="kz-penal-code-2014-article-174")
    organisation = make_organisation("Oil Workers Union")
    charged = make_person("Asel Charged")
    incident = make_incident(place=almaty)
    Charge.objects.create(incident=incident, person=charged, provision=provision, status="charged")
    hold(charged, TODAY - datetime.timedelta(days=50), incident=incident, confirmed=recently())
    member = make_person("Bolat Member")
    Membership.objects.create(person=member, organisation=organisation, role="member")
    hold(member, TODAY - datetime.timedelta(days=40), kind="house_arrest", confirmed=recently())

    assert listed(client) == ["Asel Charged", "Bolat Member"]
    assert listed(client, "?region=almaty") == ["Asel Charged"]
    assert listed(client, f"?charge={provision.slug}") == ["Asel Charged"]
    assert listed(client, f"?organisation={organisation.slug}") == ["Bolat Member"]
    assert listed(client, "?kind=house_arrest") == ["Bolat Member"]
    assert listed(client, "?q=Болат") == ["Bolat Member"]
    assert listed(client, "?q=bolat&kind=pre_trial") == []
    assert [row["person"] for row in csv_of(client, "?region=almaty")] == ["Asel Charged"]
    html = client.get("/detained/?organisation=" + organisation.slug).content.decode()
    assert "Bolat Member" in html and "Asel Charged" not in html and "Oil Workers Union" in html


def test_a_facility_in_the_region_counts_for_the_region(client, demo):
    aktau = Place.objects.get(slug="aktau")
    facility = Place.objects.create(name="Aktau pre-trial detention centre", kind="facility", parent=aktau)
    person = make_person("Dina Facility")
    hold(person, TODAY - datetime.timedelta(days=5), facility=facility, confirmed=TODAY)
    assert listed(client, "?region=mangghystau-oblysy") == ["Dina Facility"]
    assert "Aktau pre-trial detention centre" in client.get("/detained/").content.decode()


def test_a_name_spelled_otherwise_is_found_by_similar_spelling_on_postgresql(client, demo):
    hold(make_person("Kairat Nurmukhamedov"), TODAY - datetime.timedelta(days=3), confirmed=TODAY)
    if connection.vendor != "postgresql":
        # SQLite has no trigram similarity: as on /incidents/, only the spellings the folding rule knows.
        assert listed(client, "?q=Nurmukamedov") == []
        return
    assert listed(client, "?q=Nurmukamedov") == ["Kairat Nurmukhamedov"]
    assert "spelled much like it" in client.get("/detained/?q=Nurmukamedov").content.decode()


@pytest.mark.parametrize(
    "query",
    ["?region=atlantis", "?charge=no-such-article", "?kind=prison", "?on=2012-02-30", "?status=free", "?tpye=arrest"],
)
def test_a_malformed_filter_is_refused_everywhere(client, demo, query):
    page = client.get(f"/detained/{query}")
    api = client.get(f"/api/detained/{query}")
    export = client.get(f"/detained/export.csv{query}")
    assert api.status_code == 400 and export.status_code == 400
    parameter = query[1:].split("=")[0]
    assert parameter in api.json()
    assert parameter in export.content.decode()
    if parameter == "tpye":
        # The page names a parameter it does not know and lists without it, as /incidents/ does.
        assert page.status_code == 200 and "was not understood and was ignored" in page.content.decode()
    else:
        assert page.status_code == 400 and "The search was not run" in page.content.decode()


def test_only_custody_the_public_may_read_is_listed_or_counted(client, demo):
    day = TODAY - datetime.timedelta(days=20)
    hidden = {
        "No Consent": (make_person("No Consent", consent_to_publish=False), make_incident(), None),
        "Draft Incident": (make_person("Draft Incident"), make_incident(status="draft"), None),
        "Confidential Case": (
            make_person("Confidential Case"),
            make_incident(),
            Case.objects.create(title="Hidden case", confidential=True),
        ),
    }
    for person, incident, case in hidden.values():
        hold(person, day, incident=incident, case=case, confirmed=day)
    hold(make_person("Visible Person"), day, confirmed=day)

    assert listed(client) == ["Visible Person"]
    assert [row["person"] for row in csv_of(client)] == ["Visible Person"]
    page = client.get("/detained/").content.decode()
    home = client.get("/").content.decode()
    for name in hidden:
        assert name not in page
    assert "Hidden case" not in page
    assert "1 person</a> is publicly known to be held today" in home


def test_the_home_page_counts_who_is_held_now_and_a_year_ago(client, demo):
    long_held = make_person("Long Held")
    hold(long_held, datetime.date(2020, 1, 1), confirmed=recently())
    recent = make_person("Recently Held")
    hold(recent, TODAY - datetime.timedelta(days=60), confirmed=recently())
    year_ago = months_before(TODAY, 12)
    html = client.get("/").content.decode()
    assert "2 people</a> are publicly known to be held today" in html
    assert "1 person was." in html
    assert html.count("<rect ") == 13
    counts = CustodyPeriod.objects.held_counts([year_ago, TODAY])
    assert counts == {year_ago: 1, TODAY: 2}
    assert client.get("/api/detained/").json()["count"] == counts[TODAY]


def test_the_csv_has_the_row_of_each_person_held_and_a_byte_order_mark_for_excel(client, demo):
    rows = csv_of(client, "?on=2012-01-07")
    assert [(row["person"], row["days_in_custody"], row["articles"]) for row in rows] == [
        ("Ajzhangul Amirova", "2", "Kazakhstan, Penal Code (1997), Article 164")
    ]
    assert rows[0]["case_url"].endswith("/cases/ajzhangul-amirova-article-164/")
    response = client.get("/detained/export.csv?bom=1")
    assert b"".join(response.streaming_content).startswith("\ufeff".encode())
    assert 'filename="vigil-detained-' in response["Content-Disposition"]


def test_the_lists_read_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    provision = LegalProvision.objects.get(article="164")
    organisation = Organisation.objects.get(slug="halyk-maidan")
    for number in range(30):
        person = make_person(f"Held Person {number}")
        incident = make_incident()
        case = Case.objects.create(title=f"Case {number}")
        charge = Charge.objects.create(incident=incident, person=person, provision=provision, status="charged")
        CaseCharge.objects.create(case=case, charge=charge)
        Membership.objects.create(person=person, organisation=organisation, role="member")
        hold(person, TODAY - datetime.timedelta(days=number + 1), incident=incident, case=case, confirmed=TODAY)
    client.get("/detained/")  # the pickers are kept after the first page
    # Periods covering the day, each with the start of its custody, then the page's periods,
    # charges, memberships and places.
    with django_assert_num_queries(5):
        response = client.get("/detained/")
    assert response.content.decode().count('class="detainee"') == 30
    with django_assert_num_queries(5):
        assert client.get("/api/detained/").json()["count"] == 30


def test_the_home_page_keeps_its_trend_for_a_minute_not_its_list(client, demo, django_assert_num_queries):
    client.get("/")
    # The count of incidents, their types and the latest are read again; the 13 days' counts are kept.
    with django_assert_num_queries(4):
        client.get("/")
