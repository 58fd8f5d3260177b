"""Region maps drawn on the server: a country's first-level regions shaded by a count, as inline
SVG from the boundaries shipped in places/boundaries (scripts/build_boundaries.py, README there),
so a map shows with JavaScript off and asks nothing of any other site.

Boundaries are found by the regions' ISO 3166-2 codes. A region with a count but no boundary is
returned apart (`CountryMap.unmapped`), for the page to list beside the map.
"""

import json
import math
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

BOUNDARIES = Path(__file__).resolve().parent / "boundaries"
WIDTH = 600
# ColorBrewer's YlGnBu, five classes: sequential, and safe for the common colour-blindnesses.
SHADES = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"]


@dataclass(frozen=True)
class Area:
    """A place with a count, as a map shows it: its code, name, count in words and link."""

    code: str
    label: str
    count: int
    shown: str
    href: str
    latitude: float | None = None
    longitude: float | None = None


@dataclass
class Shape:
    area: Area | None
    code: str
    path: str
    shade: str = ""


@dataclass
class Point:
    area: Area
    x: float
    y: float
    radius: float


@dataclass
class CountryMap:
    name: str
    code: str
    view_box: str
    shapes: list[Shape]
    points: list[Point] = field(default_factory=list)
    unmapped: list[Area] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    @property
    def areas(self) -> list[Area]:
        return sorted([shape.area for shape in self.shapes if shape.area], key=lambda area: area.label.casefold())


@cache
def boundaries(country_code: str) -> dict[str, list]:
    """The regions' rings of a country by ISO 3166-2 code, read once per process; {} when none ship."""
    path = BOUNDARIES / f"{country_code.upper()}.json"
    if not country_code.isalpha() or not path.exists():
        return {}
    return json.loads(path.read_text())["regions"]


class Projection:
    """Longitude and latitude to the map's plane: equirectangular, its scale set by the country's
    middle latitude, fitted to WIDTH; a country across the antimeridian (Chukotka) kept whole."""

    def __init__(self, rings: list[list]):
        points = [point for ring in rings for point in ring]
        longitudes = [longitude for longitude, _latitude in points]
        self.wraps = min(longitudes) < -150 and max(longitudes) > 150
        longitudes = [self.longitude(longitude) for longitude in longitudes]
        latitudes = [latitude for _longitude, latitude in points]
        self.west, self.north = min(longitudes), max(latitudes)
        self.squeeze = math.cos(math.radians((max(latitudes) + min(latitudes)) / 2))
        span = max((max(longitudes) - self.west) * self.squeeze, 1e-6)
        self.scale = WIDTH / span
        self.height = (self.north - min(latitudes)) * self.scale

    def longitude(self, longitude: float) -> float:
        return longitude + 360 if self.wraps and longitude < 0 else longitude

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = (self.longitude(longitude) - self.west) * self.squeeze * self.scale
        return round(x, 1), round((self.north - latitude) * self.scale, 1)


def path_of(rings: list[list], project: Projection) -> str:
    parts = []
    for ring in rings:
        points = [project(longitude, latitude) for longitude, latitude in ring]
        parts.append("M" + "L".join(f"{x:g} {y:g}" for x, y in points) + "Z")
    return "".join(parts)


def shade_of(count: int, highest: int) -> int:
    """Which of the SHADES a count takes: five equal steps up to the highest count."""
    return min(len(SHADES) - 1, max(0, math.ceil(count / highest * len(SHADES)) - 1))


def legend(highest: int) -> list[tuple[str, str]]:
    steps = [math.ceil(highest * (step + 1) / len(SHADES)) for step in range(len(SHADES))]
    entries, low = [], 1
    for shade, high in zip(SHADES, steps, strict=True):
        if high >= low:
            entries.append((shade, f"{low}–{high}" if high > low else f"{low}"))
            low = high + 1
    return entries


@dataclass(frozen=True)
class Outline:
    """A country's regions drawn once: the same for every map of it, whatever the counts."""

    project: Projection
    view_box: str
    paths: dict[str, str]


@cache
def outline(code: str) -> Outline | None:
    """The regions of a country projected to SVG paths, worked out once per process from the
    shipped boundaries, which never change while it runs."""
    regions = boundaries(code)
    if not regions:
        return None
    project = Projection([ring for rings in regions.values() for ring in rings])
    return Outline(
        project=project,
        view_box=f"-4 -4 {WIDTH + 8} {math.ceil(project.height) + 8}",
        paths={region_code: path_of(rings, project) for region_code, rings in sorted(regions.items())},
    )


def country_map(name: str, code: str, areas: list[Area], places: list[Area] = ()) -> CountryMap | None:
    """The map of a country with the counts of its regions (`areas`, by ISO 3166-2 code) and the
    places with coordinates among `places` as points; None when no boundary of it ships."""
    drawn = outline(code)
    if drawn is None:
        return None
    project = drawn.project
    by_code = {area.code: area for area in areas if area.count}
    highest = max((area.count for area in by_code.values()), default=0)
    shapes = [
        Shape(
            area=by_code.get(region_code),
            code=region_code,
            path=path,
            shade=SHADES[shade_of(by_code[region_code].count, highest)] if region_code in by_code else "",
        )
        for region_code, path in drawn.paths.items()
    ]
    points = [
        Point(place, *project(place.longitude, place.latitude), radius=round(3 + 2 * math.log10(place.count), 1))
        for place in places
        if place.latitude is not None and place.longitude is not None and place.count
    ]
    return CountryMap(
        name=name,
        code=code,
        view_box=drawn.view_box,
        shapes=shapes,
        points=points,
        unmapped=sorted((area for area in areas if area.count and area.code not in drawn.paths), key=lambda a: a.label),
        legend=legend(highest) if highest else [],
    )
