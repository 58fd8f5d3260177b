#!/usr/bin/env python3
"""The public site under load, served as in production: `make bench-serve SIZE=... BENCH_PGDATA=...`.

    .venv/bin/python scripts/with_postgres.py --keep DIR -- .venv/bin/python bench/serve_load.py

Starts `scripts/serve.py` (gunicorn with deploy/gunicorn.conf.py, DEBUG off, `check --deploy`) on
a free loopback port against DATABASE_URL (the dataset of `make bench-data`), and drives it from
this process, on the same machine, with a mix of public pages weighted as the public reads them:
incident pages, and searches by region, by charge and by name, each drawn from the data.

  (a) closed loop: CLIENTS clients (50) each send a request as soon as the last one answered, for
      DURATION seconds (60); then the same on the admin's incident change list, signed in;
  (b) open loop: RATE requests a second (30) for DURATION seconds, sent on schedule whether or not
      earlier ones answered, each timed from when it was due, so a queue in the server counts.

The requests travel as nginx forwards them (X-Forwarded-Proto: https, which the server trusts from
loopback). Reports the requests, errors (any answer but 200, any failed connection), throughput and
p50/p95/p99 of each phase and of each kind of page, with the machine's probe (cores, load average,
the server's HTTP floor). Results in bench/results/serve-load-<incidents>.json and .md. Exits 1 on
an error or when (b)'s p95 is over TARGET_P95_MS (200).
"""

import collections
import datetime
import http.cookiejar
import json
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER_ENVIRONMENT = {
    "SECRET_KEY": "bench-only-key-" + "s" * 50,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_PROXY_SSL_HEADER": "1",
    "OTP_REQUIRED": "0",  # the admin phase signs in with a password alone
    "LOG_LEVEL": "WARNING",
}
os.environ.update({**SERVER_ENVIRONMENT, "DJANGO_SETTINGS_MODULE": "config.settings"})
# The server's environment, before bench.run adds the defaults of its in-process measures
# (SECURE_SSL_REDIRECT off, among them), which `check --deploy` would refuse.
LAUNCH_ENVIRONMENT = dict(os.environ)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from bench.run import database_name, percentiles, server_settings  # noqa: E402
from incidents.models import Charge, Incident  # noqa: E402
from people.models import Person  # noqa: E402
from places.models import Place  # noqa: E402

CLIENTS = int(os.environ.get("BENCH_CLIENTS", "50"))
RATE = float(os.environ.get("BENCH_RATE", "30"))
DURATION = float(os.environ.get("BENCH_DURATION", "60"))
TARGET_P95_MS = 200
EXAMPLES = 200
# How the public reads: mostly incident pages, then searches by region, name and charge.
MIX = {"incident page": 40, "region search": 25, "name search": 20, "charge search": 15}
STAFF = ("bench-serve-staff", "bench-serve-password-" + "p" * 12)
RESULTS = ROOT / "bench" / "results"


def examples() -> dict[str, list[str]]:
    """Addresses of each kind, drawn from the data: real incidents, regions, provisions, surnames."""
    public = Incident.objects.public()
    newest = public.order_by("-period_start", "-pk")
    incident_slugs = list(newest.values_list("slug", flat=True)[: EXAMPLES * 20 : 20])
    regions = list(Place.objects.filter(kind="region").values_list("slug", flat=True)[:EXAMPLES])
    provisions = [
        row["provision__slug"]
        for row in Charge.objects.values("provision__slug").annotate(n=Count("pk")).order_by("-n")[:EXAMPLES]
    ]
    names = Person.objects.publicly_named().filter(involvements__isnull=False).values_list("name", flat=True)
    surnames = sorted({name.split()[-1] for name in names[:EXAMPLES]})
    return {
        "incident page": [f"/incidents/{slug}/" for slug in incident_slugs],
        "region search": [f"/incidents/?region={slug}" for slug in regions],
        "charge search": [f"/incidents/?charge={slug}" for slug in provisions],
        "name search": [f"/incidents/?{urllib.parse.urlencode({'q': surname})}" for surname in surnames],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`scripts/serve.py` in its own process group, stopped with everything it started."""

    def __init__(self):
        self.address = f"127.0.0.1:{free_port()}"
        self.log = tempfile.NamedTemporaryFile("w", prefix="vigil-serve-load-", suffix=".log", delete=False)  # noqa: SIM115
        environment = {**LAUNCH_ENVIRONMENT, "HOST_PORT": self.address}
        self.process = subprocess.Popen(
            [sys.executable, "scripts/serve.py"],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"the server stopped (status {self.process.returncode}): see {self.log.name}")
            try:
                get(f"http://{self.address}/", opener())
                return
            except OSError:
                time.sleep(0.5)
        self.stop()
        sys.exit("the server did not answer within 180 s")

    def workers(self) -> int:
        children = subprocess.run(["pgrep", "-g", str(self.process.pid)], capture_output=True, text=True).stdout
        return max(len(children.split()) - 1, 0)

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer of its own (to the sign-in page, say), counted as not 200."""

    def redirect_request(self, *args, **kwargs):
        return None


class LoopbackCookies(http.cookiejar.DefaultCookiePolicy):
    """Cookies marked Secure go back to the server: the requests are HTTPS as nginx forwards them."""

    def return_ok_secure(self, cookie, request):
        return True


def opener(*handlers):
    return urllib.request.build_opener(NoRedirects, *handlers)


def get(url: str, opener) -> int:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https", "Accept-Language": "ru"})
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.samples: list[tuple[str, float, int | str]] = []

    def add(self, kind: str, seconds: float, status) -> None:
        with self.lock:
            self.samples.append((kind, seconds * 1000, status))

    def summary(self, duration: float) -> dict:
        by_kind = collections.defaultdict(list)
        for kind, milliseconds, _status in self.samples:
            by_kind[kind].append(milliseconds)
        statuses = collections.Counter(str(status) for _kind, _ms, status in self.samples)
        return {
            "requests": len(self.samples),
            "errors": sum(count for status, count in statuses.items() if status != "200"),
            "statuses": dict(statuses),
            "throughput_per_second": round(len(self.samples) / duration, 1),
            "latency_ms": latency([ms for _kind, ms, _status in self.samples]),
            "by_kind": {kind: latency(values) for kind, values in sorted(by_kind.items())},
        }


def latency(values: list[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {}
    shared = percentiles(ordered)
    return {
        "p50": round(shared["p50_ms"], 1),
        "p95": round(shared["p95_ms"], 1),
        "p99": round(ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))], 1),
        "max": round(shared["max_ms"], 1),
    }


def pick(pages: dict[str, list[str]], chance: random.Random) -> tuple[str, str]:
    """A kind of page by its weight in MIX (alike when the kinds are others), and one of its addresses."""
    kinds = list(pages)
    kind = chance.choices(kinds, weights=[MIX.get(kind, 1) for kind in kinds])[0]
    return kind, chance.choice(pages[kind])


def closed_loop(base: str, pages, opener_for, clients: int, duration: float) -> dict:
    recorder = Recorder()
    stop_at = time.monotonic() + duration

    def client(number: int) -> None:
        chance, browser = random.Random(number), opener_for()
        while time.monotonic() < stop_at:
            kind, path = pick(pages, chance)
            started = time.monotonic()
            try:
                status = get(base + path, browser)
            except OSError as error:
                status = type(error).__name__
            recorder.add(kind, time.monotonic() - started, status)

    threads = [threading.Thread(target=client, args=(number,)) for number in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder.summary(time.monotonic() - started)


def open_loop(base: str, pages, rate: float, duration: float) -> dict:
    """Requests sent on schedule by a pool large enough never to wait for a free sender."""
    recorder = Recorder()
    chance = random.Random(7)
    schedule = [(index / rate, *pick(pages, chance)) for index in range(int(rate * duration))]
    cursor = iter(schedule)
    cursor_lock = threading.Lock()
    start = time.monotonic() + 0.5

    def sender() -> None:
        browser = opener()
        while True:
            with cursor_lock:
                item = next(cursor, None)
            if item is None:
                return
            due, kind, path = item
            time.sleep(max(0.0, start + due - time.monotonic()))
            try:
                status = get(base + path, browser)
            except OSError as error:
                status = type(error).__name__
            recorder.add(kind, time.monotonic() - (start + due), status)

    threads = [threading.Thread(target=sender) for _ in range(int(rate * 4) + 8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {**recorder.summary(duration), "rate_asked": rate}


def signed_in_opener(base: str):
    """A staff member's browser: cookies, and the admin's sign-in form filled once."""
    user, _ = get_user_model().objects.get_or_create(username=STAFF[0], defaults={"is_staff": True})
    user.is_staff = user.is_superuser = True
    user.set_password(STAFF[1])
    user.save()
    browser = opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar(policy=LoopbackCookies())))
    headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{base.split('//')[1]}/admin/login/"}
    with browser.open(urllib.request.Request(f"{base}/admin/login/", headers=headers)) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    form = urllib.parse.urlencode({"username": STAFF[0], "password": STAFF[1], "csrfmiddlewaretoken": token})
    request = urllib.request.Request(f"{base}/admin/login/?next=/admin/", data=form.encode(), headers=headers)
    try:
        browser.open(request)
    except urllib.error.HTTPError as answer:
        if answer.code != 302 or answer.headers["Location"] != "/admin/":
            sys.exit(f"the staff member could not sign in ({answer.code})")
    else:
        sys.exit("the staff member could not sign in: the form came back")
    return browser


def http_floor(base: str) -> float:
    """The server's quickest answer: a static file through WhiteNoise, no view, no database."""
    browser = opener()
    samples = []
    for _ in range(30):
        started = time.monotonic()
        get(f"{base}/static/vigil.css", browser)
        samples.append((time.monotonic() - started) * 1000)
    return round(sorted(samples)[len(samples) // 2], 2)


def write_results(report: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"serve-load-{report['incidents']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        f"# The public site under load at {report['incidents']:,} incidents ({report['database']})",
        "",
        f"{report['date']}: `make serve` (gunicorn, {report['workers']} sync workers, DEBUG off) on 127.0.0.1,"
        f" driven from the same machine by bench/serve_load.py. Server settings: "
        + ", ".join(f"{name} {value}" for name, value in report["server_settings"].items())
        + ".",
        "",
        f"Machine probe: {report['cores']} cores, load average before the run {report['load_average']},"
        f" HTTP floor {report['http_floor_ms']} ms (a static file through WhiteNoise).",
        "",
        "Mix: " + ", ".join(f"{kind} {weight}%" for kind, weight in MIX.items()) + ".",
        "",
        "| phase | requests | errors | requests/s | p50 ms | p95 ms | p99 ms | max ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, phase in report["phases"].items():
        lat = phase["latency_ms"]
        lines.append(
            f"| {name} | {phase['requests']:,} | {phase['errors']} | {phase['throughput_per_second']} |"
            f" {lat['p50']} | {lat['p95']} | {lat['p99']} | {lat['max']} |"
        )
    for name, phase in report["phases"].items():
        lines += ["", f"## {name}", "", "| page | p50 ms | p95 ms | p99 ms |", "| --- | ---: | ---: | ---: |"]
        lines += [f"| {kind} | {lat['p50']} | {lat['p95']} | {lat['p99']} |" for kind, lat in phase["by_kind"].items()]
    open_phase = report["phases"][OPEN]
    lines += [
        "",
        f"Target: (b)'s p95 at most {TARGET_P95_MS} ms: {open_phase['latency_ms']['p95']} ms,"
        f" {'met' if report['target_met'] else 'NOT met'}.",
    ]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    return stem.with_suffix(".md")


CLOSED = f"(a) {CLIENTS} clients, public pages"
ADMIN = f"(a) {CLIENTS} clients, admin change list"
OPEN = f"(b) {RATE:g} requests/s, public pages"


def main() -> None:
    if connection.vendor != "postgresql":
        sys.exit("bench/serve_load.py measures PostgreSQL: set DATABASE_URL or run it under scripts/with_postgres.py")
    load_average = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    pages = examples()
    incidents = Incident.objects.count()
    server = Server()
    base = f"http://{server.address}"
    try:
        floor = http_floor(base)
        phases = {CLOSED: closed_loop(base, pages, opener, CLIENTS, DURATION)}
        print(CLOSED, json.dumps(phases[CLOSED]["latency_ms"]), flush=True)
        admin_opener = signed_in_opener(base)
        admin_pages = {"admin change list": ["/admin/incidents/incident/"]}
        phases[ADMIN] = closed_loop(base, admin_pages, lambda: admin_opener, CLIENTS, DURATION)
        print(ADMIN, json.dumps(phases[ADMIN]["latency_ms"]), flush=True)
        phases[OPEN] = open_loop(base, pages, RATE, DURATION)
        print(OPEN, json.dumps(phases[OPEN]["latency_ms"]), flush=True)
        workers = server.workers()
    finally:
        server.stop()
    report = {
        "date": datetime.date.today().isoformat(),
        "incidents": incidents,
        "database": database_name(),
        "server_settings": server_settings(),
        "workers": workers,
        "cores": os.cpu_count(),
        "load_average": load_average,
        "http_floor_ms": floor,
        "phases": phases,
        "target_met": phases[OPEN]["latency_ms"]["p95"] <= TARGET_P95_MS,
    }
    print(f"results: {write_results(report)}")
    errors = sum(phase["errors"] for phase in phases.values())
    sys.exit(1 if errors or not report["target_met"] else 0)


if __name__ == "__main__":
    main()
