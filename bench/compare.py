"""Compare two benchmark runs by their HTTP floors: `compare.py OLD.json NEW.json`.

The machine's speed changes from one run to the next, and the HTTP floor (a trivial Django
view, measured in the same run) moves with it. So each page's p50 is taken in units of its
run's HTTP floor (p50 / http_floor_ms), and the new run's figure is set against the old one's.
A page more than 10% slower by that measure is flagged. Only a report: the exit status is 0.

    git show ec6fee2:bench/results/1000000.json > /tmp/run-n.json
    .venv/bin/python bench/compare.py /tmp/run-n.json bench/results/1000000.json
"""

import json
import sys
from pathlib import Path

SLOWER = 1.10  # flag a page whose scaled p50 grew by more than this factor


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: compare.py OLD.json NEW.json", file=sys.stderr)
        return 2
    old, new = (json.loads(Path(path).read_text()) for path in argv[1:])
    old_floor, new_floor = old["http_floor_ms"], new["http_floor_ms"]
    print(f"old: {argv[1]}, {old['size']:,} incidents, HTTP floor {old_floor} ms")
    print(f"new: {argv[2]}, {new['size']:,} incidents, HTTP floor {new_floor} ms")
    print(f"HTTP floor new/old: {new_floor / old_floor:.2f}")
    if old["size"] != new["size"]:
        print("Note: the runs are of different sizes.")
    print(f"Scaled: p50 / HTTP floor of its run. Flagged: new/old above {SLOWER:.2f}.")
    print()
    old_pages = {page["name"]: page for page in old["pages"]}
    header = f"{'page':<20} {'old p50':>9} {'old scaled':>10} {'new p50':>9} {'new scaled':>10} {'new/old':>8}"
    print(header)
    print("-" * len(header))
    slower = []
    for page in new["pages"]:
        before = old_pages.get(page["name"])
        if before is None:
            continue
        old_scaled = before["p50_ms"] / old_floor
        new_scaled = page["p50_ms"] / new_floor
        change = new_scaled / old_scaled
        flag = "  slower" if change > SLOWER else ""
        if flag:
            slower.append(page["name"])
        print(
            f"{page['name']:<20} {before['p50_ms']:>9.2f} {old_scaled:>10.1f}"
            f" {page['p50_ms']:>9.2f} {new_scaled:>10.1f} {change:>8.2f}{flag}"
        )
    only = sorted(set(old_pages) ^ {page["name"] for page in new["pages"]})
    if only:
        print(f"\nIn one run only (not compared): {', '.join(only)}")
    threshold = round((SLOWER - 1) * 100)
    print()
    if slower:
        print(f"{len(slower)} page(s) more than {threshold}% slower: {', '.join(slower)}")
    else:
        print(f"No page more than {threshold}% slower.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
