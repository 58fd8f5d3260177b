"""Backups restore: `manage.py backup` of the demo case plus a generated dataset and evidence files,
`manage.py restore` into a fresh database and storage (on PostgreSQL, a cluster of its own), and
the site that comes back has the same rows, the same public CSV and every evidence file intact.

Everything runs as on a server, in processes of their own (tests/instances.py): the source is the
test database (on SQLite, a copy of it in a file), each restored site a new database.
"""

import hashlib
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace

import psycopg2
import pytest
from django.db import connection

from .instances import Cluster, Researcher, Site, database_for_another_process

# Transactional: the processes commit into the test database, emptied (and the demo put back) after.
pytestmark = pytest.mark.django_db(transaction=True)

GENERATED_INCIDENTS = 150


@pytest.fixture(scope="module")
def backed_up(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo case, a generated dataset and evidence files, backed up once for the tests below."""
    folder = tmp_path_factory.mktemp("backed-up")
    with django_db_blocker.unblock():
        source = Site(database_for_another_process(folder), folder / "source-media")
    source.manage("generate_dataset", "--incidents", str(GENERATED_INCIDENTS), "--seed", "23")
    source.researcher("populate")
    backup = folder / "backup"
    run = source.manage("backup", str(backup))
    return SimpleNamespace(
        source=source,
        folder=backup,
        output=run.stdout,
        manifest=json.loads((backup / "manifest.json").read_text()),
        state=json.loads(source.researcher("report").stdout),
    )


@pytest.fixture(scope="module")
def fresh_cluster():
    """On PostgreSQL, a second server of the tests' own to restore into; on SQLite, none is needed."""
    if connection.vendor != "postgresql":
        yield None
        return
    cluster = Cluster(durable=False)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.remove()


@pytest.fixture
def empty_site(fresh_cluster, tmp_path):
    """A new empty database (nothing in it, not even migrated) and an empty media folder."""

    def make(name: str) -> Site:
        url = fresh_cluster.create_database(name) if fresh_cluster else f"sqlite:///{tmp_path / name}.sqlite3"
        return Site(url, tmp_path / f"{name}-media")

    return make


def tables_of(site: Site) -> list[str]:
    if site.database_url.startswith("sqlite"):
        with closing(sqlite3.connect(site.database_url.removeprefix("sqlite:///"))) as database:
            return [name for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    with closing(psycopg2.connect(site.database_url)) as database, database.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        return [name for (name,) in cursor.fetchall()]


def files_under(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_the_manifest_lists_every_table_and_every_file_with_its_sha256(backed_up):
    manifest = backed_up.manifest
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["row_counts"] == backed_up.state["row_counts"]
    assert manifest["row_counts"]["incidents_incident"] >= GENERATED_INCIDENTS + 9
    assert manifest["migrations"]["incidents"][0] == "0001_initial"
    files = {(entry["storage"], entry["name"]): entry for entry in manifest["files"]}
    # Six evidence files (two of them photos, with a public copy and a thumbnail each) and a source's copy.
    evidence = {name for storage, name in files if storage == "evidence"}
    assert evidence == set(backed_up.state["recorded_files"]) and len(evidence) == 10
    (source_copy,) = [name for storage, name in files if storage == "default"]
    assert source_copy.startswith("sources/") and source_copy.endswith("/ruling.txt")
    for entry in files.values():
        content = (backed_up.folder / entry["path"]).read_bytes()
        assert (len(content), hashlib.sha256(content).hexdigest()) == (entry["size"], entry["sha256"])
    assert manifest["missing_files"] == []


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_csv_and_evidence(backed_up, empty_site):
    restored = empty_site("restored")
    run = restored.manage("restore", str(backed_up.folder))
    assert f"Row counts match the backup in all {len(backed_up.manifest['row_counts'])} tables." in run.stdout
    state = json.loads(restored.researcher("report").stdout)
    assert state["row_counts"] == backed_up.state["row_counts"]
    assert (state["csv_status"], backed_up.state["csv_status"]) == (200, 200)
    assert state["csv"] == backed_up.state["csv"]
    assert len(state["csv"].splitlines()) > GENERATED_INCIDENTS / 2  # the generated public incidents are in it
    verified = restored.manage("verify_evidence")
    assert "All 6 stored files match their recorded SHA-256." in verified.stdout
    assert "no record refers to it" not in verified.stdout
    assert state["stored_files"] == state["recorded_files"] == backed_up.state["recorded_files"]
    (source_copy,) = [entry["name"] for entry in backed_up.manifest["files"] if entry["storage"] == "default"]
    assert (restored.media_root / source_copy).read_bytes() == b"The court ruled.\n"


def test_restore_refuses_a_database_or_a_storage_that_is_not_empty(backed_up, empty_site):
    into_the_source = Site(backed_up.source.database_url, backed_up.source.media_root.parent / "other-media")
    refused = into_the_source.manage("restore", str(backed_up.folder), check=False)
    assert refused.returncode == 1
    assert "The database is not empty:" in refused.stderr and "tables have rows, the largest" in refused.stderr

    with_a_file = empty_site("with-a-file")
    (with_a_file.evidence_root / "originals").mkdir(parents=True)
    (with_a_file.evidence_root / "originals" / "left-over").write_bytes(b"an earlier site's file")
    refused = with_a_file.manage("restore", str(backed_up.folder), check=False)
    assert refused.returncode == 1
    assert "is not empty: it holds " in refused.stderr and "originals/left-over, and maybe more." in refused.stderr
    assert tables_of(with_a_file) == []
    assert files_under(with_a_file.media_root) == ["evidence/originals/left-over"]


def test_restore_refuses_a_backup_whose_file_was_altered_and_writes_nothing(backed_up, empty_site, tmp_path):
    tampered = tmp_path / "tampered"
    shutil.copytree(backed_up.folder, tampered)
    entry = next(entry for entry in backed_up.manifest["files"] if entry["name"].startswith("originals/"))
    content = bytearray((tampered / entry["path"]).read_bytes())
    content[0] ^= 1
    (tampered / entry["path"]).write_bytes(bytes(content))
    target = empty_site("tampered")
    refused = target.manage("restore", str(tampered), check=False)
    assert refused.returncode == 1
    assert "The backup is damaged, nothing was restored: 1 files fail the check" in refused.stderr
    assert f"{entry['path']}: its SHA-256 or size differs from the manifest" in refused.stderr
    assert tables_of(target) == [] and not target.media_root.exists()


def test_a_backup_made_while_researchers_save_holds_exactly_the_saves_of_one_moment(empty_site, tmp_path):
    from incidents.models import Incident

    """Researchers save incidents with evidence files all through the backup. What is restored is a
    state the site was in: counts as the manifest says, every evidence row with its file and no file
    without its row, every save acknowledged before the backup began and none made after it ended."""
    source = Site(database_for_another_process(tmp_path), tmp_path / "source-media")
    incidents_before = Incident.objects.count()
    researchers = [Researcher(source, name) for name in ("amina", "bolat")]
    for researcher in researchers:
        researcher.wait_for_saves(3)
    saved_before = {title for researcher in researchers for title, _ in researcher.saved}
    source.manage("backup", str(tmp_path / "backup"))
    saved_after = set()
    for researcher in researchers:
        backup_ended = len(researcher.saved)
        researcher.wait_for_saves(backup_ended + 3)
        researcher.stop()
        saved_after.update(title for title, _ in researcher.saved[backup_ended:])
    acknowledged = {title: sha256 for researcher in researchers for title, sha256 in researcher.saved}

    restored = empty_site("restored-under-writes")
    run = restored.manage("restore", str(tmp_path / "backup"))
    assert "Row counts match the backup" in run.stdout
    state = json.loads(restored.researcher("report").stdout)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert state["row_counts"] == manifest["row_counts"]
    assert state["stored_files"] == state["recorded_files"]
    assert "no record refers to it" not in restored.manage("verify_evidence").stdout
    in_backup = set(state["saved"])
    assert saved_before <= in_backup and not in_backup & saved_after
    assert all(state["saved"][title] == [acknowledged[title]] for title in in_backup)
    assert manifest["row_counts"]["incidents_incident"] == incidents_before + len(in_backup)
