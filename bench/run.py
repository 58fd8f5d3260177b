"""Benchmark of Vigil's public pages against their floors and against the alternatives.

    make bench SIZE=N                     (PostgreSQL from DATABASE_URL, or a throwaway cluster)
    make bench SIZE=N BENCH_PGDATA=DIR    (a cluster kept in DIR: the dataset is generated once)
    make bench-data SIZE=N BENCH_PGDATA=DIR   (only generate the dataset, BENCH_ONLY_GENERATE=1)

The dataset is generated (`generate_dataset --incidents SIZE --seed 1`) only when the database
holds none; a database that holds one of SIZE incidents, marked complete, is used as it is.

Every page is requested in-process through Django's test client (no network, no web server), so
the figures are server-side times: URL routing, views, queries, templates. The process is set up
as the WSGI server's is, by importing config.wsgi. For each page it
reports p50/p95/max over RUNS runs after a warm-up (each run requests every page once, in turn),
the query count, and in the same run on the same data:
- the floor: what every request pays, PostgreSQL's own planning and execution times (EXPLAIN
  ANALYZE) of every query the page runs, summed, plus the HTTP floor (a trivial Django view
  served the same way); the target is every page's p50 within 5x its floor;
- the page's SQL replayed on a plain cursor: the database and connection share of the page;
- the Django admin change list doing the same search or filter, where it can express it;
- Datasette serving the same incidents flattened into SQLite with full-text search, over
  loopback HTTP, where it can express the search (its own HTTP floor is reported beside it);
- where the page's own time goes: compiling SQL, the driver, templates, the rest (`TimeSpent`).
Results go to bench/results/<SIZE>.md and bench/results/<SIZE>.json. Runs made at different
machine speeds compare by each page's p50 over its run's HTTP floor: bench/compare.py.
"""

import datetime
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "b" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("OTP_REQUIRED", "0")  # the admin comparison signs in without a second factor
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()  # before the models are imported (cases.models comes before config.wsgi's setup)

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.db.models.sql.compiler import SQLCompiler  # noqa: E402
from django.template.base import Template  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from cases.models import Case, CustodyPeriod  # noqa: E402
from config.wsgi import application  # noqa: E402, F401  set up as the server process is (config/wsgi.py)
from incidents.models import Charge, Incident, Involvement  # noqa: E402
from people.models import NameVariant, Person  # noqa: E402
from places.models import Place  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "30"))
# The pages are read as most of Vigil's readers read them: in Russian.
LANGUAGE = os.environ.get("BENCH_LANGUAGE", "ru")
CSV_ROWS = 100_000
WARM_UP = 3
BREAKDOWN_RUNS = 10
TARGET = 5  # every page's p50 within TARGET times its floor (planning + execution + HTTP floor)
SEED = 1
RESULTS = ROOT / "bench" / "results"
DATASETTE = ROOT / ".venv-bench" / "bin" / "datasette"


def timed_get(client: Client, url: str) -> tuple[float, int]:
    started = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        for _ in response.streaming_content:
            pass
    else:
        response.content  # noqa: B018 (rendered already; read to be sure)
    return (time.perf_counter() - started) * 1000, response.status_code


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))], 2),
        "max_ms": round(ordered[-1], 2),
    }


def warm_up(client: Client, url: str) -> None:
    for _ in range(WARM_UP):
        _, status = timed_get(client, url)
        if status != 200:
            raise SystemExit(f"{url} answered {status}")


def measure(client: Client, url: str) -> dict:
    warm_up(client, url)
    return percentiles([timed_get(client, url)[0] for _ in range(RUNS)])


def measure_in_turn(client: Client, urls: list[str], replays: dict[str, list[str]]) -> dict[str, dict]:
    """Each run requests every page once, in turn, and replays each page's SQL right after it.

    The machine's speed changes from one minute to the next (by up to 2x here): measured one after
    the other, the pages that happened to fall in a slow minute looked twice as slow as the rest.
    In turn, every page meets the same minutes. The caller has warmed the pages up.
    """
    samples: dict[str, list[float]] = {url: [] for url in urls}
    replayed: dict[str, list[float]] = {url: [] for url in replays}
    for _ in range(RUNS):
        for url in urls:
            samples[url].append(timed_get(client, url)[0])
            if url in replays:
                replayed[url].append(timed_replay(replays[url]))
    timings = {url: percentiles(times) for url, times in samples.items()}
    for url, times in replayed.items():
        timings[url]["sql_replay_ms"] = round(statistics.median(times), 2)
    return timings


def timed_replay(queries: list[str]) -> float:
    """Milliseconds to send a page's SQL, as Django sent it, on a plain cursor and read every row.

    What the database and the connection cost the page (planning, execution, round trips, reading
    the rows) without the ORM, the view or the template; the floor counts planning and execution only.
    """
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in queries:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return (time.perf_counter() - started) * 1000


class TimeSpent:
    """Where a request's time goes: compiling querysets to SQL, the driver (sending the SQL and
    reading the rows), rendering templates, and the rest (model instances, views, middleware).

    Each part's own time only: a query that a template runs while rendering (a lazy queryset)
    counts as compile and driver time, not as template time. Measured apart from the timed runs,
    whose figures carry no wrapper.
    """

    hooks = [
        ("compile", SQLCompiler, "as_sql"),
        ("driver", CursorWrapper, "_execute"),
        ("template", Template, "render"),
    ]

    def __init__(self):
        self.spent = {name: 0.0 for name, _owner, _method in self.hooks}
        self.running: list[str] = []
        self.since = 0.0

    def reset(self) -> None:
        self.spent = dict.fromkeys(self.spent, 0.0)

    def __enter__(self):
        self.originals = [(owner, method, getattr(owner, method)) for _name, owner, method in self.hooks]
        for (name, owner, method), (_owner, _method, original) in zip(self.hooks, self.originals, strict=True):
            setattr(owner, method, self.timed(name, original))
        return self

    def __exit__(self, *exc_info):
        for owner, method, original in self.originals:
            setattr(owner, method, original)

    def switch(self, now: float) -> None:
        """Charge the time since the last switch to the part running until now."""
        if self.running:
            self.spent[self.running[-1]] += (now - self.since) * 1000
        self.since = now

    def timed(self, name: str, original):
        def wrapper(*args, **kwargs):
            self.switch(time.perf_counter())
            self.running.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                self.switch(time.perf_counter())
                self.running.pop()

        return wrapper


def time_breakdown(client: Client, url: str, runs: int) -> dict:
    """Medians over `runs` requests of each part of `TimeSpent`, in ms."""
    samples: dict[str, list[float]] = {"compile": [], "driver": [], "template": [], "other": []}
    with TimeSpent() as spent:
        for _ in range(runs):
            spent.reset()
            total = timed_get(client, url)[0]
            for name, value in spent.spent.items():
                samples[name].append(value)
            samples["other"].append(total - sum(spent.spent.values()))
    return {f"{name}_ms": round(statistics.median(values), 2) for name, values in samples.items()}


def database_floor(client: Client, url: str) -> dict:
    """The page's SQL; its query count, the sums of EXPLAIN ANALYZE execution and planning times,
    and plan warnings."""
    with CaptureQueriesContext(connection) as captured:
        timed_get(client, url)
    queries = [query["sql"] for query in captured.captured_queries]
    figures = {"sql": queries, "queries": len(queries), "raw_sql_ms": None, "planning_ms": None, "plan_warnings": []}
    if connection.vendor != "postgresql":
        return figures
    executing = planning = 0.0
    warnings = []
    with connection.cursor() as cursor:
        for sql in queries:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0][0]
            executing += plan["Execution Time"]
            planning += plan["Planning Time"]
            warnings.extend(plan_warnings(plan["Plan"]))
    return {
        **figures,
        "raw_sql_ms": round(executing, 2),
        "planning_ms": round(planning, 2),
        "plan_warnings": sorted(set(warnings)),
    }


def plan_warnings(node: dict) -> list[str]:
    """Sequential scans of the incidents, and counts or groupings fed by more rows than a capped
    count reads (10,000 and the one row that shows there are more)."""
    found = []
    if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "incidents_incident":
        found.append("sequential scan of incidents_incident")
    if node.get("Node Type") == "Aggregate":
        counted = sum(child.get("Actual Rows", 0) * child.get("Actual Loops", 1) for child in node.get("Plans", []))
        if counted > 10_001:
            found.append(f"aggregate over {counted:,} rows")
    for child in node.get("Plans", []):
        found.extend(plan_warnings(child))
    return found


def place_word(region: Place) -> str:
    """The longest word of one of the region's names in another language ("Башкортостан" of
    "Республика Башкортостан"): a `q` that finds the region's incidents through the place's name,
    not through their own text, as a reader who types the region's name would."""
    other = region.names.exclude(name=region.name).order_by("-language").first()
    return max((other.name if other else region.name).replace(",", " ").split(), key=len)


def respelled(name: str) -> str:
    """The name as another transliteration writes it (y for i, w for v, or the reverse), which
    the search finds only through its folding rule."""
    for written, other in (("y", "i"), ("i", "y"), ("v", "w"), ("kh", "h"), ("zh", "j")):
        if written in name:
            return name.replace(written, other, 1)
    return name + "ff" if name.endswith("ov") else name


def pick_examples() -> dict:
    """Real slugs and words from the data: a large and a small region, a busy person, etc."""
    public = Incident.objects.public()
    regions = (
        Place.objects.filter(kind="region", incidents__isnull=True)
        .annotate(n=Count("children__children__incidents"))
        .filter(n__gt=0)
        .order_by("-n")
    )
    large_region, small_region = regions.first(), regions.last()
    provision = Charge.objects.public().values("provision__slug").annotate(n=Count("pk")).order_by("-n").first()
    busy_person = (
        Involvement.objects.public()
        .filter(person__isnull=False, incident__in=public)
        .values("person__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    incident = public.order_by("-period_start").first()
    named = NameVariant.objects.filter(person__in=Person.objects.publicly_named(), person__involvements__isnull=False)
    latin = named.filter(script="latin").first()
    cyrillic = named.filter(script="cyrillic").first()
    type_slug = public.values("incident_type__slug").annotate(n=Count("pk")).order_by("-n").first()
    busy_organisation = (
        Involvement.objects.public()
        .filter(organisation__isnull=False)
        .values("organisation__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    # The CSV export covers the newest CSV_ROWS incidents (or all of them in a smaller dataset).
    newest = public.order_by("-period_start", "-pk").values_list("period_start", flat=True)
    export_from = newest[CSV_ROWS - 1] if newest[CSV_ROWS - 1 : CSV_ROWS].exists() else None
    return {
        "organisation": busy_organisation["organisation__slug"],
        "export_query": f"?date_from={export_from.isoformat()}" if export_from else "",
        "large_region": large_region.slug,
        "small_region": small_region.slug,
        "place_word": place_word(large_region),
        "provision": provision["provision__slug"],
        "person": busy_person["person__slug"],
        "incident": incident.slug,
        "latin_name": latin.name.split()[-1],
        "respelled_name": respelled(latin.name.split()[-1]),
        "cyrillic_name": cyrillic.name.split()[-1],
        "summary_word": "laptop",
        "type": type_slug["incident_type__slug"],
        "type_id": public.filter(incident_type__slug=type_slug["incident_type__slug"]).first().incident_type_id,
        **detained_examples(),
    }


def detained_examples() -> dict:
    """A case with a sentence, and the region, provision and surname most common among the people
    held today, for /detained/ and its filters."""
    today = datetime.date.today()
    held = CustodyPeriod.objects.held_on(today).confirmed()
    case = Case.objects.public().filter(sentences__isnull=False, custody_periods__isnull=False).order_by("pk").first()
    provision = (
        Charge.objects.public()
        .filter(person__in=held.values("person"), case_link__isnull=False)
        .values("provision__slug")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    regions = Counter(path.strip("/").split("/")[1] for path in held.values_list("incident__place_path", flat=True))
    region = Place.objects.get(pk=int(regions.most_common(1)[0][0]))
    surname = held.values_list("person__name", flat=True).order_by("pk").first().split()[-1]
    return {
        "case": case.slug,
        "held_region": region.slug,
        "held_provision": provision["provision__slug"],
        "held_surname": surname,
        "three_years_ago": (today - datetime.timedelta(days=3 * 365)).isoformat(),
    }


def pages(example: dict) -> list[dict]:
    """Each page with, where they can express it, the admin and Datasette equivalents."""
    date_range = "date_from=2010-01-01&date_to=2014-12-31"
    return [
        {"name": "incidents", "url": "/incidents/", "admin": "", "datasette": ""},
        {
            "name": "region_large",
            "url": f"/incidents/?region={example['large_region']}",
            "admin": None,
            "datasette": None,
        },
        {
            "name": "region_small",
            "url": f"/incidents/?region={example['small_region']}",
            "admin": None,
            "datasette": None,
        },
        {
            "name": "two_regions",
            "url": f"/incidents/?region={example['large_region']}&region={example['small_region']}",
            "admin": None,
            "datasette": None,
        },
        {"name": "q_place_name", "url": f"/incidents/?q={example['place_word']}", "admin": None, "datasette": None},
        {"name": "charge", "url": f"/incidents/?charge={example['provision']}", "admin": None, "datasette": None},
        {
            "name": "type_and_dates",
            "url": f"/incidents/?type={example['type']}&{date_range}",
            "admin": (
                f"incident_type__id__exact={example['type_id']}"
                "&period_start__gte=2010-01-01&period_start__lte=2014-12-31"
            ),
            "datasette": f"type_slug={example['type']}&start_date__gte=2010-01-01&start_date__lte=2014-12-31",
        },
        {
            "name": "q_latin_name",
            "url": f"/incidents/?q={example['latin_name']}",
            "admin": None,
            "datasette": f"_search={example['latin_name']}",
        },
        {
            "name": "q_respelled_name",
            "url": f"/incidents/?q={example['respelled_name']}",
            "admin": None,
            "datasette": None,
        },
        {
            "name": "q_cyrillic_name",
            "url": f"/incidents/?q={example['cyrillic_name']}",
            "admin": None,
            "datasette": f"_search={example['cyrillic_name']}",
        },
        {
            "name": "q_summary_word",
            "url": f"/incidents/?q={example['summary_word']}",
            "admin": f"q={example['summary_word']}",
            "datasette": f"_search={example['summary_word']}",
        },
        {
            "name": "three_filters",
            "url": f"/incidents/?region={example['large_region']}&type={example['type']}&{date_range}",
            "admin": None,
            "datasette": None,
        },
        {"name": "home", "url": "/", "admin": None, "datasette": None},
        {"name": "people", "url": "/people/", "admin": None, "datasette": None},
        {"name": "organisations", "url": "/organisations/", "admin": None, "datasette": None},
        {"name": "charges", "url": "/charges/", "admin": None, "datasette": None},
        {"name": "region_page", "url": f"/regions/{example['large_region']}/", "admin": None, "datasette": None},
        {"name": "regions", "url": "/regions/", "admin": None, "datasette": None},
        {"name": "incident_detail", "url": f"/incidents/{example['incident']}/", "admin": None, "datasette": None},
        {"name": "person_detail", "url": f"/people/{example['person']}/", "admin": None, "datasette": None},
        {"name": "provision_detail", "url": f"/charges/{example['provision']}/", "admin": None, "datasette": None},
        {
            "name": "organisation_detail",
            "url": f"/organisations/{example['organisation']}/",
            "admin": None,
            "datasette": None,
        },
        {"name": "api_filtered", "url": f"/api/incidents/?type={example['type']}", "admin": None, "datasette": None},
        {"name": "api_places", "url": "/api/places/", "admin": None, "datasette": None},
        {
            "name": "api_incident_detail",
            "url": f"/api/incidents/{example['incident']}/",
            "admin": None,
            "datasette": None,
        },
        {"name": "case_detail", "url": f"/cases/{example['case']}/", "admin": None, "datasette": None},
        {"name": "detained", "url": "/detained/", "admin": None, "datasette": None},
        {
            "name": "detained_region",
            "url": f"/detained/?region={example['held_region']}",
            "admin": None,
            "datasette": None,
        },
        {
            "name": "detained_charge",
            "url": f"/detained/?charge={example['held_provision']}",
            "admin": None,
            "datasette": None,
        },
        {"name": "detained_q", "url": f"/detained/?q={example['held_surname']}", "admin": None, "datasette": None},
        {
            "name": "detained_on",
            "url": f"/detained/?on={example['three_years_ago']}",
            "admin": None,
            "datasette": None,
        },
        {"name": "api_detained", "url": "/api/detained/", "admin": None, "datasette": None},
    ]


def flatten_for_datasette(path: Path) -> None:
    """The public incidents as one SQLite table with full-text search, as a data team would publish them."""
    database = sqlite3.connect(path)
    database.executescript(
        "DROP TABLE IF EXISTS incidents; DROP TABLE IF EXISTS incidents_fts;"
        "CREATE TABLE incidents (id INTEGER PRIMARY KEY, slug TEXT, title TEXT, summary TEXT, type_slug TEXT,"
        " place TEXT, start_date TEXT, names TEXT);"
    )
    names: dict[int, list[str]] = {}
    for incident_id, name in (
        Involvement.objects.public()
        .filter(incident__in=Incident.objects.public(), person__isnull=False)
        .values_list("incident_id", "person__name_variants__name")
        .iterator(chunk_size=20_000)
    ):
        names.setdefault(incident_id, []).append(name or "")
    rows = (
        (pk, slug, title, summary, type_slug, place, start.isoformat(), " ".join(names.get(pk, [])))
        for pk, slug, title, summary, type_slug, place, start in Incident.objects.public()
        .values_list("pk", "slug", "title", "summary", "incident_type__slug", "place__name", "start_date")
        .iterator(chunk_size=20_000)
    )
    database.executemany("INSERT INTO incidents VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    database.executescript(
        "CREATE INDEX incidents_type ON incidents(type_slug);"
        "CREATE INDEX incidents_start ON incidents(start_date);"
        "CREATE VIRTUAL TABLE incidents_fts USING fts5(title, summary, names, content=incidents, content_rowid=id);"
        "INSERT INTO incidents_fts(incidents_fts) VALUES ('rebuild');"
    )
    database.commit()
    database.close()


def datasette_times(specs: list[dict], path: Path) -> tuple[dict[str, float], float | None]:
    if not DATASETTE.exists():
        print("Datasette is not installed (make bench installs it into .venv-bench); comparison skipped.")
        return {}, None
    port = 8765
    server = subprocess.Popen(
        [
            str(DATASETTE),
            "serve",
            str(path),
            "--port",
            str(port),
            "--host",
            "127.0.0.1",
            "--setting",
            "sql_time_limit_ms",
            "60000",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/{path.stem}/incidents.json"

    def fetch(url: str) -> float:
        started = time.perf_counter()
        with urllib.request.urlopen(urllib.parse.quote(url, safe=":/?&=_-."), timeout=120) as response:
            response.read()
        return (time.perf_counter() - started) * 1000

    try:
        for _ in range(100):
            try:
                fetch(f"http://127.0.0.1:{port}/-/versions.json")
                break
            except OSError:
                time.sleep(0.2)
        floor = statistics.median([fetch(f"http://127.0.0.1:{port}/-/versions.json") for _ in range(RUNS)])
        results = {}
        for spec in specs:
            if spec["datasette"] is None:
                continue
            url = f"{base}?_size=25&_sort_desc=start_date&{spec['datasette']}"
            for _ in range(WARM_UP):
                fetch(url)
            results[spec["name"]] = round(statistics.median([fetch(url) for _ in range(RUNS)]), 2)
        return results, round(floor, 2)
    finally:
        server.terminate()
        server.wait()


def csv_export(query: str) -> dict:
    """Export the newest 100,000 incidents in a fresh process, to read its peak memory honestly.

    The process first runs one empty export (imports and URL resolving happen once in a server's
    life, not per download); the first byte is then timed to the first row of data, not to the
    header line. Peak memory is the process's own high-water mark (VmHWM): getrusage's maxrss
    would report the parent's size, inherited at fork.
    """
    script = (
        "import resource, sys, time; sys.argv=['x']; import bench.run as b;"
        "from django.test import Client; c=Client();"
        "b''.join(c.get('/incidents/export.csv?q=warmupnothing').streaming_content); t=time.perf_counter();"
        f"r=c.get('/incidents/export.csv{query}'); it=iter(r.streaming_content); first=next(it)\n"
        "while first.count(b'\\n') < 2: first += next(it)\n"
        "fb=(time.perf_counter()-t)*1000; rows=first.count(b'\\n')\n"
        "for chunk in it: rows+=chunk.count(b'\\n')\n"
        "total=time.perf_counter()-t;"
        "hwm=[l for l in open('/proc/self/status') if l.startswith('VmHWM')][0].split()[1];"
        "print(rows-1, int(hwm)/1024, fb, total)"
    )
    output = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    rows, rss, first_byte, total = output.stdout.split()[-4:]
    return {
        "rows": int(rows),
        "peak_rss_mb": round(float(rss), 1),
        "first_byte_ms": round(float(first_byte), 2),
        "total_s": round(float(total), 2),
    }


def server_settings() -> dict:
    if connection.vendor != "postgresql":
        return {}
    names = ["shared_buffers", "work_mem", "effective_cache_size", "random_page_cost", "jit"]
    with connection.cursor() as cursor:
        settings = {}
        for name in names:
            cursor.execute(f"SHOW {name}")
            settings[name] = cursor.fetchone()[0]
    return settings


def write_scaling() -> None:
    """bench/results/scaling.md: each page's p50 and p95 at every size measured, and the growth."""
    reports = sorted(
        (json.loads(path.read_text()) for path in RESULTS.glob("*.json") if path.stem.isdigit()),
        key=lambda report: report["size"],
    )
    if len(reports) < 2:
        return
    sizes = [report["size"] for report in reports]
    header = " | ".join(f"{size:,} p50 / p95" for size in sizes)
    lines = [
        "# How the pages scale",
        "",
        f"p50 / p95 in ms from bench/results/<SIZE>.json; growth is p95 at {sizes[-1]:,} over p95 at {sizes[0]:,}.",
        "",
        f"| page | {header} | growth |",
        "| --- |" + " ---: |" * (len(sizes) + 1),
    ]
    by_size = [{page["name"]: page for page in report["pages"]} for report in reports]
    for name in by_size[-1]:
        cells = []
        for pages in by_size:
            page = pages.get(name)
            cells.append(f"{page['p50_ms']} / {page['p95_ms']}" if page else "–")
        first, last = by_size[0].get(name), by_size[-1][name]
        growth = f"{last['p95_ms'] / first['p95_ms']:.2f}×" if first else "–"
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {growth} |")
    exports = " · ".join(
        f"{report['size']:,}: {export['rows']:,} rows, first row {export['first_byte_ms']} ms,"
        f" {export['peak_rss_mb']} MB"
        for report in reports
        for export in [report["csv_export"]]
    )
    lines += ["", f"CSV export — {exports}."]
    (RESULTS / "scaling.md").write_text("\n".join(lines) + "\n")


def database_name() -> str:
    if connection.vendor == "postgresql":
        version = connection.pg_version
        return f"PostgreSQL {version // 10000}.{version % 10000}"
    return f"SQLite {sqlite3.sqlite_version}"


def page_floor(page: dict, http_floor: float) -> float | None:
    """What every request of the page pays: planning and execution of its queries, and the HTTP floor."""
    if page["raw_sql_ms"] is None:
        return None
    return page.get("planning_ms", 0) + page["raw_sql_ms"] + http_floor


def write_results(size: int, report: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{size}.json").write_text(json.dumps(report, indent=2) + "\n")
    floor = report["http_floor_ms"]
    lines = [
        f"# Benchmark: {size:,} incidents ({report['database']})",
        "",
        f"Server-side times through Django's test client, {RUNS} runs after {WARM_UP} warm-up runs; "
        "each run requests every page once, in turn. "
        f"HTTP floor (a trivial view served the same way): {floor} ms. "
        f"Datasette over loopback HTTP; its own floor: {report.get('datasette_floor_ms')} ms.",
        "",
        "Server settings: "
        + (", ".join(f"{name} {value}" for name, value in report.get("server_settings", {}).items()) or "defaults")
        + ".",
        "",
        "Floor: what every request pays, the planning and execution times of the page's queries "
        "(PostgreSQL's own, from EXPLAIN ANALYZE, summed: the planning ms and DB floor ms columns) "
        f"plus the HTTP floor. Target: every page's p50 within {TARGET}× its floor; the ratio column "
        "is p50 / (planning + DB + HTTP floor). SQL replay: the page's SQL sent again on a plain "
        "cursor, rows read, no ORM or template (p50, measured in turn with the pages): what the "
        "database and the connection cost the page; the rest of p50 is Django's and the project's "
        "Python. Runs made at different machine speeds compare by p50 / HTTP floor "
        "(`bench/compare.py OLD.json NEW.json`).",
        "",
        "| page | p50 ms | p95 ms | max ms | queries | DB floor ms | planning ms | SQL replay ms "
        "| p50 / (planning + DB + HTTP floor) | admin p50 ms | page/admin | Datasette p50 ms | page/Datasette "
        "| plan warnings |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]

    def ratio(a, b):
        return f"{a / b:.2f}" if a is not None and b else "–"

    def shown(value):
        return "–" if value is None else value

    over_target = []
    for page in report["pages"]:
        floors = page_floor(page, floor)
        if floors and page["p50_ms"] > TARGET * floors:
            over_target.append(f"{page['name']} ({ratio(page['p50_ms'], floors)})")
        cells = [
            page["name"],
            page["p50_ms"],
            page["p95_ms"],
            page["max_ms"],
            page["queries"],
            shown(page["raw_sql_ms"]),
            shown(page.get("planning_ms")),
            shown(page.get("sql_replay_ms")),
            ratio(page["p50_ms"], floors),
            shown(page["admin_p50_ms"]),
            ratio(page["p50_ms"], page["admin_p50_ms"]),
            shown(page["datasette_p50_ms"]),
            ratio(page["p50_ms"], page["datasette_p50_ms"]),
            "; ".join(page["plan_warnings"]) or "–",
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    if any(page_floor(page, floor) for page in report["pages"]):
        lines += [
            "",
            f"Over {TARGET}× the floor: {', '.join(over_target)}."
            if over_target
            else f"Every page's p50 is within {TARGET}× its floor.",
        ]
    lines += [
        "",
        "## Where each page's time goes",
        "",
        f"Medians over {BREAKDOWN_RUNS} requests per page, measured after the timed runs with each part "
        "wrapped, each part's own time. Compile: querysets turned into SQL. Driver: psycopg2 sending "
        "the SQL, the server planning and running it, the rows read back. Template: rendering. Other: "
        "model instances, views, middleware and the HTTP floor. No Python: what p50 / (planning + DB + HTTP floor) "
        "would be if the page cost nothing but its SQL replay and the HTTP floor.",
        "",
        "| page | compile ms | driver ms | template ms | other ms "
        "| no Python: (replay + HTTP) / (planning + DB + HTTP) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for page in report["pages"]:
        spent = page.get("time_spent")
        if not spent:
            continue
        floors = page_floor(page, floor)
        replayed = None if page.get("sql_replay_ms") is None else page["sql_replay_ms"] + floor
        cells = [
            page["name"],
            spent["compile_ms"],
            spent["driver_ms"],
            spent["template_ms"],
            spent["other_ms"],
            ratio(replayed, floors),
        ]
        lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
    export = report["csv_export"]
    lines += [
        "",
        f"CSV export ({export['url']}): {export['rows']:,} rows, first row after {export['first_byte_ms']} ms, "
        f"{export['total_s']} s in all, peak memory of the exporting process {export['peak_rss_mb']} MB.",
    ]
    (RESULTS / f"{size}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    write_scaling()


def dataset_mark(size: int) -> str:
    return f"Vigil benchmark dataset: {size} incidents, seed {SEED}, generated completely"


def read_dataset_mark() -> str | None:
    """The comment on the database that says a generation ran to its end (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def write_dataset_mark(size: int) -> None:
    if connection.vendor != "postgresql":
        return
    name = connection.ops.quote_name(connection.settings_dict["NAME"])
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON DATABASE {name} IS %s", [dataset_mark(size)])
    except DatabaseError as error:  # not the database's owner: the count alone will tell next time
        print(f"Could not mark the dataset complete ({error}).")


def ensure_dataset(size: int) -> None:
    """Generate the dataset of `size` incidents unless the database holds it already.

    A kept cluster holds it from an earlier run: the count of generated incidents says which
    size it is, and the database's comment that the generation ran to its end (it sets the
    tables' indexes aside while loading and rebuilds them last, so an interrupted one leaves
    them missing). A database of another size is refused, not topped up.
    """
    generated = Incident.objects.filter(slug__startswith=f"gen{SEED}-").count()
    if generated == 0:
        started = time.monotonic()
        call_command("generate_dataset", incidents=size, seed=SEED)
        write_dataset_mark(size)
        print(f"Generated {size:,} incidents in {time.monotonic() - started:.0f} s.")
    elif generated != size:
        raise SystemExit(
            f"The database holds a generated dataset of {generated:,} incidents, not {size:,}: "
            "use a database (or BENCH_PGDATA folder) for each size."
        )
    elif connection.vendor == "postgresql" and read_dataset_mark() != dataset_mark(size):
        raise SystemExit(
            f"The database holds {generated:,} generated incidents but no mark that their generation ran "
            "to its end (an interrupted generation leaves indexes missing). Start from an empty database "
            "(remove the BENCH_PGDATA folder), or, if it is known to be complete, mark it with: "
            f"COMMENT ON DATABASE {connection.settings_dict['NAME']} IS '{dataset_mark(size)}'"
        )
    else:
        print(f"The database holds the dataset of {size:,} incidents already; not generating it again.")
        if not Case.objects.filter(slug__startswith=f"gen{SEED}-").exists():
            # A dataset generated before cases and custody existed: add them, as generate_dataset now does.
            call_command("generate_custody", seed=SEED)


def main() -> None:
    size = int(os.environ.get("SIZE") or sys.argv[1])
    ensure_dataset(size)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    if os.environ.get("BENCH_ONLY_GENERATE"):
        return
    example = pick_examples()
    client = Client(headers={"accept-language": LANGUAGE})
    admin_client = Client(headers={"accept-language": LANGUAGE})
    admin_user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    admin_client.force_login(admin_user)
    specs = pages(example)
    with override_settings(ROOT_URLCONF="bench.urls"):
        urls = ["/bench-floor/", *(spec["url"] for spec in specs)]
        for url in urls:
            warm_up(client, url)  # first: a first request also fills caches (content types) with queries
        floors = {spec["url"]: database_floor(client, spec["url"]) for spec in specs}
        replays = {url: floor.pop("sql") for url, floor in floors.items()}
        if connection.vendor != "postgresql":
            replays = {}
        timings = measure_in_turn(client, urls, replays)
        http_floor = timings["/bench-floor/"]["p50_ms"]
        breakdowns = {spec["url"]: time_breakdown(client, spec["url"], BREAKDOWN_RUNS) for spec in specs}
        results = []
        for spec in specs:
            timing = timings[spec["url"]]
            floor = floors[spec["url"]]
            admin = None
            if spec["admin"] is not None:
                admin = measure(admin_client, f"/admin/incidents/incident/?{spec['admin']}")["p50_ms"]
            results.append(
                {
                    "name": spec["name"],
                    "url": spec["url"],
                    "runs": RUNS,
                    **timing,
                    **floor,
                    "time_spent": breakdowns[spec["url"]],
                    "admin_p50_ms": admin,
                    "datasette_p50_ms": None,
                }
            )
            print(
                f"{spec['name']:>18}: p50 {timing['p50_ms']} ms, p95 {timing['p95_ms']} ms, {floor['queries']} queries"
            )
    with tempfile.TemporaryDirectory() as folder:
        flat = Path(folder) / "vigil.db"
        flatten_for_datasette(flat)
        datasette, datasette_floor = datasette_times(specs, flat)
    for page in results:
        page["datasette_p50_ms"] = datasette.get(page["name"])
    report = {
        "size": size,
        "database": database_name(),
        "server_settings": server_settings(),
        "language": LANGUAGE,
        "http_floor_ms": http_floor,
        "datasette_floor_ms": datasette_floor,
        "pages": results,
        "csv_export": {"url": f"/incidents/export.csv{example['export_query']}", **csv_export(example["export_query"])},
    }
    write_results(size, report)


if __name__ == "__main__":
    main()
