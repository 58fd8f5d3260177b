"""The other downloads of a search: the spreadsheet, one row per involvement, and what every
export carries (public_id, the permanent address, the last-verified date)."""

import csv
import datetime
import io

import openpyxl
import pytest

from cases.models import CustodyPeriod
from incidents import export as export_module
from incidents.models import Incident

from .factories import involve, make_incident, make_organisation, make_person
from .search_helpers import export_rows

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def spreadsheet(client, address: str):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    body = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(body)).worksheets[0], response


def csv_of(client, address: str) -> list[dict]:
    body = b"".join(client.get(address).streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


def test_every_incident_row_carries_its_public_id_permanent_address_and_last_verification(client, demo):
    [row] = export_rows(client, {"type": "arrest"})
    arrest = Incident.objects.get(slug=ARREST)
    assert row["public_id"] == str(arrest.public_id)
    assert row["permanent_url"] == f"http://testserver/incidents/{arrest.public_id}/"
    assert row["last_verified"] == arrest.last_verified_at.date().isoformat()


def test_the_spreadsheet_has_the_rows_of_the_csv_with_dates_as_dates(client, demo):
    sheet, response = spreadsheet(client, "/incidents/export.xlsx?region=zhanaozen")
    assert response["Content-Disposition"].startswith('attachment; filename="vigil-incidents-')
    assert response["Content-Disposition"].endswith('-region-zhanaozen.xlsx"')
    rows = list(sheet.iter_rows(values_only=True))
    header, cells = rows[0], rows[1:]
    expected = export_rows(client, {"region": "zhanaozen"})
    assert list(header) == list(expected[0])
    assert len(cells) == len(expected) > 1
    for row, wanted in zip(cells, expected, strict=True):
        values = dict(zip(header, row, strict=True))
        assert values["period_start"].date() == datetime.date.fromisoformat(wanted["period_start"])
        assert values["title"] == wanted["title"] and values["public_id"] == wanted["public_id"]
        assert str(values["sources"]) == wanted["sources"]
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        ('=HYPERLINK("http://example.org","x") zebra', '=HYPERLINK("http://example.org","x") zebra'),
        ("+7 zebra", "+7 zebra"),
        ("-1+1 zebra", "-1+1 zebra"),
        ("@SUM(1) zebra", "@SUM(1) zebra"),
        ("#N/A zebra", "#N/A zebra"),
        # A vertical tab pasted from a word processor: a worksheet cannot hold it.
        ("Line\x0bbreak zebra", "Line break zebra"),
    ],
)
def test_text_that_looks_like_a_formula_is_text_in_the_spreadsheet(client, demo, title, shown):
    involve(make_incident(title=title, summary=title), organisation=make_organisation(title))
    sheet, _response = spreadsheet(client, "/incidents/export.xlsx?q=zebra")
    row = dict(zip([cell.value for cell in sheet[1]], sheet[2], strict=True))
    for column in ("title", "summary", "organisations"):
        assert (row[column].value, row[column].data_type) == (shown, "s")
    sheet, _response = spreadsheet(client, "/incidents/involvements.xlsx?q=zebra")
    row = dict(zip([cell.value for cell in sheet[1]], sheet[2], strict=True))
    for column in ("incident_title", "actor"):
        assert (row[column].value, row[column].data_type) == (shown, "s")


@pytest.mark.parametrize(
    "address", ["/incidents/export.xlsx", "/incidents/involvements.csv", "/incidents/involvements.xlsx"]
)
def test_a_bad_filter_is_refused_with_a_400_that_says_why(client, demo, address):
    response = client.get(f"{address}?region=atlantis&tpye=arrest")
    assert response.status_code == 400
    text = response.content.decode()
    assert "region:" in text and "tpye:" in text


def test_one_row_per_public_involvement_names_only_who_may_be_named(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, role="witness", person=make_person("Hidden Witness"), confidential=True)
    shy = make_person("Shy Witness", consent_to_publish=False)
    involve(arrest, role="witness", person=shy)
    involve(make_incident(status="draft"), person=make_person("Draft Person"))
    rows = csv_of(client, "/incidents/involvements.csv?type=arrest")
    assert [(row["role"], row["actor_kind"], row["actor"]) for row in rows] == [
        ("perpetrator", "organisation", "Law enforcement agencies of Kazakhstan"),
        ("victim", "person", "Ajzhangul Amirova"),
        ("witness", "person", "Person A"),
    ]
    amirova = arrest.involvements.get(role="victim").person
    victim = rows[1]
    assert victim["actor_public_id"] == str(amirova.public_id)
    assert victim["actor_permanent_url"] == f"http://testserver/people/{amirova.public_id}/"
    assert victim["charges"] == "Kazakhstan, Penal Code (1997), Article 164 (charged)"
    assert victim["incident_public_id"] == str(arrest.public_id)
    assert victim["last_verified"] == arrest.last_verified_at.date().isoformat()
    pseudonymous = rows[2]
    assert (pseudonymous["actor_public_id"], pseudonymous["actor_permanent_url"], pseudonymous["charges"]) == (
        "",
        "",
        "",
    )
    body = b"".join(client.get("/incidents/involvements.csv").streaming_content).decode()
    for secret in ("Hidden Witness", "Shy Witness", "Draft Person", str(shy.public_id)):
        assert secret not in body


def test_the_involvement_spreadsheet_has_the_rows_of_its_csv(client, demo):
    sheet, response = spreadsheet(client, "/incidents/involvements.xlsx")
    assert 'filename="vigil-involvements-' in response["Content-Disposition"]
    expected = csv_of(client, "/incidents/involvements.csv")
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == len(expected) > 5
    assert [row[12] for row in rows[1:]] == [row["actor"] for row in expected]


@pytest.mark.parametrize(
    ("address", "queries"),
    [
        ("/incidents/export.csv", 9),
        ("/incidents/export.xlsx", 8),
        ("/incidents/involvements.csv", 9),
        ("/incidents/involvements.xlsx", 8),
    ],
)
def test_each_export_reads_a_fixed_number_of_queries_whatever_the_rows(
    client, demo, django_assert_num_queries, monkeypatch, address, queries
):
    def export():
        response = client.get(address)
        b"".join(response.streaming_content)

    # The transaction's savepoint and its release, the countries and regions, the provisions, the
    # CSV's row count, the incidents (one query, read a chunk at a time), then per chunk of
    # incidents their public involvements, their public charges and their citations.
    with django_assert_num_queries(queries):
        export()
    for _ in range(30):
        involve(make_incident(), organisation=make_organisation())
    with django_assert_num_queries(queries):
        export()
    # 39 incidents in chunks of 10: three queries more for each of the three chunks after the first.
    monkeypatch.setattr(export_module, "FIRST_CHUNK", 10)
    monkeypatch.setattr(export_module, "EXPORT_CHUNK", 10)
    with django_assert_num_queries(queries + 3 * 3):
        export()


def test_the_list_of_people_held_carries_identifier_permanent_address_and_last_verification(client, demo):
    rows = csv_of(client, "/detained/export.csv?status=unknown") + csv_of(client, "/detained/export.csv")
    assert rows
    for row in rows:
        assert row["public_id"] and row["permanent_url"].endswith(f"/people/{row['public_id']}/")
        assert row["last_verified"]


def test_the_search_page_links_to_every_download_of_the_same_search(client, demo):
    html = client.get("/incidents/?region=zhanaozen").content.decode()
    for address in ("export.xlsx", "involvements.csv", "involvements.xlsx"):
        assert f"/incidents/{address}?region=zhanaozen" in html
    assert "/incidents/feed.atom" in html


def test_the_list_of_people_held_reads_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    today = datetime.date.today()

    def hold(count: int) -> None:
        for number in range(count):
            CustodyPeriod.objects.create(
                person=make_person(),
                incident=make_incident(),
                kind="pre_trial",
                start_date=today - datetime.timedelta(days=number + 1),
                last_confirmed=today,
            )

    def export() -> int:
        return len(b"".join(client.get("/detained/export.csv").streaming_content).splitlines())

    # The periods covering the day, each one's start of custody, then per chunk of 500 people:
    # their periods, charges, memberships and places.
    hold(1)
    with django_assert_num_queries(5):
        before = export()
    hold(30)
    with django_assert_num_queries(5):
        assert export() == before + 30
