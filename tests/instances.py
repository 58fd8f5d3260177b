"""Vigil run as a deployment runs it, for the tests of backups and crashes.

A `Site` is a database and a media folder of its own, driven through `manage.py` and
tests/researcher.py in processes of their own, with the production settings (tests.settings). A
`Cluster` is a PostgreSQL server of a test's own, in a temporary folder, that can be killed as a
crash kills it and started again.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from scripts.with_postgres import FAST_AND_NOT_DURABLE, find_postgres_bin, free_port, server_user

from .conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Site:
    database_url: str
    media_root: Path

    @property
    def evidence_root(self) -> Path:
        return self.media_root / "evidence"

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": self.database_url,
            "MEDIA_ROOT": str(self.media_root),
            "EVIDENCE_ROOT": str(self.evidence_root),
            "ALLOWED_HOSTS": "testserver",
        }

    def manage(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "manage.py", *arguments], check)

    def researcher(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        return self._run([sys.executable, "-m", "tests.researcher", *arguments], check)

    def start_researcher(self, *arguments: str) -> subprocess.Popen:
        """A researcher saving in a loop, in the background; its output says which saves succeeded."""
        return subprocess.Popen(
            [sys.executable, "-m", "tests.researcher", *arguments],
            cwd=ROOT,
            env=self.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def _run(self, command: list[str], check: bool) -> subprocess.CompletedProcess:
        run = subprocess.run(command, cwd=ROOT, env=self.environment(), capture_output=True, text=True, timeout=300)
        if check:
            assert run.returncode == 0, f"{' '.join(command)} failed:\n{run.stdout}\n{run.stderr}"
        return run


def database_for_another_process(folder: Path) -> str:
    """The test database, migrated and with the demo case, as a DATABASE_URL for another process.

    SQLite's lives in this process's memory: the other process gets a copy of it in a file.
    """
    if connection.vendor == "sqlite":
        path = folder / "vigil.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(path)) as copy:
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    return url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


class Cluster:
    """A PostgreSQL server in a temporary folder, on a free port of 127.0.0.1.

    `durable` keeps PostgreSQL's defaults (fsync, synchronous commits, full-page writes); otherwise
    it runs as scripts/with_postgres.py runs its clusters, fast and not crash-safe. The server is
    this process's child, so that once killed it can be waited for and started again.
    """

    def __init__(self, *, durable: bool):
        self.bin_dir = find_postgres_bin()
        if self.bin_dir is None:
            skip_or_fail("PostgreSQL is not installed: install it with apt-get install postgresql")
        self.durable = durable
        self.folder = tempfile.mkdtemp(prefix="vigil-test-cluster-")
        self.data = os.path.join(self.folder, "data")
        self.log = os.path.join(self.folder, "server.log")
        self.as_server_user = {}
        if user := server_user():
            os.chown(self.folder, user.pw_uid, user.pw_gid)
            self.as_server_user = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        subprocess.run(
            [f"{self.bin_dir}/initdb", "-D", self.data, "-U", "vigil", "--auth=trust", "--encoding=UTF8"]
            + ["--locale=C.UTF-8", *([] if durable else ["--no-sync"])],
            check=True,
            stdout=subprocess.DEVNULL,
            **self.as_server_user,
        )
        self.port = free_port()
        self.server = None

    def url(self, database: str = "postgres") -> str:
        return f"postgres://vigil@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        settings = ["listen_addresses=127.0.0.1", *([] if self.durable else FAST_AND_NOT_DURABLE)]
        command = [f"{self.bin_dir}/postgres", "-D", self.data, "-p", str(self.port), "-k", self.folder]
        for setting in settings:
            command += ["-c", setting]
        with open(self.log, "a") as log:
            self.server = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True, **self.as_server_user
            )
        deadline = time.monotonic() + 120
        while True:
            try:
                psycopg2.connect(self.url(), connect_timeout=5).close()
                return
            except psycopg2.OperationalError:
                if self.server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"PostgreSQL did not start:\n{Path(self.log).read_text()[-3000:]}") from None
                time.sleep(0.1)

    def create_database(self, name: str) -> str:
        with closing(psycopg2.connect(self.url())) as server:
            server.autocommit = True
            server.cursor().execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def kill(self) -> None:
        """SIGKILL to the postmaster and every process it started, at once, as a crash of the server does."""
        os.killpg(self.server.pid, signal.SIGKILL)
        self.server.wait()

    def remove(self) -> None:
        if self.server and self.server.poll() is None:
            self.kill()
        shutil.rmtree(self.folder, ignore_errors=True)


class Researcher:
    """tests/researcher.py saving in a loop in its own process; `saved` fills as it reports saves.

    It stops on its own after a save fails (the database gone), or when asked (`stop`).
    """

    def __init__(self, site: Site, name: str):
        self.process = site.start_researcher("save", name)
        self.saved: list[tuple[str, str]] = []
        self.lines: list[str] = []
        self.ended = False
        self.changed = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            with self.changed:
                self.lines.append(line.rstrip("\n"))
                if line.startswith("saved "):
                    title, sha256 = line.removeprefix("saved ").rstrip("\n").split("|")
                    self.saved.append((title, sha256))
                self.changed.notify_all()
        with self.changed:
            self.ended = True
            self.changed.notify_all()

    def wait_for_saves(self, count: int) -> None:
        with self.changed:
            self.changed.wait_for(lambda: len(self.saved) >= count or self.ended, timeout=120)
        if len(self.saved) < count:
            self.process.kill()
            pytest.fail(f"{len(self.saved)} saves, {count} awaited:\n" + "\n".join(self.lines))

    def stop(self) -> None:
        """Asks it to stop after the save under way."""
        self.process.send_signal(signal.SIGTERM)
        self.wait()

    def wait(self) -> None:
        self.process.wait(timeout=120)
        self.reader.join(timeout=60)
