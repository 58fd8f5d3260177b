"""Read replicas (core/routers.py) against a real primary and streaming replica: `make test-replicas`.

scripts/with_postgres.py --replica starts the pair and sets DATABASE_REPLICA_URLS; without it the
tests that need the pair are skipped, saying how to run them. Which database served a request is
read from the queries each connection ran; the replica is the one that answers pg_is_in_recovery().
"""

import os
import subprocess
import time

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.routers import PIN_COOKIE, may_read_from_replica
from incidents.models import Incident
from scripts.with_postgres import find_postgres_bin, server_user

REPLICA = "replica_0"
HOW_TO_RUN = (
    "the read replica tests need a primary and a streaming replica: run them with `make test-replicas` "
    "(.venv/bin/python scripts/with_postgres.py --replica -- .venv/bin/python -m pytest tests/test_replicas.py)"
)


@pytest.mark.parametrize(
    "method, path, cookies, replica",
    [
        ("GET", "/incidents/", {}, True),
        ("HEAD", "/api/incidents/", {}, True),
        ("GET", "/incidents/export.csv", {"csrftoken": "x", "django_language": "ru"}, True),
        ("POST", "/i18n/setlang/", {}, False),
        ("GET", "/admin/", {}, False),
        ("GET", "/admin/login/", {}, False),
        ("GET", "/api/changes/", {}, False),
        ("GET", "/incidents/", {"sessionid": "x"}, False),
        ("GET", "/incidents/", {PIN_COOKIE: "1"}, False),
    ],
)
def test_which_requests_may_read_from_a_replica(method, path, cookies, replica):
    request = RequestFactory().generic(method, path)
    request.COOKIES.update(cookies)
    assert may_read_from_replica(request) is replica


@pytest.fixture
def pair():
    """The primary and its replica, the replica having replayed all the primary holds."""
    if REPLICA not in settings.DATABASES:
        pytest.skip(HOW_TO_RUN)
    wait_until_replayed()


def served_by(action) -> tuple[int, int]:
    """The queries that `action` ran on the primary and on the replica."""
    primary, replica = CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections[REPLICA])
    with primary, replica:
        action()
    return len(primary), len(replica)


def get(client, path: str, **extra):
    response = client.get(path, **extra)
    if response.streaming:
        response.content_bytes = b"".join(response.streaming_content)
    return response


def wait_until_replayed() -> None:
    """Until the replica has replayed everything the primary has written so far (committed
    without waiting for the disk, as with_postgres.py runs it: in the WAL's buffers, not yet sent)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_insert_lsn()")
        written = cursor.fetchone()[0]
    deadline = time.monotonic() + 60
    with connections[REPLICA].cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written])
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    pytest.fail("the replica did not replay the primary's writes within 60 s")


def replica_control(action: str) -> None:
    """Stop or start the replica server itself, as with_postgres.py left it."""
    user = server_user()
    as_server_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
    data = os.environ["WITH_POSTGRES_REPLICA_DATA"]
    log = os.path.join(os.path.dirname(data), "replica.log")
    command = [f"{find_postgres_bin()}/pg_ctl", "-D", data, "-l", log, "-w"]
    if action == "stop":
        command += ["-m", "fast"]
    subprocess.run([*command, action], check=True, capture_output=True, **as_server_user)


@pytest.mark.django_db(databases="__all__")
def test_the_replica_is_a_standby_holding_the_primary_s_data(pair):
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (False,)
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
    assert Incident.objects.using(REPLICA).count() == Incident.objects.count() > 0


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize(
    "path", ["/", "/incidents/", "/people/", "/api/incidents/", "/incidents/export.csv", "/sitemap.xml", "DETAIL"]
)
def test_public_pages_and_the_api_read_from_the_replica(pair, client, path):
    if path == "DETAIL":
        path = Incident.objects.public().first().get_absolute_url()
    responses = []
    on_primary, on_replica = served_by(lambda: responses.append(get(client, path)))
    assert responses[0].status_code == 200
    assert on_replica > 0 and on_primary == 0
    assert PIN_COOKIE not in responses[0].cookies


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize(
    "page",
    [
        "admin:index",
        "admin:incidents_incident_changelist",
        "admin:incidents_submittedincident_changelist",  # the review queue
        "incidents:list",
        "api:person-list",
    ],
)
def test_staff_read_the_primary_everywhere(pair, staff_client, page):
    path = reverse(page)
    responses = []
    on_primary, on_replica = served_by(lambda: responses.append(get(staff_client, path)))
    assert responses[0].status_code == 200
    assert on_primary > 0 and on_replica == 0


@pytest.mark.django_db(databases="__all__")
def test_the_change_feed_reads_the_primary_for_anyone(pair, client):
    responses = []
    on_primary, on_replica = served_by(lambda: responses.append(get(client, "/api/changes/")))
    assert responses[0].status_code == 200
    assert on_primary > 0 and on_replica == 0


@pytest.mark.django_db(databases="__all__")
def test_after_a_write_its_client_reads_the_primary_for_a_few_seconds(pair, client, django_user_model):
    django_user_model.objects.create_user("reader", password="a-long-test-password")
    signed_in = client.post("/admin/login/", {"username": "reader", "password": "a-long-test-password"})
    assert signed_in.cookies[PIN_COOKIE]["max-age"] == settings.DATABASE_REPLICA_PIN_SECONDS
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)  # signed out: only the pin cookie is left

    on_primary, on_replica = served_by(lambda: get(client, "/incidents/"))
    assert on_primary > 0 and on_replica == 0


@pytest.fixture
def replay_paused(pair):
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    yield
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_a_writer_never_reads_a_lagging_replica(replay_paused, staff_client):
    """The replica stops replaying: the public sees the record as it was; the staff member who
    changed it, and a client that has just written, see the change."""
    incident = Incident.objects.public().first()
    Incident.objects.filter(pk=incident.pk).update(title="Renamed while the replica lags")
    path = incident.get_absolute_url()
    reader, writer = Client(), Client()
    writer.cookies[PIN_COOKIE] = "1"

    assert "Renamed while the replica lags" not in get(reader, path).content.decode()
    assert "Renamed while the replica lags" in get(staff_client, path).content.decode()
    assert "Renamed while the replica lags" in get(writer, path).content.decode()

    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_resume()")
    wait_until_replayed()
    assert "Renamed while the replica lags" in get(reader, path).content.decode()


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_when_the_replica_is_down_public_pages_read_the_primary(pair, client, settings):
    """Outside a test's transaction, as in a server, where the replica's kept connection breaks."""
    assert served_by(lambda: get(client, "/incidents/"))[1] > 0  # its connection is open and kept
    replica_control("stop")
    try:
        for _ in range(2):  # the first finds it down, the next does not try it again
            responses = []
            with CaptureQueriesContext(connections["default"]) as on_primary:
                responses.append(get(client, "/incidents/"))
            assert responses[0].status_code == 200 and len(on_primary) > 0
    finally:
        replica_control("start")
    settings.DATABASE_REPLICA_RETRY_SECONDS = 0
    on_primary, on_replica = served_by(lambda: get(client, "/incidents/"))
    assert on_replica > 0 and on_primary == 0
