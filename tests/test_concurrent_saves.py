"""Staff saves that overlap wait their turn: six staff members saving at once get no error.

The saves go through a real server in its own process, with the production settings, as in a
deployment: through the test client, requests would take turns in this one process and never
overlap at the database. bench/load.py drives the server (six signed-in Researchers saving admin
forms while anonymous readers read the public pages) and reports every answer, and every
acknowledged save that it does not find in the database.
"""

import json
import os
import sqlite3
import subprocess
import sys
import urllib.parse
from contextlib import closing
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
WRITERS, SAVES, ROUNDS = 6, 4, 2

# Transactional: the server commits, and the tables are emptied after each test.
pytestmark = pytest.mark.django_db(transaction=True)


def database_for_another_process(folder: Path) -> str:
    """The test database, migrated and with the demo case, as a DATABASE_URL for the server.

    SQLite's lives in this process's memory: the server gets a copy of it in a file.
    """
    if connection.vendor == "sqlite":
        path = folder / "vigil.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


@pytest.fixture(scope="module")
def load_report(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """One bounded run of bench/load.py against the test database, for the tests below to read."""
    folder = tmp_path_factory.mktemp("load")
    with django_db_blocker.unblock():
        database_url = database_for_another_process(folder)
    arguments = ["--writers", str(WRITERS), "--readers", "2", "--saves", str(SAVES), "--rounds", str(ROUNDS)]
    run = subprocess.run(
        [sys.executable, "bench/load.py", *arguments, "--results", str(folder)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=300,
    )
    results = list(folder.glob("load-*.json"))
    assert results, run.stdout + run.stderr
    return json.loads(results[0].read_text())


def test_six_staff_members_saving_at_once_get_no_error_and_lose_no_save(load_report):
    assert (load_report["errors"], load_report["server_exceptions"]) == ({}, {})
    # Half of each writer's saves add a person, half change an incident of their own: all are made.
    assert load_report["outcomes"]["admin_add_person"] == {"saved": WRITERS * SAVES // 2}
    assert load_report["outcomes"]["admin_change_incident"] == {"saved": WRITERS * SAVES // 2}
    writes = load_report["lost_writes"]
    assert (writes["lost"], writes["written_but_not_acknowledged"]) == (0, 0)
    assert writes["people_added"]["in_database"] == WRITERS * SAVES // 2


def test_of_six_saves_of_one_incident_at_once_one_wins_and_the_others_are_told_so(load_report):
    assert load_report["outcomes"]["same_incident_save"] == {"refused": ROUNDS * (WRITERS - 1), "saved": ROUNDS}
