"""Backups that restore: the database in one snapshot, the files its rows refer to, and a manifest.

A backup is a folder:

    manifest.json           written last, so that a folder without it is an unfinished backup
    database.pgdump         on PostgreSQL, `pg_dump --format=custom`
    database.sqlite3        on SQLite, a copy made by SQLite's online backup API
    files/<storage>/<name>  each file a row of the dump refers to, under its name in that storage

Staff may keep saving while a backup runs. The dump is one snapshot of the database, and the row
counts and the list of files are read from that same snapshot: on PostgreSQL inside the
REPEATABLE READ transaction whose snapshot pg_dump is given (`--snapshot`), on SQLite from the
copy. The files are copied after. A stored file is never rewritten (evidence is named by its
content, other uploads get a new name), so a file that a row of the snapshot names is still the
one it named, and a file written after the snapshot, whose row is not in the dump, stays out.

Restoring goes the other way into an empty database and empty storage, after checking the
SHA-256 of everything against the manifest, and ends by comparing every table's row count with it.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import storages
from django.core.files.utils import validate_file_name
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import FileField

from .storages import storage_alias, stored_names

FORMAT = "vigil-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
FILES = "files"
CHUNK_SIZE = 1024 * 1024

Log = Callable[[str], None]


class BackupError(Exception):
    """Why a backup could not be made or restored, in words for whoever runs the command."""


def make_backup(folder: Path, log: Log) -> dict:
    """Writes a backup of the database and its files into `folder` (new or empty); returns the manifest."""
    if connection.vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {connection.vendor}.")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} is not an empty folder: give a new or empty one.")
    folder.mkdir(parents=True, exist_ok=True)
    dump = folder / DUMPS[connection.vendor]
    created_at = datetime.datetime.now(datetime.UTC)
    snapshot = _dump_postgresql(dump) if connection.vendor == "postgresql" else _dump_sqlite(dump)
    counts = snapshot["row_counts"]
    log(f"Database dumped to {dump.name}: {len(counts)} tables, {sum(counts.values())} rows.")
    files, missing = _copy_files(snapshot["files"], folder)
    log(f"{len(files)} files copied ({sum(entry['size'] for entry in files)} bytes).")
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": created_at.isoformat(),
        "database": {
            "engine": connection.vendor,
            "server_version": snapshot["server_version"],
            "dump": _described(dump, folder),
        },
        "migrations": snapshot["migrations"],
        "row_counts": snapshot["row_counts"],
        "files": files,
        "missing_files": missing,
    }
    _write_durably(folder / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False).encode())
    if missing:
        shown = ", ".join(f"{entry['storage']}:{entry['name']}" for entry in missing[:10])
        raise BackupError(
            f"Backup written to {folder}, but {len(missing)} files that records refer to are missing from "
            f"storage and could not be included: {shown}. Run verify_evidence."
        )
    log(f"Backup complete: {folder / MANIFEST}")
    return manifest


def restore_backup(folder: Path, log: Log) -> dict:
    """Restores the backup in `folder` into this empty database and storage; returns its manifest."""
    manifest = read_manifest(folder)
    engine = manifest["database"]["engine"]
    if engine != connection.vendor:
        raise BackupError(f"This backup is of a {engine} database; this site uses {connection.vendor}.")
    not_yet_applied = _check_migrations(manifest["migrations"])
    _refuse_if_not_empty(manifest)
    _check_checksums(folder, manifest)
    log(f"SHA-256 of the dump and of {len(manifest['files'])} files match the manifest.")
    dump = folder / manifest["database"]["dump"]["path"]
    if engine == "postgresql":
        _restore_postgresql(dump)
    else:
        _restore_sqlite(dump)
    log(f"Database restored from {dump.name}.")
    for entry in manifest["files"]:
        storage = storages[entry["storage"]]
        with open(folder / entry["path"], "rb") as handle:
            saved_as = storage.save(entry["name"], File(handle))
        if saved_as != entry["name"]:
            raise BackupError(f"{entry['storage']} stored {entry['name']} as {saved_as}: is it really empty?")
    log(f"{len(manifest['files'])} files restored.")
    found = row_counts()
    differences = sorted(
        (table, found.get(table), expected)
        for table, expected in {**dict.fromkeys(found), **manifest["row_counts"]}.items()
        if found.get(table) != expected
    )
    if differences:
        shown = "; ".join(f"{table}: {now} rows, {then} in the backup" for table, now, then in differences)
        raise BackupError(f"Row counts differ from the backup after restoring: {shown}.")
    log(f"Row counts match the backup in all {len(manifest['row_counts'])} tables.")
    for entry in manifest["missing_files"]:
        log(f"Missing when the backup was made, so not restored: {entry['storage']}:{entry['name']}")
    if not_yet_applied:
        log(f"{len(not_yet_applied)} migrations of this code are newer than the backup: run `manage.py migrate`.")
    return manifest


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder / MANIFEST} does not exist: not a backup, or an unfinished one.") from None
    except ValueError as error:
        raise BackupError(f"{folder / MANIFEST} is not readable JSON: {error}") from None
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{folder / MANIFEST} is not a {FORMAT} manifest of version {FORMAT_VERSION}.")
    return manifest


def row_counts() -> dict[str, int]:
    """Every table of this database and its number of rows."""
    with connection.cursor() as cursor:
        return _row_counts(cursor, _user_tables(connection.introspection.table_names(cursor)))


def file_columns() -> list[tuple[str, str, str]]:
    """(table, column, storage alias) of every column that holds a stored file's name.

    The history tables of django-simple-history keep a file's name in a text column: they are
    found through the model they follow, so that a backup carries the files old versions name.
    """
    columns = set()
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        followed = getattr(model, "instance_type", None)  # a history model's tracked model
        for field in model._meta.concrete_fields:
            file_field = field
            if followed is not None and not isinstance(field, FileField):
                file_field = next((f for f in followed._meta.concrete_fields if f.name == field.name), None)
            if isinstance(file_field, FileField):
                columns.add((model._meta.db_table, field.column, storage_alias(file_field.storage)))
    return sorted(columns)


def _dump_postgresql(dump: Path) -> dict:
    pg_dump = postgres_program("pg_dump")
    arguments, environment = postgres_client_arguments()
    with transaction.atomic(), connection.cursor() as cursor:
        # The first statement of the transaction fixes its snapshot; pg_dump then takes the same one.
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        (snapshot,) = cursor.fetchone()
        run = subprocess.run(
            [pg_dump, *arguments, "--no-password", "--format=custom", f"--snapshot={snapshot}", f"--file={dump}"],
            env=environment,
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise BackupError(f"pg_dump failed: {run.stderr.strip()}")
        state = _read_state(cursor, connection.introspection.table_names(cursor))
    version = connection.pg_version
    return {**state, "server_version": f"PostgreSQL {version // 10000}.{version % 10000}"}


def _dump_sqlite(dump: Path) -> dict:
    connection.ensure_connection()
    with closing(sqlite3.connect(dump)) as copy:
        # One step (pages=-1) copies every page under a single read transaction: one snapshot.
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, without -wal beside it
        cursor = copy.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        state = _read_state(cursor, _user_tables(name for (name,) in cursor.fetchall()))
    _flush(dump)
    return {**state, "server_version": f"SQLite {sqlite3.sqlite_version}"}


def _read_state(cursor, tables: list[str]) -> dict:
    """Row counts, applied migrations and referenced files, read through `cursor` in the dump's snapshot."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    files = set()
    for table, column, alias in file_columns():
        if table in tables:
            cursor.execute(f"SELECT DISTINCT {_quoted(column)} FROM {_quoted(table)} WHERE {_quoted(column)} <> ''")
            files.update((alias, name) for (name,) in cursor.fetchall() if name)
    return {"row_counts": _row_counts(cursor, tables), "migrations": migrations, "files": sorted(files)}


def _user_tables(tables: Iterable[str]) -> list[str]:
    """Leaves out SQLite's own tables (sqlite_sequence, sqlite_stat1), which a restore rebuilds itself."""
    return [table for table in tables if not table.startswith("sqlite_")]


def _row_counts(cursor, tables: Iterable[str]) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {_quoted(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _copy_files(names: list[tuple[str, str]], folder: Path) -> tuple[list[dict], list[dict]]:
    files, missing, made = [], [], set()
    for alias, name in names:
        validate_file_name(name, allow_relative_path=True)  # a name from the database never leaves the folder
        storage = storages[alias]
        if not storage.exists(name):
            missing.append({"storage": alias, "name": name})
            continue
        target = folder / FILES / alias / name
        for parent in reversed(target.relative_to(folder).parents[:-1]):
            if not (folder / parent).exists():
                (folder / parent).mkdir()
                made.add(folder / parent)
        digest, size = hashlib.sha256(), 0
        with storage.open(name, "rb") as source, open(target, "xb") as copy:
            while chunk := source.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
                copy.write(chunk)
            copy.flush()
            os.fsync(copy.fileno())
        files.append(
            {
                "storage": alias,
                "name": name,
                "path": str(target.relative_to(folder)),
                "size": size,
                "sha256": digest.hexdigest(),
            }
        )
    for directory in [*made, folder]:
        _flush(directory)
    return files, missing


def _described(path: Path, folder: Path) -> dict:
    return {"path": str(path.relative_to(folder)), "size": path.stat().st_size, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def _flush(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _write_durably(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".partial")
    with open(partial, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    partial.rename(path)
    _flush(path.parent)


def _check_migrations(backed_up: dict[str, list[str]]) -> set[tuple[str, str]]:
    """Refuses a backup made by a newer version of the code; returns the migrations it lacks."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    applied = {(app, name) for app, names in backed_up.items() for name in names}
    unknown = sorted(applied - known)
    if unknown:
        shown = ", ".join(f"{app}.{name}" for app, name in unknown[:10])
        raise BackupError(
            f"The backup's database has {len(unknown)} migrations this code does not have ({shown}): "
            f"restore it with the version of the code that made it."
        )
    return known - applied


def _refuse_if_not_empty(manifest: dict) -> None:
    with connection.cursor() as cursor:
        tables = _user_tables(connection.introspection.table_names(cursor))
        filled = {table: count for table, count in _row_counts(cursor, tables).items() if count}
    if filled:
        largest = sorted(filled.items(), key=lambda item: (-item[1], item[0]))[:3]
        shown = ", ".join(f"{table} ({count} rows)" for table, count in largest)
        raise BackupError(
            f"The database is not empty: {len(filled)} tables have rows, the largest {shown}. "
            f"Restore into a new, empty database (not even migrated)."
        )
    if tables and connection.vendor == "postgresql":
        raise BackupError(
            f"The database has {len(tables)} tables already, all empty: pg_restore needs a database without "
            f"tables. Create a new one (createdb) and restore into it."
        )
    for alias in sorted({entry["storage"] for entry in manifest["files"]} | {alias for *_, alias in file_columns()}):
        storage = storages[alias]
        folder = _local_folder(storage)
        if folder is not None and not folder.exists():
            continue  # a local folder not made yet: empty
        present = next(stored_names(storage), None)
        if present is not None:
            where = f"{alias!r} ({folder})" if folder else repr(alias)
            raise BackupError(
                f"The storage {where} is not empty: it holds {present}, and maybe more. Restore into empty storage."
            )


def _local_folder(storage) -> Path | None:
    try:
        return Path(storage.path(""))
    except NotImplementedError:  # object storage
        return None


def _check_checksums(folder: Path, manifest: dict) -> None:
    problems = []
    for entry in [manifest["database"]["dump"], *manifest["files"]]:
        path = folder / entry["path"]
        if not path.is_file():
            problems.append(f"{entry['path']}: missing")
        elif path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            problems.append(f"{entry['path']}: its SHA-256 or size differs from the manifest")
    if problems:
        shown = "; ".join(problems[:10])
        raise BackupError(
            f"The backup is damaged, nothing was restored: {len(problems)} files fail the check: {shown}."
        )


def _restore_postgresql(dump: Path) -> None:
    pg_restore = postgres_program("pg_restore")
    arguments, environment = postgres_client_arguments()
    run = subprocess.run(
        [
            pg_restore,
            *arguments,
            "--no-password",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            str(dump),
        ],
        env=environment,
        capture_output=True,
        text=True,
    )
    if run.returncode != 0:
        raise BackupError(f"pg_restore failed, nothing was restored: {run.stderr.strip()}")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a dump carries no planner statistics


def _restore_sqlite(dump: Path) -> None:
    connection.ensure_connection()
    with closing(sqlite3.connect(f"{dump.resolve().as_uri()}?mode=ro", uri=True)) as source:
        source.backup(connection.connection)
    connection.close()


def postgres_client_arguments() -> tuple[list[str], dict[str, str]]:
    """Options and environment that point pg_dump or pg_restore at this site's database, as `dbshell` does psql."""
    settings_dict = connection.settings_dict
    arguments, environment = connection.client.settings_to_cmd_args_env(settings_dict, [])
    arguments = arguments[1:]
    if settings_dict.get("NAME") or not settings_dict["OPTIONS"].get("service"):
        arguments[-1] = f"--dbname={arguments[-1]}"
    return arguments, {**os.environ, **(environment or {})}


def postgres_program(name: str) -> str:
    """The path of a PostgreSQL client program (pg_dump, pg_restore) at least as new as the server.

    Looked for beside the server's own programs (Debian keeps each version in
    /usr/lib/postgresql/<version>/bin), beside `initdb` on the PATH, then on the PATH.
    """
    server = connection.pg_version // 10000
    candidates = [Path(f"/usr/lib/postgresql/{server}/bin/{name}")]
    if initdb := shutil.which("initdb"):
        candidates.append(Path(os.path.realpath(initdb)).parent / name)
    if on_path := shutil.which(name):
        candidates.append(Path(on_path))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=_program_version, reverse=True)
    for candidate in candidates:
        if os.access(candidate, os.X_OK) and _program_version(candidate) >= server:
            return str(candidate)
    raise BackupError(
        f"No {name} of PostgreSQL {server} or newer was found: install postgresql-client-{server} "
        f"(apt-get install postgresql-client-{server}) or put its {name} on the PATH."
    )


def _program_version(program: Path) -> int:
    run = subprocess.run([str(program), "--version"], capture_output=True, text=True)
    found = re.search(r"\(PostgreSQL\) (\d+)", run.stdout)
    return int(found.group(1)) if run.returncode == 0 and found else 0
