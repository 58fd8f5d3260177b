"""The CSV export: the current search, streamed row by row, with only public facts."""

import csv
import io
import threading

import pytest
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import RequestFactory
from hypothesis import given, settings
from hypothesis import strategies as st

from incidents import export as export_module
from incidents.export import csv_lines, spreadsheet_safe
from incidents.models import Incident
from incidents.views import export_csv

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


def test_export_query_count_does_not_grow_with_the_rows(client, demo, django_assert_num_queries, monkeypatch):
    def export():
        b"".join(client.get("/incidents/export.csv").streaming_content)

    # The transaction's savepoint and its release, the countries and regions, the provisions, the
    # row count, the incidents (one query, read a chunk at a time), then per chunk of incidents
    # their public involvements, their public charges and their citations.
    with django_assert_num_queries(9):
        export()
    for _ in range(40):
        involve(make_incident(), person=make_person())
    with django_assert_num_queries(9):
        export()
    # 49 incidents in chunks of 10: three queries more for each of the four chunks after the first.
    monkeypatch.setattr(export_module, "FIRST_CHUNK", 10)
    monkeypatch.setattr(export_module, "EXPORT_CHUNK", 10)
    with django_assert_num_queries(9 + 4 * 3):
        export()


def test_the_row_count_header_announces_the_rows_of_the_complete_file(client, demo):
    make_incident(title="Awk line breaks", summary='One,\n"two"\r\nthree')
    for address in ("/incidents/export.csv", "/incidents/involvements.csv"):
        for params in ({}, {"type": "arrest"}, {"q": "nothing matches this"}, {"bom": "1"}):
            response = client.get(address, params)
            rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
            assert int(response["X-Row-Count"]) == len(rows) - 1, (address, params)
    assert int(client.get("/incidents/export.csv")["X-Row-Count"]) == Incident.objects.public().count()


def test_a_download_left_half_way_gives_its_connection_back(demo, monkeypatch):
    """The rows are read on a second thread, which borrows the request's database connection:
    a client that goes away stops it, and the connection is the request's again."""
    monkeypatch.setattr(export_module, "FIRST_CHUNK", 2)
    monkeypatch.setattr(export_module, "EXPORT_CHUNK", 2)
    threads = threading.active_count()
    response = export_csv(RequestFactory().get("/incidents/export.csv"))
    content = iter(response.streaming_content)
    next(content), next(content)
    assert threading.active_count() == threads + 1
    # Closed as a server closes the response of a client that went away, but without the handler
    # that closes a connection left in a transaction (the test's own, here).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert threading.active_count() == threads
    assert not connection.allow_thread_sharing
    assert Incident.objects.public().count() == int(response["X-Row-Count"])


def test_the_rows_are_written_as_the_csv_module_writes_them():
    texts = st.text(alphabet=st.sampled_from(["a", "é", ",", '"', "\n", "\r", " ", "=", "-", "@", "+", "\t", "'"]))
    values = st.one_of(texts, st.integers(), st.none())

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.lists(values, min_size=2, max_size=5), min_size=1, max_size=4))
    def check(rows):
        output = io.StringIO()
        safe = [[spreadsheet_safe(value) if isinstance(value, str) else value for value in row] for row in rows]
        csv.writer(output).writerows(safe)
        assert csv_lines(rows) == output.getvalue()

    check()


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
