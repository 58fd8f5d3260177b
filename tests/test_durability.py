"""Durability: what the site said was saved survives PostgreSQL being killed, and evidence files
and their rows never part.

The crash test runs PostgreSQL as a deployment should, with fsync and synchronous commits on (the
suite's own server has them off, for speed), kills it with SIGKILL while researchers in processes
of their own are saving incidents with evidence files, starts it again and compares.
"""

import json
import subprocess
import threading
import time
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, connections, transaction

from core.backups import postgres_client_arguments, postgres_program
from evidence_files.files import ACCEPTED_KINDS
from evidence_files.models import StoredFile
from evidence_files.services import store_evidence_file
from incidents.models import Evidence

from .factories import make_incident, make_user
from .instances import Cluster, Researcher, Site

RESEARCHERS = ("amina", "bolat", "dana", "erlan")
SAVES_BEFORE_THE_CRASH = 8  # each


@pytest.fixture
def evidence_root(settings, tmp_path):
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


def needs_postgresql(why: str):
    """The suite's PostgreSQL run (scripts/with_postgres.py) runs these tests."""
    if connection.vendor != "postgresql":
        pytest.skip(f"PostgreSQL only: {why}")


def copy_of_the_test_database(cluster: Cluster, folder) -> str:
    """The migrated test database with the demo case, restored into `cluster`: quicker than migrating."""
    dump = folder / "test-database.pgdump"
    arguments, environment = postgres_client_arguments()
    subprocess.run(
        [postgres_program("pg_dump"), *arguments, "--format=custom", f"--file={dump}"], env=environment, check=True
    )
    url = cluster.create_database("vigil")
    subprocess.run(
        [postgres_program("pg_restore"), "--no-owner", "--exit-on-error", f"--dbname={url}", str(dump)], check=True
    )
    return url


@pytest.mark.django_db(transaction=True)
def test_every_acknowledged_save_survives_postgresql_killed_mid_save_and_files_match_rows(tmp_path):
    needs_postgresql("it kills a PostgreSQL server; SQLite has no server to kill")
    cluster = Cluster(durable=True)
    try:
        cluster.start()
        site = Site(copy_of_the_test_database(cluster, tmp_path), tmp_path / "media")
        researchers = [Researcher(site, name) for name in RESEARCHERS]
        for researcher in researchers:
            researcher.wait_for_saves(SAVES_BEFORE_THE_CRASH)
        cluster.kill()
        for researcher in researchers:
            researcher.wait()  # each stops after its first failed save
        cluster.start()

        before_cleanup = json.loads(site.researcher("report").stdout)
        cleanup = site.manage("verify_evidence", "--delete-unrecorded")
        after = json.loads(site.researcher("report").stdout)
    finally:
        cluster.remove()

    failures = [line for researcher in researchers for line in researcher.lines if line.startswith("failed ")]
    assert len(failures) == len(RESEARCHERS), "\n".join(line for r in researchers for line in r.lines)
    acknowledged = {title: sha256 for researcher in researchers for title, sha256 in researcher.saved}
    lost = [title for title, sha256 in acknowledged.items() if after["saved"].get(title) != [sha256]]
    assert lost == [], f"acknowledged saves lost in the crash: {lost}"
    # No row without its file, before the cleanup or after it.
    assert set(before_cleanup["recorded_files"]) <= set(before_cleanup["stored_files"])
    assert f"All {len(after['saved'])} stored files match their recorded SHA-256." in cleanup.stdout
    # No file without its row: what saves cut off by the crash wrote is gone.
    left_by_the_crash = sorted(set(before_cleanup["stored_files"]) - set(before_cleanup["recorded_files"]))
    assert all(f"{name}: no record refers to it, deleted" in cleanup.stdout for name in left_by_the_crash)
    assert after["stored_files"] == after["recorded_files"]
    print(
        f"{len(acknowledged)} saves acknowledged, all found after the crash; {len(after['saved'])} in the "
        f"database; {len(left_by_the_crash)} files of saves cut off by the crash deleted"
    )


@pytest.mark.django_db
def test_files_that_no_record_names_are_deleted_and_recorded_ones_kept(evidence_root):
    evidence = Evidence.objects.create(incident=make_incident(), kind="document", description="Statement")
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(b"A statement.\n", name="statement.txt"),
        kind=ACCEPTED_KINDS["text/plain"],
        uploaded_by=make_user("Researcher"),
    )
    # What a save killed between writing its file and committing leaves behind.
    (evidence_root / "originals" / "ff").mkdir(parents=True)
    (evidence_root / "originals" / "ff" / "ff00").write_bytes(b"cut off")
    output = run_verify_evidence("--delete-unrecorded")
    assert "originals/ff/ff00: no record refers to it, deleted" in output
    assert not (evidence_root / "originals" / "ff" / "ff00").exists()
    assert (evidence_root / attachment.stored_file.original.name).read_bytes() == b"A statement.\n"
    assert "All 1 stored files match their recorded SHA-256." in output


@pytest.mark.django_db(transaction=True)
def test_deleting_unrecorded_files_waits_for_a_save_writing_its_file(evidence_root):
    """A save's file has no row until it commits: the cleanup must not take it for a leftover."""
    needs_postgresql(
        "on SQLite a save holds the one write lock from its start, so the cleanup cannot run beside it at all"
    )
    evidence = Evidence.objects.create(incident=make_incident(), kind="document", description="Statement")
    user = make_user("Researcher")
    written, commit = threading.Event(), threading.Event()
    outcome = {}

    def save():
        try:
            with transaction.atomic():
                store_evidence_file(
                    evidence=evidence,
                    upload=ContentFile(b"Saved slowly.\n", name="slow.txt"),
                    kind=ACCEPTED_KINDS["text/plain"],
                    uploaded_by=user,
                )
                written.set()
                commit.wait(timeout=60)
        finally:
            connections.close_all()

    def clean_up():
        try:
            outcome["output"] = run_verify_evidence("--delete-unrecorded")
        finally:
            connections.close_all()

    saver = threading.Thread(target=save)
    saver.start()
    assert written.wait(timeout=60)
    cleaner = threading.Thread(target=clean_up)
    cleaner.start()
    with connection.cursor() as cursor:  # until the cleanup waits for the save (or, wrongly, has ended)
        while cleaner.is_alive():
            cursor.execute("SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                break
            time.sleep(0.01)
    commit.set()
    saver.join(timeout=60)
    cleaner.join(timeout=60)
    stored = StoredFile.objects.get()
    assert (evidence_root / stored.original.name).read_bytes() == b"Saved slowly.\n"
    assert "deleted" not in outcome["output"] and "All 1 stored files match" in outcome["output"]


def run_verify_evidence(*arguments: str) -> str:
    output = StringIO()
    call_command("verify_evidence", *arguments, stdout=output, stderr=output)
    return output.getvalue()
