#!/usr/bin/env python3
"""Time the public search on many incidents: `bench/search.py [--incidents N]`.

Uses DATABASE_URL when set (for example under `scripts/with_postgres.py --`), otherwise a
temporary SQLite file; never the project's own database. Builds N verified incidents with one
person each (bulk inserts, then one search-text rebuild), then reports the median time of
searches through the test client: the list page with facets, the API and the CSV export.
"""

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "x" * 50)
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='vigil-bench-')}/bench.sqlite3")
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from incidents.models import Incident, IncidentType, Involvement  # noqa: E402
from incidents.search import refresh_search_text  # noqa: E402
from people.models import Person  # noqa: E402
from places.models import Place  # noqa: E402

SEARCHES = [
    ("/incidents/", {}),
    ("/incidents/", {"q": "Амирова"}),
    ("/incidents/", {"q": "detained journalist", "region": "mangghystau-oblysy"}),
    ("/incidents/", {"date_from": "2015-01-01", "date_to": "2015-12-31", "type": "arrest"}),
    ("/api/incidents/", {"q": "journalist"}),
    ("/incidents/export.csv", {"region": "kazakhstan"}),
]


def build(count: int) -> None:
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    if Incident.objects.count() >= count:
        return
    types = list(IncidentType.objects.all())
    places = list(Place.objects.filter(path__startswith=Place.objects.get(iso_code="KZ").path)[:50])
    start = datetime.date(2000, 1, 1)
    people = Person.objects.bulk_create(
        Person(name=f"Journalist {n}", name_normalised=f"journalist {n}", slug=f"bench-person-{n}")
        for n in range(count)
    )
    incidents = Incident.objects.bulk_create(
        Incident(
            title=f"Journalist detained, case {n}",
            slug=f"bench-incident-{n}",
            incident_type=types[n % len(types)],
            start_date=start + datetime.timedelta(days=n % 9000),
            period_start=start + datetime.timedelta(days=n % 9000),
            period_end=start + datetime.timedelta(days=n % 9000),
            place=places[n % len(places)],
            status=Incident.Status.VERIFIED,
        )
        for n in range(count)
    )
    Involvement.objects.bulk_create(
        Involvement(incident=incident, person=person, role="victim")
        for incident, person in zip(incidents, people, strict=True)
    )
    refresh_search_text(Incident.objects.all())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    began = time.perf_counter()
    build(args.incidents)
    print(f"{Incident.objects.count()} incidents ready in {time.perf_counter() - began:.1f} s")
    client = Client()
    for path, params in SEARCHES:
        timings = []
        for _ in range(args.repeat):
            began = time.perf_counter()
            response = client.get(path, params)
            if response.streaming:
                b"".join(response.streaming_content)
            timings.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, params, response.status_code)
        print(f"{statistics.median(timings) * 1000:8.1f} ms  {path} {params}")


if __name__ == "__main__":
    main()
