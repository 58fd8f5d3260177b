"""The CSV export: the current search, streamed row by row, with only public facts."""

import pytest
from django.core.management import call_command

from incidents.models import Incident

from .factories import involve, make_incident, make_person
from .search_helpers import export_rows, page_slugs

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def test_export_is_streamed_as_a_csv_attachment(client, demo):
    response = client.get("/incidents/export.csv", {"q": "amirova"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="vigil-incidents-')
    first = next(iter(response.streaming_content))
    assert first.decode().startswith("public_id,url,title,type,date")


def test_export_rows_carry_the_public_facts(client, demo):
    [row] = export_rows(client, {"type": "arrest"})
    assert row["title"] == "Ajzhangul Amirova arrested at Aktau airport"
    assert row["date"] == "6 January 2012, 09:30"
    assert (row["period_start"], row["period_end"]) == ("2012-01-06", "2012-01-06")
    assert row["place"] == "Aktau International Airport"
    assert row["people"] == "Ajzhangul Amirova"
    assert row["organisations"] == "Law enforcement agencies of Kazakhstan"
    assert row["charges"] == "Ajzhangul Amirova: Kazakhstan, Penal Code (1997), Article 164 (charged)"
    [strike] = export_rows(client, {"q": "oil workers strike"})
    assert strike["date"] == "since May 2011" and strike["period_end"] == ""


def test_export_leaves_out_hidden_records_and_staff_only_fields(client, demo):
    make_incident(title="Draft marker", status="draft")
    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, role="witness", person=make_person("Hidden Witness"), confidential=True)
    involve(arrest, role="witness", person=make_person("Shy Witness", consent_to_publish=False))
    body = "".join(str(row) for row in export_rows(client, {}))
    for secret in ("Draft marker", "Hidden Witness", "Shy Witness", "building 62", "lyudmylakozlovska"):
        assert secret not in body
    assert "Person A" in body  # the pseudonym of the incident's first person without consent


def test_export_matches_the_page_for_the_same_search(client, demo):
    for params in ({}, {"region": "zhanaozen"}, {"q": "Сактаганова"}):
        slugs = [row["url"].rstrip("/").rsplit("/", 1)[-1] for row in export_rows(client, params)]
        assert slugs == page_slugs(client, params)


def test_cells_that_a_spreadsheet_would_run_are_defused(client, db):
    call_command("load_demo", verbosity=0)
    make_incident(title="=HYPERLINK(1)")
    [row] = export_rows(client, {"q": "hyperlink"})
    assert row["title"] == "'=HYPERLINK(1)"


def test_export_query_count_does_not_grow_with_the_rows(client, demo, django_assert_num_queries):
    def export():
        b"".join(client.get("/incidents/export.csv").streaming_content)

    # the countries and regions once, the transaction's savepoint and its release, then per chunk
    # of 100 rows: the incidents, their public involvements, their public charges, their citations
    with django_assert_num_queries(7):
        export()
    for _ in range(40):
        involve(make_incident(), person=make_person())
    with django_assert_num_queries(7):
        export()


def test_export_rows_place_each_incident_in_its_country_and_region_and_name_roles_and_sources(client, demo):
    [row] = export_rows(client, {"type": "arrest"})
    assert (row["country"], row["region"]) == ("Kazakhstan", "Mangghystaū oblysy")
    assert row["actors_by_role"] == "perpetrator: Law enforcement agencies of Kazakhstan; victim: Ajzhangul Amirova"
    assert row["sources"] == "1" and row["lowest_confidence"] == "high"


def test_export_is_in_the_base_language_whoever_downloads_it(client, demo):
    response = client.get("/incidents/export.csv", {"type": "arrest"}, headers={"accept-language": "ru"})
    body = b"".join(response.streaming_content).decode()
    assert "6 January 2012, 09:30" in body and "января" not in body


def test_a_byte_order_mark_on_request_for_excel(client, demo):
    plain = b"".join(client.get("/incidents/export.csv", {"type": "arrest"}).streaming_content)
    marked = b"".join(client.get("/incidents/export.csv", {"type": "arrest", "bom": "1"}).streaming_content)
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain
    wrong = client.get("/incidents/export.csv", {"bom": "maybe"})
    assert wrong.status_code == 400 and "bom: " in wrong.content.decode()


def test_the_file_name_carries_the_date_and_the_filters(client, demo):
    response = client.get("/incidents/export.csv", {"q": "Амирова", "type": "arrest"})
    name = response["Content-Disposition"]
    assert name.startswith('attachment; filename="vigil-incidents-20') and name.endswith('.csv"')
    assert "-q-amirova" in name and "-type-arrest" in name
