#!/usr/bin/env python3
"""Time the possible-duplicates lookup of the person form on the people of a database:
`bench/duplicates.py` with DATABASE_URL set (the dataset of `make bench-data`).

For names taken from the dataset, each written three ways (as stored, with a letter changed, with
its words swapped), it times what the person form does when a name is typed: the candidates
(`PersonForm.find_duplicates`) and what tells each apart (`PersonForm.describe`). Prints the
median and p95 and writes bench/results/duplicates-<people>.{json,md}.
"""

import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("SECRET_KEY", "bench-only-key-" + "d" * 50)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
if not os.environ.get("DATABASE_URL"):
    sys.exit("Set DATABASE_URL to the database of a generated dataset (make bench-data).")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from people.forms import PersonForm  # noqa: E402
from people.models import Person  # noqa: E402

NAMES = 40
RUNS = 5
TARGET_MS = 200
RESULTS = Path(__file__).resolve().parent / "results"


def respelled(name: str, rng: random.Random) -> str:
    """The name with one letter of its longest word changed, as a second source might spell it."""
    words = name.split()
    longest = max(range(len(words)), key=lambda index: len(words[index]))
    word = words[longest]
    position = rng.randrange(1, len(word))
    words[longest] = word[:position] + rng.choice("aeiouy") + word[position + 1 :]
    return " ".join(words)


def typed_names() -> list[str]:
    rng = random.Random(20)
    count = Person.objects.count()
    picked = Person.objects.order_by("pk").values_list("name", flat=True)[: count : max(count // NAMES, 1)]
    names = []
    for name in list(picked)[:NAMES]:
        names += [name, respelled(name, rng), " ".join(reversed(name.split()))]
    return names


def lookup(form: PersonForm, name: str) -> int:
    candidates = form.find_duplicates(name)
    for candidate in candidates:
        form.describe(candidate.record)
    return len(candidates)


def main() -> None:
    people = Person.objects.count()
    names = typed_names()
    form = PersonForm()
    for name in names[:5]:
        lookup(form, name)
    times, flagged = [], 0
    for _ in range(RUNS):
        for name in names:
            started = time.perf_counter()
            flagged += bool(lookup(form, name))
            times.append((time.perf_counter() - started) * 1000)
    times.sort()
    report = {
        "people": people,
        "database": f"{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}".strip(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "names_typed": len(names),
        "lookups": len(times),
        "p50_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(len(times) * 0.95) - 1], 2),
        "max_ms": round(times[-1], 2),
        "share_with_candidates": round(flagged / len(times), 3),
        "target_ms": TARGET_MS,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"duplicates-{people}.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / f"duplicates-{people}.md").write_text(
        f"# Possible duplicates of a person being entered, among {people:,} people ({report['database']})\n\n"
        f"{report['machine']}. {len(names)} names typed (as stored, with a letter changed, with the words "
        f"swapped), {RUNS} times each: the candidates and what tells each apart, as the person form reads them.\n\n"
        "| p50 ms | p95 ms | max ms | lookups with candidates | target p95 ms |\n| ---: | ---: | ---: | ---: | ---: |\n"
        f"| {report['p50_ms']} | {report['p95_ms']} | {report['max_ms']} | "
        f"{report['share_with_candidates']:.0%} | {TARGET_MS} |\n"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
