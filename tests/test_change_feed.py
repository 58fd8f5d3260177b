"""The change feed (/api/changes/): a re-user who replays it holds exactly the public dataset.

Changes are published once their transaction is committed; the tests run each change inside
`django_capture_on_commit_callbacks(execute=True)`, which runs what a commit would run.
"""

import csv
import io
import threading
import time

import pytest
from django.db import OperationalError, connection, transaction

from core.merging import merge
from exchange import changes
from exchange.models import PublicChange
from incidents import workflow
from incidents.export import CSV_HEADER
from incidents.models import Incident
from people.models import Person
from places.models import Place

from .factories import involve, make_incident, make_person, make_user

pytestmark = pytest.mark.django_db


def read_feed(client, since: int = 0) -> tuple[list[dict], int]:
    """Every change after the cursor, page after page, and the last cursor."""
    entries, address = [], f"/api/changes/?since={since}"
    while address:
        page = client.get(address).json()
        entries += page["changes"]
        address, since = page["next"], page["cursor"]
    return entries, since


def replayed(entries: list[dict], state: dict | None = None) -> dict:
    """The records a re-user holds after applying these changes, by kind and public_id."""
    state = {} if state is None else state
    for entry in entries:
        key = (entry["kind"], entry["public_id"])
        if entry["action"] == "removed":
            assert entry["record"] is None
            state.pop(key, None)
        else:
            state[key] = entry["record"]
    return state


def csv_lines(rows: list[list]) -> list[str]:
    output = io.StringIO()
    csv.writer(output).writerows(rows)
    return output.getvalue().splitlines(keepends=True)


def as_csv(state: dict) -> str:
    """The incidents held, written as the public CSV writes them (the CSV's order is newest
    first; both sides are sorted by public_id here, as the feed carries no order of its own)."""
    rows = [[record[name] for name in CSV_HEADER] for (kind, _), record in state.items() if kind == "incident"]
    rows = [[str(value) for value in row] for row in rows]
    return "".join(csv_lines([CSV_HEADER]) + sorted(csv_lines(rows)))


def exported(client) -> str:
    lines = b"".join(client.get("/incidents/export.csv").streaming_content).decode().splitlines(keepends=True)
    return lines[0] + "".join(sorted(lines[1:]))


def test_replaying_the_feed_from_the_start_gives_the_public_csv_byte_for_byte(client, demo):
    entries, _cursor = read_feed(client)
    state = replayed(entries)
    assert as_csv(state) == exported(client)
    assert len([key for key in state if key[0] == "incident"]) == Incident.objects.public().count()


def test_every_kind_of_change_reaches_the_feed_and_the_replay_stays_equal_to_the_csv(
    client, demo, django_capture_on_commit_callbacks
):
    state, cursor = {}, 0
    entries, cursor = read_feed(client, cursor)
    replayed(entries, state)
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    arrest = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")

    with django_capture_on_commit_callbacks(execute=True):
        new = make_incident(title="Picket outside the akimat", status="submitted", created_by=researcher)
        involve(new, person=amirova)
        workflow.verify(incident=new, by=verifier, note="Checked against two reports.")
    with django_capture_on_commit_callbacks(execute=True):
        airport = Place.objects.get(slug="aktau-airport")
        airport.name = "Aqtau International Airport"
        airport.save()
    with django_capture_on_commit_callbacks(execute=True):
        retracted = make_incident(title="Report later withdrawn")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.retract(incident=retracted, by=verifier, reason="The source withdrew it.")

    entries, cursor = read_feed(client, cursor)
    replayed(entries, state)
    assert as_csv(state) == exported(client)
    by_key = {(entry["kind"], entry["public_id"], entry["action"]): entry for entry in entries}
    assert ("incident", str(new.public_id), "created") in by_key
    assert ("incident", str(arrest.public_id), "updated") in by_key  # its place was renamed
    assert by_key[("incident", str(retracted.public_id), "removed")]["reason"] == "retracted"

    with django_capture_on_commit_callbacks(execute=True):
        hidden = Person.objects.get(pk=amirova.pk)
        hidden.confidential = True
        hidden.save()
    entries, cursor = read_feed(client, cursor)
    removal = next(entry for entry in entries if entry["public_id"] == str(amirova.public_id))
    assert (removal["action"], removal["reason"], removal["record"]) == ("removed", "confidential", None)
    replayed(entries, state)
    assert as_csv(state) == exported(client)
    # Her incidents stay, without her name among the people (a title is the record's own text).
    assert not [record for record in state.values() if "Ajzhangul Amirova" in record.get("people", "")]
    assert ("person", str(amirova.public_id)) not in state


def test_a_merged_person_leaves_a_tombstone_pointing_at_the_kept_one(client, demo, django_capture_on_commit_callbacks):
    verifier = make_user("Verifier")
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident()
        kept, other = make_person("Dana Serikova"), make_person("Dana Serikowa")
        involve(incident, person=kept)
        involve(incident, person=other, role="witness")
    _entries, cursor = read_feed(client)
    with django_capture_on_commit_callbacks(execute=True):
        merge(kept, other, take=set(), by=verifier)
    entries, _cursor = read_feed(client, cursor)
    tombstone = next(entry for entry in entries if entry["public_id"] == str(other.public_id))
    assert tombstone["action"] == "removed"
    assert tombstone["reason"] == "merged"
    assert tombstone["merged_into"] == str(kept.public_id)
    assert tombstone["record"] is None


def test_a_save_that_changes_nothing_public_adds_nothing(client, demo, django_capture_on_commit_callbacks):
    _entries, cursor = read_feed(client)
    with django_capture_on_commit_callbacks(execute=True):
        incident = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")
        incident.private_notes = "Called the family again."
        incident.save()
        draft = make_incident(status="draft", title="Not checked yet")
        involve(draft, person=make_person("Someone In A Draft"))
    entries, _cursor = read_feed(client, cursor)
    assert entries == []


def test_pages_follow_one_another_without_gap_or_repeat(client, demo, settings, django_capture_on_commit_callbacks):
    settings.CHANGES_PER_PAGE = 3
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(7):
            make_incident()
    entries, _cursor = read_feed(client)
    cursors = [entry["cursor"] for entry in entries]
    assert cursors == sorted(set(cursors))
    assert len(entries) == PublicChange.objects.count()


def test_a_bad_cursor_or_parameter_is_a_400_that_says_why(client, demo):
    for query in ("since=abc", "since=-1", "since=1.5", "since=1&since=2", "from=3"):
        response = client.get(f"/api/changes/?{query}")
        assert response.status_code == 400, query
        assert response.json(), query


def test_the_feed_is_up_to_date_once_it_answers_an_empty_page(client, demo):
    _entries, cursor = read_feed(client)
    page = client.get(f"/api/changes/?since={cursor}").json()
    assert page == {"changes": [], "cursor": cursor, "next": None}


def test_synchronising_after_a_bulk_update_publishes_what_the_signals_missed(client, demo):
    _entries, cursor = read_feed(client)
    Incident.objects.filter(slug="amirova-arrest-aktau-airport-2012").update(title="Renamed in bulk")
    assert read_feed(client, cursor)[0] == []
    changes.synchronise()
    entries, _cursor = read_feed(client, cursor)
    assert [entry["record"]["title"] for entry in entries] == ["Renamed in bulk"]
    assert changes.synchronise() == 0


@pytest.mark.django_db(transaction=True)
def test_a_change_committed_later_never_gets_a_cursor_below_one_already_read(client):
    """Two writers at once: the second cannot publish before the first has committed, so a
    reader never reads cursor N and later meets a change below N.

    On PostgreSQL the second waits for the feed's lock. SQLite has one writer at a time: the
    test database (in memory, shared between threads) refuses the second writer until the first
    commits, where a database file makes it wait; either way it publishes after the first.
    """
    first, second = make_incident(title="First writer"), make_incident(title="Second writer")
    _entries, cursor = read_feed(client)
    holding, release = threading.Event(), threading.Event()
    order = []

    def first_writer():
        try:
            with transaction.atomic():
                Incident.objects.filter(pk=first.pk).update(title="First writer, edited")
                changes.publish([("incident", first.pk)])
                holding.set()
                release.wait(10)
            order.append("first")
        finally:
            connection.close()

    def second_writer():
        try:
            holding.wait(10)
            while True:
                try:
                    with transaction.atomic():
                        Incident.objects.filter(pk=second.pk).update(title="Second writer, edited")
                        changes.publish([("incident", second.pk)])
                    break
                except OperationalError:  # SQLite's "table is locked": try again
                    time.sleep(0.05)
            order.append("second")
        finally:
            connection.close()

    threads = [threading.Thread(target=first_writer), threading.Thread(target=second_writer)]
    for thread in threads:
        thread.start()
    holding.wait(10)
    time.sleep(0.5)
    assert order == []  # the second is still waiting
    if connection.vendor == "postgresql":
        # The first holds its change uncommitted, the second waits: the reader sees neither.
        assert read_feed(client, cursor)[0] == []
    release.set()
    for thread in threads:
        thread.join(20)
    entries, _cursor = read_feed(client, cursor)
    assert order == ["first", "second"]
    assert [entry["record"]["title"] for entry in entries] == ["First writer, edited", "Second writer, edited"]
    assert [entry["cursor"] for entry in entries] == sorted(entry["cursor"] for entry in entries)


def test_a_page_of_the_feed_is_one_query_whatever_its_length(client, demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/api/changes/").status_code == 200
    changes.synchronise()
    with django_assert_num_queries(1):
        client.get("/api/changes/?since=0")
