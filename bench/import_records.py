#!/usr/bin/env python3
"""Time `manage.py import_records` on a file of ROWS incidents: the dry run, the import, and the
same file imported again (every row unchanged). `make bench-import`, on a PostgreSQL database of
its own (or DATABASE_URL): migrated, with the demo case and a pool of people, organisations and
sources for the rows to name (as a group's spreadsheet names the people it follows).

Prints the figures and writes bench/results/import-<rows>.{json,md}.
"""

import datetime
import io
import json
import os
import platform
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "i" * 50)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to a PostgreSQL database (make bench-import starts one).")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group, User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from core.text import normalise_name  # noqa: E402
from incidents.models import Incident, IncidentType, LegalProvision  # noqa: E402
from organisations.models import Organisation  # noqa: E402
from people.models import Person  # noqa: E402
from sources.models import Source  # noqa: E402

ROWS = int(os.environ.get("ROWS", "50000"))
PEOPLE, ORGANISATIONS, SOURCES = 5000, 500, 1000
TARGETS_S = {"dry_run": 120, "import": 300}
RESULTS = Path(__file__).resolve().parent / "results"
PLACES = ["Aktau", "Zhanaozen", "Almaty", "Astana", "Aktau International Airport", "Shymkent"]
HEADER = "title,type,start_date,place,summary,actors_by_role,people,organisations,charges,cited_sources\n"


def pools() -> tuple[list[str], list[str], list[str]]:
    """People, organisations and sources for the rows to name, created in bulk once."""
    people = [f"Bench Person {number} Nurlanovich" for number in range(PEOPLE)]
    organisations = [f"Bench Organisation {number}" for number in range(ORGANISATIONS)]
    sources = [f"Bench report {number}" for number in range(SOURCES)]
    if not Person.objects.filter(name=people[0]).exists():
        Person.objects.bulk_create(
            Person(name=name, name_normalised=normalise_name(name), slug=f"bench-person-{number}")
            for number, name in enumerate(people)
        )
        Organisation.objects.bulk_create(
            Organisation(name=name, name_normalised=normalise_name(name), kind="ngo", slug=f"bench-org-{number}")
            for number, name in enumerate(organisations)
        )
        Source.objects.bulk_create(Source(title=title) for title in sources)
    return people, organisations, sources


def bench_file(folder: Path) -> Path:
    rng = random.Random(21)
    people, organisations, sources = pools()
    types = list(IncidentType.objects.values_list("slug", flat=True))
    provisions = list(LegalProvision.objects.values_list("slug", flat=True))
    output = io.StringIO()
    output.write(HEADER)
    for number in range(ROWS):
        person, organisation = rng.choice(people), rng.choice(organisations)
        day = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(7300))
        charges = f"{person}: {rng.choice(provisions)} (charged)" if number % 3 == 0 else ""
        output.write(
            f"Bench incident {number},{rng.choice(types)},{day.isoformat()},{rng.choice(PLACES)},"
            f'"Detained after a picket; released {rng.randrange(1, 30)} days later.",'
            f'"victim: {person}; perpetrator: {organisation}",{person},{organisation},{charges},{rng.choice(sources)}\n'
        )
    path = folder / f"bench-{ROWS}.csv"
    path.write_text(output.getvalue())
    return path


def timed(*arguments: str) -> tuple[float, str]:
    output = io.StringIO()
    started = time.perf_counter()
    call_command("import_records", *arguments, stdout=output, stderr=io.StringIO())
    lines = output.getvalue().strip().splitlines()
    return time.perf_counter() - started, " ".join(lines[-2:] if "0 with errors" in lines[-2] else lines[:5])


def main() -> None:
    call_command("load_demo", verbosity=0)
    user = User.objects.create_user(f"bench-importer-{int(time.time())}", is_staff=True)
    user.groups.add(Group.objects.get(name="Researcher"))
    with tempfile.TemporaryDirectory() as folder:
        path = bench_file(Path(folder))
        size = path.stat().st_size
        before = Incident.objects.count()
        dry, dry_said = timed(str(path), "--user", user.username, "--dry-run")
        if " 0 with errors" not in dry_said:
            sys.exit(f"The bench file has errors: {dry_said}")
        full, full_said = timed(str(path), "--user", user.username)
        again, again_said = timed(str(path), "--user", user.username, "--dry-run")
    created = Incident.objects.count() - before
    report = {
        "rows": ROWS,
        "file_megabytes": round(size / 2**20, 1),
        "database": f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}".strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "dry_run_s": round(dry, 1),
        "import_s": round(full, 1),
        "second_dry_run_s": round(again, 1),
        "incidents_created": created,
        "said": {"dry_run": dry_said, "import": full_said, "second_dry_run": again_said},
        "targets_s": TARGETS_S,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"import-{ROWS}.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / f"import-{ROWS}.md").write_text(
        f"# Importing {ROWS:,} incidents ({report['database']})\n\n"
        f"{report['machine']}. A CSV of {report['file_megabytes']} MB: each row an incident with a victim and a "
        f"perpetrator named among {PEOPLE:,} people and {ORGANISATIONS:,} organisations, a place, a source, and "
        "a charge in one row of three. Times of `manage.py import_records`, one run each.\n\n"
        "| step | seconds | target |\n| --- | ---: | ---: |\n"
        f"| dry run | {report['dry_run_s']} | {TARGETS_S['dry_run']} |\n"
        f"| import | {report['import_s']} | {TARGETS_S['import']} |\n"
        f"| the same file again, dry run (every row unchanged) | {report['second_dry_run_s']} | |\n\n"
        f"Created {created:,} incidents. The second run said: {again_said}\n"
    )
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
