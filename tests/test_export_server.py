"""A large CSV export from the production server, as the README deploys it: gunicorn with one
synchronous worker (`make serve`'s scripts/serve.py), behind nginx running deploy/nginx.conf.

- A client that stops reading holds gunicorn's worker when it talks to gunicorn directly (the
  worker waits to write), and does not behind nginx, which takes the whole file from the worker
  as fast as it comes and sends it to the client at the client's pace.
- A download cut short (the worker killed half-way, as gunicorn's timeout kills it) is told from a
  complete one: the transfer does not end as HTTP says a complete one ends, and the file holds
  fewer rows than its X-Row-Count header announced.

The export is made large (incidents with very long summaries, 12 MB in all) so that it fills
every buffer between the worker and a client that does not read.
"""

import csv
import http.client
import io
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from .test_production_server import HOST, Site, nginx_and_openssl_or_skip, served_site

pytestmark = pytest.mark.web_server

ROOT = Path(__file__).resolve().parent.parent
LARGE = "/incidents/export.csv?q=oversized"
# Incidents with very long summaries: 120 of 100 KB (a CSV reader's default limit is 128 KB a field).
MAKE_LARGE_EXPORT = """
from incidents.models import Incident, IncidentType
from places.models import Place
kind, country = IncidentType.objects.get(slug="arrest"), Place.objects.get(iso_code="KZ")
for number in range(120):
    Incident.objects.create(
        title=f"Oversized record {number}", incident_type=kind, start_date="2021-03-04", place=country,
        status="verified", summary="A witness statement, read out in court, word for word. " * 1800,
    )
"""

STAFF_SAVE = """
from django.db import transaction
from incidents.models import IncidentType
with transaction.atomic():
    IncidentType.objects.filter(slug="arrest").update(description="Saved while a download was held")
"""


def add_large_export(manage: list[str], environ: dict) -> dict:
    subprocess.run([*manage, "shell", "-c", MAKE_LARGE_EXPORT], cwd=ROOT, env=environ, check=True, capture_output=True)
    return {}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    nginx_and_openssl_or_skip("export server")
    # One worker: the one a slow client would hold. Its timeout is longer than this test's waits,
    # so that only the test kills it.
    settings = {"WEB_CONCURRENCY": "1", "GUNICORN_TIMEOUT": "300"}
    with served_site(tmp_path_factory.mktemp("export-server"), add_large_export, **settings) as site:
        yield site


def reluctant_client(site: Site, *, through_nginx: bool) -> tuple[http.client.HTTPResponse, bytes]:
    """Ask for the large export with a tiny receive window, read its headers and first bytes, and
    read no more: the response and what was read."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.settimeout(60)
    if through_nginx:
        sock.connect(("127.0.0.1", site.https_port))
        conversation = http.client.HTTPSConnection("127.0.0.1", site.https_port, context=site.tls)
        conversation.sock = site.tls.wrap_socket(sock, server_hostname=HOST)
        headers = {"Host": HOST}
    else:
        sock.connect(("127.0.0.1", site.application_port))
        conversation = http.client.HTTPConnection("127.0.0.1", site.application_port)
        conversation.sock = sock
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    conversation.request("GET", LARGE, headers=headers)
    response = conversation.getresponse()
    assert response.status == 200
    return response, response.read(65536)


def answered(site: Site, *, through_nginx: bool, seconds: float) -> bool:
    """Whether a page comes within `seconds` (the worker is free to answer it)."""
    try:
        if through_nginx:
            conversation = http.client.HTTPSConnection("127.0.0.1", site.https_port, timeout=seconds, context=site.tls)
            conversation.request("GET", "/charges/", headers={"Host": HOST})
        else:
            conversation = http.client.HTTPConnection("127.0.0.1", site.application_port, timeout=seconds)
            conversation.request("GET", "/charges/", headers={"Host": HOST, "X-Forwarded-Proto": "https"})
        status = conversation.getresponse().status
        conversation.close()
    except TimeoutError:
        return False
    assert status == 200
    return True


def rows_of(body: bytes) -> int:
    return len(list(csv.reader(io.StringIO(body.decode("utf-8", errors="replace"))))) - 1


def gunicorn_worker(site: Site) -> int:
    master = site.gunicorn.pid
    [worker] = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(worker)


def test_a_client_that_stops_reading_holds_the_worker_without_nginx(site):
    response, _ = reluctant_client(site, through_nginx=False)
    try:
        assert not answered(site, through_nginx=False, seconds=5)
        # The held export's transaction only reads: a save meanwhile is not kept waiting for the
        # database's write lock (SQLite would give up after 20 s: "database is locked").
        saved = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", STAFF_SAVE],
            cwd=ROOT,
            env=site.environ,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert saved.returncode == 0, saved.stderr
    finally:
        response.close()  # the worker's next write fails, and it is free again
    assert answered(site, through_nginx=False, seconds=60)


def test_behind_nginx_a_client_that_stops_reading_does_not_hold_the_worker(site):
    response, start = reluctant_client(site, through_nginx=True)
    try:
        assert answered(site, through_nginx=True, seconds=60)
        body = start + response.read()  # the client comes back: nginx kept the whole file for it
    finally:
        response.close()
    assert len(body) > 11_000_000
    assert rows_of(body) == int(response.getheader("X-Row-Count")) == 120


def test_a_download_cut_short_is_told_from_a_complete_one(site):
    response, start = reluctant_client(site, through_nginx=False)
    announced = int(response.getheader("X-Row-Count"))
    os.kill(gunicorn_worker(site), signal.SIGKILL)
    with pytest.raises(http.client.IncompleteRead) as cut:
        response.read()
    response.close()
    assert rows_of(start + cut.value.partial) < announced
    assert answered(site, through_nginx=False, seconds=60)  # gunicorn has started another worker
