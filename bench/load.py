#!/usr/bin/env python3
"""Staff saves overlapping under public load, through a real server: `bench/load.py [OPTIONS]`.

    .venv/bin/python bench/load.py                                   (SQLite, a temporary file)
    .venv/bin/python scripts/with_postgres.py -- .venv/bin/python bench/load.py   (PostgreSQL)
    make bench-load                                                  (both, results committed)

The load part of the security review's attack, rerun. WRITERS staff members (Researchers) sign in
through the admin's login page and save admin forms as fast as the server answers: a new person,
then a change to an incident of their own, in turn. READERS anonymous clients meanwhile read the
public list, an incident's page and the API. After that, ROUNDS times, every writer opens the same
incident and they all save it at once: one save wins, and every other writer must be told that
someone else saved it, never get an error.

Uses DATABASE_URL when set, otherwise a temporary SQLite file; never db.sqlite3. It migrates the
database, loads the demo case if it is missing, and adds staff accounts, incidents and people of
its own: give it a throwaway database. The server is Django's own
(`manage.py runserver --noreload`, threaded: a thread and a database connection per request) or,
with `--server gunicorn`, gunicorn's sync workers as `make serve` runs them, on 127.0.0.1, with
the production settings (DEBUG off) and the database options they give.

Reports the requests, answers by status, errors (any answer other than 200 and 302, any failed
connection), lost writes (the rows and incident versions in the database against the saves the
server acknowledged) and p50/p95 latency of each kind of request, with the machine's probe: the
HTTP floor measured as bench/run.py measures it, the cores and the load average before the run.
Results go to RESULTS/load-<database>.json and .md. Exits 1 on any error or lost write.
"""

import argparse
import collections
import datetime
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TEMPORARY_FOLDER = None if os.environ.get("DATABASE_URL") else tempfile.mkdtemp(prefix="vigil-load-")
if TEMPORARY_FOLDER:
    os.environ["DATABASE_URL"] = f"sqlite:///{TEMPORARY_FOLDER}/load.sqlite3"
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DEBUG"] = "0"
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "l" * 50)
# Plain HTTP on loopback, and staff who sign in with a password alone.
for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE"):
    os.environ[name] = "0"
os.environ["OTP_REQUIRED"] = "0"
# runserver starts a thread for each request, so a connection kept for reuse is never reused: it
# stays open until the garbage collector finds it, and PostgreSQL runs out of connections (Django's
# docs: no persistent connections with the development server). Each request closes its own.
os.environ["DATABASE_CONN_MAX_AGE"] = "0"
# The server's address, and the test client's host for the HTTP floor measured in this process.
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,testserver"
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from bench.run import database_name, measure, percentiles, server_settings  # noqa: E402
from incidents.models import Incident, IncidentType  # noqa: E402
from incidents.roles import RESEARCHER  # noqa: E402
from people.models import Person  # noqa: E402
from places.models import Place  # noqa: E402
from scripts.with_postgres import free_port  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PASSWORD = "load-writer-password-" + "w" * 20
PERSON_PREFIX = "Load writer"
STALE = "Someone else saved this incident"
PUBLIC_PAGES = {"public_list": "/incidents/", "api_list": "/api/incidents/"}
EXCEPTION_LINE = re.compile(r"^([\w.]+(?:Error|Exception)): (.*)$")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the answer itself: the admin answers a save with one."""

    def redirect_request(self, *args, **kwargs):
        return None


class Timings:
    """Every answer of the run by kind: its status and how long it took, from all threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.answers: dict[str, list[tuple[int, float]]] = collections.defaultdict(list)

    def add(self, kind: str, status: int, milliseconds: float) -> None:
        with self.lock:
            self.answers[kind].append((status, milliseconds))


class Browser:
    """One person's browser: its own cookies, no redirects followed, every answer timed by kind.

    A failed connection counts as status 0.
    """

    def __init__(self, base: str, timings: Timings):
        self.base = base
        self.timings = timings
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirects
        )
        self.opener.addheaders = [("Accept-Language", "en")]

    def request(self, kind: str, path: str, fields: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """(status, body, Location header) of a GET, or of a POST of `fields`."""
        body = None if fields is None else urllib.parse.urlencode(fields).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=120) as response:
                status, text, location = response.status, response.read().decode(), ""
        except urllib.error.HTTPError as error:
            status, text, location = error.code, error.read().decode(errors="replace"), error.headers["Location"] or ""
        except OSError:
            status, text, location = 0, "", ""
        self.timings.add(kind, status, (time.perf_counter() - started) * 1000)
        return status, text, location

    def form(self, path: str, form_id: str) -> list[tuple[str, str]]:
        """The fields of the form on the page at `path`, as the browser would send them back."""
        status, text, _location = self.request("admin_form", path)
        return FormFields.of(text, form_id) if status == 200 else []

    def sign_in(self, username: str) -> bool:
        fields = self.form("/admin/login/", "login-form")
        fields = replaced(fields, username=username, password=PASSWORD)
        status, _text, location = self.request("sign_in", "/admin/login/?next=/admin/", fields)
        return status == 302 and location == "/admin/"


class FormFields(HTMLParser):
    """What a browser submits from one form of a page as it stands: text and hidden inputs, checked
    boxes, the selected options, textareas. No files and no buttons: the admin saves without one."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self.select: tuple[str, bool] | None = None
        self.options: list[tuple[str, bool]] = []
        self.textarea: str | None = None
        self.text: list[str] = []

    @classmethod
    def of(cls, html: str, form_id: str) -> list[tuple[str, str]]:
        parser = cls(form_id)
        parser.feed(html)
        parser.close()
        return parser.fields

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
        elif tag == "option" and self.select:
            self.options.append((attributes.get("value", ""), "selected" in attributes))
        if not self.inside or "name" not in attributes or "disabled" in attributes:
            return
        name, kind = attributes["name"], attributes.get("type", "text")
        if tag == "input" and kind in {"checkbox", "radio"}:
            if "checked" in attributes:
                self.fields.append((name, attributes.get("value") or "on"))
        elif tag == "input" and kind not in {"file", "submit", "button", "image", "reset"}:
            self.fields.append((name, attributes.get("value", "")))
        elif tag == "select":
            self.select, self.options = (name, "multiple" in attributes), []
        elif tag == "textarea":
            self.textarea, self.text = name, []

    def handle_data(self, data):
        if self.textarea is not None:
            self.text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self.select:
            name, multiple = self.select
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not multiple and self.options:
                chosen = [self.options[0][0]]
            self.fields.extend((name, value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # As browsers do: the newline right after <textarea> is not part of the value.
            self.fields.append((self.textarea, "".join(self.text).removeprefix("\n")))
            self.textarea = None


def replaced(fields: list[tuple[str, str]], **values: str) -> list[tuple[str, str]]:
    """The fields with the named ones given new values (added if the form lacked them)."""
    kept = [(name, value) for name, value in fields if name not in values]
    return kept + list(values.items())


def change_path(incident_pk: int) -> str:
    return f"/admin/incidents/incident/{incident_pk}/change/"


class Outcomes:
    """What the server said to each save, as the writers saw it, to set against the database."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counted: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
        self.summaries: dict[int, list[str]] = collections.defaultdict(list)  # acknowledged, in order

    def add(self, kind: str, outcome: str, incident: int | None = None, summary: str = "") -> None:
        with self.lock:
            self.counted[kind][outcome] += 1
            if incident is not None and outcome == "saved":
                self.summaries[incident].append(summary)

    def saved(self, kind: str) -> int:
        return self.counted[kind]["saved"]


def save_incident(browser: Browser, kind: str, path: str, fields: list[tuple[str, str]]) -> str:
    """Whether the save was made ("saved"), refused with the message that someone else saved the
    incident ("refused"), or neither ("not saved")."""
    status, text, location = browser.request(kind, path, fields)
    if status == 302 and urllib.parse.urlsplit(location).path != path:
        return "saved"
    if status == 200 and STALE in text:
        return "refused"
    if status == 302:  # back to the form, with the message of a save that lost the race at the database
        status, text, _location = browser.request("admin_form", path)
        return "refused" if status == 200 and STALE in text else "not saved"
    return "not saved"


def add_person(browser: Browser, name: str) -> str:
    path = "/admin/people/person/add/"
    # The load's people are named alike on purpose ("… person 1", "… person 2"): the writer says
    # each is someone new, as a researcher does once the possible duplicates are shown.
    fields = replaced(browser.form(path, "person_form"), name=name) + [("not_a_duplicate", "on")]
    status, _text, location = browser.request("admin_add_person", path, fields)
    return "saved" if status == 302 and urllib.parse.urlsplit(location).path != path else "not saved"


def write(browser: Browser, writer: dict, plan: dict, outcomes: Outcomes, barrier: threading.Barrier) -> None:
    """One staff member: sign in, save in turn until the run is over, then race the others."""
    if not browser.sign_in(writer["username"]):
        outcomes.add("sign_in", "refused")
        barrier.abort()
        return
    for number in range(plan["saves"]):
        if time.monotonic() >= plan["until"]:
            break
        if number % 2 == 0:
            name = f"{PERSON_PREFIX} {plan['run']} {writer['number']}, person {number}"
            outcomes.add("admin_add_person", add_person(browser, name))
        else:
            path = change_path(writer["incident"])
            summary = f"Writer {writer['number']}, save {number}."
            fields = replaced(browser.form(path, "incident_form"), summary=summary)
            outcome = save_incident(browser, "admin_change_incident", path, fields)
            outcomes.add("admin_change_incident", outcome, writer["incident"], summary)
    path = change_path(plan["same_incident"])
    try:
        for round_number in range(plan["rounds"]):
            fields = browser.form(path, "incident_form")
            summary = f"Round {round_number + 1}, writer {writer['number']}."
            barrier.wait()  # every writer has opened the same version
            outcome = save_incident(browser, "same_incident_save", path, replaced(fields, summary=summary))
            outcomes.add("same_incident_save", outcome, plan["same_incident"], summary)
            barrier.wait()  # every save of this round is answered before the next round opens the form
    except threading.BrokenBarrierError:  # a writer could not sign in: no race to run
        return


def read(browser: Browser, pages: dict[str, str], stop: threading.Event) -> None:
    while not stop.is_set():
        for kind, path in pages.items():
            browser.request(kind, path)


def prepare(writers: int, run: str) -> dict:
    """Migrate, load the demo case if it is missing, and make the writers and their incidents."""
    call_command("migrate", verbosity=0)
    if not Incident.objects.public().exists():
        call_command("load_demo", verbosity=0)
    researchers = Group.objects.get(name=RESEARCHER)
    incident_fields = {
        "incident_type": IncidentType.objects.get(slug="arrest"),
        "place": Place.objects.get(iso_code="KZ"),
        "start_date": datetime.date(2024, 1, 1),
        "status": Incident.Status.DRAFT,
    }
    password = make_password(PASSWORD)  # hashed once for all: each hash takes the time it is meant to
    team = []
    for number in range(1, writers + 1):
        user, _created = User.objects.update_or_create(
            username=f"load-writer-{number}", defaults={"is_staff": True, "password": password}
        )
        user.groups.add(researchers)
        incident = Incident.objects.create(title=f"Load {run}: writer {number}'s incident", **incident_fields)
        team.append({"number": number, "username": user.username, "incident": incident.pk})
    shared = Incident.objects.create(title=f"Load {run}: the incident every writer edits", **incident_fields)
    detail = Incident.objects.public().order_by("pk").values_list("slug", flat=True).first()
    return {
        "team": team,
        "same_incident": shared.pk,
        "versions": dict(Incident.objects.filter(title__startswith=f"Load {run}:").values_list("pk", "version")),
        "pages": {
            **PUBLIC_PAGES,
            "public_detail": f"/incidents/{detail}/",
            "api_detail": f"/api/incidents/{detail}/",
        },
    }


def lost_writes(run: str, versions: dict[int, int], outcomes: Outcomes) -> dict:
    """Each acknowledged save against the database: the people counted, each incident by its
    version (one more per save) and its summary (the last acknowledged one)."""
    added = outcomes.saved("admin_add_person")
    found = Person.objects.filter(name__startswith=f"{PERSON_PREFIX} {run} ").count()
    lost, unacknowledged = max(0, added - found), max(0, found - added)
    incident_saves = {"acknowledged": 0, "in_database": 0, "incidents": 0, "last_summary_kept": 0}
    for incident in Incident.objects.filter(pk__in=versions):
        summaries = outcomes.summaries.get(incident.pk, [])
        counted = incident.version - versions[incident.pk]
        kept = not summaries or incident.summary == summaries[-1]
        incident_saves["acknowledged"] += len(summaries)
        incident_saves["in_database"] += counted
        incident_saves["incidents"] += 1
        incident_saves["last_summary_kept"] += kept
        lost += max(0, len(summaries) - counted) + (not kept)
        unacknowledged += max(0, counted - len(summaries))
    return {
        "lost": lost,
        "written_but_not_acknowledged": unacknowledged,
        "people_added": {"acknowledged": added, "in_database": found},
        "incident_saves": incident_saves,
    }


SERVERS = {
    "runserver": "`manage.py runserver --noreload` (threaded)",
    "gunicorn": "gunicorn with deploy/gunicorn.conf.py, as `make serve` runs it",
}


def server_command(kind: str, port: int) -> list[str]:
    if kind == "gunicorn":
        return [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"]
    return [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"]


def start_server(kind: str, port: int, log) -> subprocess.Popen:
    command = server_command(kind, port) + (["config.wsgi"] if kind == "gunicorn" else [])
    server = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The server stopped as it started (exit {server.returncode}).")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/admin/login/", timeout=5).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("The server did not answer within a minute.")


def server_exceptions(log_path: Path) -> dict[str, int]:
    """The exceptions the server logged (the last line of each traceback), counted."""
    counted = collections.Counter()
    for line in log_path.read_text(errors="replace").splitlines():
        if match := EXCEPTION_LINE.match(line):
            counted[f"{match[1]}: {match[2]}"] += 1
    return dict(counted.most_common())


def run_load(arguments: argparse.Namespace, setup: dict, run: str) -> dict:
    """Start the server, run the writers and readers to their end, stop the server: what happened."""
    timings, outcomes = Timings(), Outcomes()
    with tempfile.TemporaryDirectory(prefix="vigil-load-log-") as folder:
        log_path = Path(folder) / "server.log"
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        with log_path.open("w") as log:
            server = start_server(arguments.server, port, log)
            try:
                started = time.monotonic()
                plan = {
                    "run": run,
                    "saves": arguments.saves,
                    "until": started + arguments.duration,
                    "rounds": arguments.rounds,
                    "same_incident": setup["same_incident"],
                }
                barrier = threading.Barrier(arguments.writers, timeout=300)
                stop = threading.Event()
                readers = [
                    threading.Thread(target=read, args=(Browser(base, timings), setup["pages"], stop))
                    for _ in range(arguments.readers)
                ]
                writers = [
                    threading.Thread(target=write, args=(Browser(base, timings), writer, plan, outcomes, barrier))
                    for writer in setup["team"]
                ]
                for thread in readers + writers:
                    thread.start()
                for thread in writers:
                    thread.join()
                stop.set()
                for thread in readers:
                    thread.join()
                seconds = round(time.monotonic() - started, 1)
            finally:
                server.terminate()
                server.wait()
        exceptions = server_exceptions(log_path)
    kinds, errors, requests = summary_of(timings)
    return {
        "seconds": seconds,
        "requests": requests,
        "errors": errors,
        "outcomes": {kind: dict(sorted(counted.items())) for kind, counted in sorted(outcomes.counted.items())},
        "lost_writes": lost_writes(run, setup["versions"], outcomes),
        "server_exceptions": exceptions,
        "kinds": kinds,
    }


def summary_of(timings: Timings) -> tuple[dict, dict, int]:
    """Per kind: requests, statuses and latency; the errors by status; the number of requests."""
    kinds, errors, requests = {}, collections.Counter(), 0
    for kind, answers in sorted(timings.answers.items()):
        statuses = collections.Counter(str(status) for status, _ms in answers)
        kinds[kind] = {
            "requests": len(answers),
            "statuses": dict(sorted(statuses.items())),
            **percentiles([ms for _status, ms in answers]),
        }
        requests += len(answers)
        errors.update({status: count for status, count in statuses.items() if status not in {"200", "302"}})
    return kinds, dict(sorted(errors.items())), requests


def probe() -> dict:
    """The machine's speed and how busy it was, measured before the load starts."""
    with override_settings(ROOT_URLCONF="bench.urls"):
        http_floor = measure(Client(), "/bench-floor/")["p50_ms"]
    return {
        "http_floor_ms": http_floor,
        "cpu_count": os.cpu_count(),
        "load_average": [round(load, 2) for load in os.getloadavg()],
    }


def failures(report: dict) -> list[str]:
    """What went wrong: errors, lost or unacknowledged writes, saves neither made nor refused."""
    found = [f"{count} answers {status}" for status, count in report["errors"].items()]
    writes = report["lost_writes"]
    if writes["lost"]:
        found.append(f"{writes['lost']} acknowledged writes missing")
    if writes["written_but_not_acknowledged"]:
        found.append(f"{writes['written_but_not_acknowledged']} writes answered with an error but made")
    for kind, counted in report["outcomes"].items():
        allowed = {"saved", "refused"} if kind == "same_incident_save" else {"saved"}
        found += [f"{kind}: {count} {outcome}" for outcome, count in counted.items() if outcome not in allowed]
    return found


def write_results(report: dict, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"load-{report['vendor']}" + ("" if report["server"] == "runserver" else f"-{report['server']}")
    (folder / f"{name}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    machine = report["probe"]
    options = ("Database options", report["database_options"])
    if report["vendor"] == "postgresql":
        options = ("Server settings", report["server_settings"])
    writes = report["lost_writes"]
    people, incidents = writes["people_added"], writes["incident_saves"]
    race = report["outcomes"].get("same_incident_save", {})
    lines = [
        f"# Load: {report['writers']} staff writers and {report['readers']} public readers ({report['database']})",
        "",
        f"{report['date']}: {report['seconds']} s of load through {SERVERS[report['server']]} "
        f"on 127.0.0.1, production settings; the server and the clients share the machine's cores. {options[0]}: "
        + (", ".join(f"{key} {value}" for key, value in options[1].items()) or "defaults")
        + ".",
        "",
        f"Machine probe before the run: HTTP floor {machine['http_floor_ms']} ms (a trivial view, as bench/run.py "
        f"measures it), {machine['cpu_count']} cores, load average "
        + " / ".join(str(load) for load in machine["load_average"])
        + ".",
        "",
        f"Requests: {report['requests']:,}. Errors: "
        + (", ".join(f"{count} × {status}" for status, count in report["errors"].items()) or "none")
        + f". Lost writes: {writes['lost']}. Written but answered with an error: "
        f"{writes['written_but_not_acknowledged']}.",
        "",
        f"- People added through the admin: {people['acknowledged']} acknowledged, {people['in_database']} "
        "in the database.",
        f"- Incident saves: {incidents['acknowledged']} acknowledged, {incidents['in_database']} counted by "
        f"the incidents' versions; the last acknowledged summary kept on {incidents['last_summary_kept']} "
        f"of {incidents['incidents']} incidents.",
        f"- One incident saved at once by every writer, {report['rounds']} times: "
        + (", ".join(f"{count} {outcome}" for outcome, count in race.items()) or "no saves")
        + f" (refused: told “{STALE}…”).",
        "- Exceptions in the server's log: "
        + ("; ".join(f"{count} × {line}" for line, count in report["server_exceptions"].items()) or "none")
        + ".",
        "",
        "| kind | requests | statuses | p50 ms | p95 ms | max ms |",
        "| --- | ---: | --- | ---: | ---: | ---: |",
    ]
    for kind, figures in report["kinds"].items():
        statuses = ", ".join(f"{status}: {count}" for status, count in figures["statuses"].items())
        lines.append(
            f"| {kind} | {figures['requests']} | {statuses} | {figures['p50_ms']} | {figures['p95_ms']} "
            f"| {figures['max_ms']} |"
        )
    (folder / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--server", choices=SERVERS, default="runserver", help="the server under load")
    parser.add_argument("--readers", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60, help="seconds of saves for each writer, at most")
    parser.add_argument("--saves", type=int, default=1_000_000, help="saves for each writer, at most")
    parser.add_argument("--rounds", type=int, default=14, help="times every writer saves the same incident at once")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for load-<database>.json and .md")
    arguments = parser.parse_args()
    run = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
    try:
        setup = prepare(arguments.writers, run)
        machine = probe()
        report = {
            "date": datetime.date.today().isoformat(),
            "database": database_name(),
            "vendor": connection.vendor,
            "database_options": connection.settings_dict["OPTIONS"] if connection.vendor == "sqlite" else {},
            "server_settings": server_settings(),
            "probe": machine,
            "server": arguments.server,
            "writers": arguments.writers,
            "readers": arguments.readers,
            "rounds": arguments.rounds,
            **run_load(arguments, setup, run),
        }
    finally:
        if TEMPORARY_FOLDER:
            shutil.rmtree(TEMPORARY_FOLDER, ignore_errors=True)
    write_results(report, arguments.results)
    problems = failures(report)
    for problem in problems:
        print(f"FAIL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
