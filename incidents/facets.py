"""Counts beside the search results, each one a narrower search.

Up to core.counting.EXACT_COUNT_LIMIT results, every count is taken over the filtered result set
itself, so a facet shows exactly how many results its link will give. Larger result sets are
counted on the estimation sample (`Incident.sample_bucket`) and scaled up, shown as "about": no
facet ever aggregates more than about a hundredth of the table. A dimension that is already
filtered (type, charge) shows only the current choice; regions go one level down the place
hierarchy; years are clipped to the current date range so that a year link never widens the search.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Count
from django.db.models.functions import ExtractYear

from core.counting import ResultSize, rounded
from places.models import Place

from .models import SAMPLE_SHARE, Charge, IncidentType, LegalProvision

MAX_YEARS = 150
FACET_LENGTH = 10


@dataclass(frozen=True)
class Bucket:
    label: str
    count: int
    slug: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    exact: bool = True

    def __str__(self) -> str:
        return f"{self.count:,}" if self.exact else f"about {rounded(self.count):,}"


@dataclass
class Counted:
    """The incidents a facet counts, and what each of them stands for: 1, or SAMPLE_SHARE in a sample."""

    incidents: object
    scale: int = 1

    def bucket(self, label: str, count: int, **where) -> Bucket:
        return Bucket(label, count * self.scale, exact=self.scale == 1, **where)

    @cached_property
    def groups(self) -> list[tuple[str, int, int, int, int]]:
        """(place path, type, first year, last year, how many): one query feeds the region, type and
        year facets, so the search is evaluated once for the three of them."""
        return list(
            self.incidents.order_by()
            .annotate(first_year=ExtractYear("period_start"), last_year=ExtractYear("period_end"))
            .values_list("place_path", "incident_type", "first_year", "last_year")
            .annotate(count=Count("pk"))
        )


def counted(incidents, size: ResultSize) -> Counted:
    return Counted(incidents) if size.exact else Counted(incidents.in_sample(), SAMPLE_SHARE)


def top(buckets: list[Bucket], limit: int | None) -> list[Bucket]:
    return sorted(buckets, key=lambda bucket: (-bucket.count, bucket.label))[:limit]


def path_ids(place: Place) -> list[str]:
    return [part for part in place.path.split("/") if part]


def region_buckets(counted: Counted, region: Place | None, limit: int | None = None) -> list[Bucket]:
    """One level below the current region (or the countries), each with what lies inside it."""
    depth = len(path_ids(region)) if region else 0
    counts: Counter[int] = Counter()
    for path, _type, _first, _last, count in counted.groups:
        ids = [part for part in (path or "").split("/") if part]
        if len(ids) > depth:
            counts[int(ids[depth])] += count
    places = Place.objects.in_bulk(list(counts))
    buckets = [counted.bucket(places[pk].name, count, slug=places[pk].slug) for pk, count in counts.items()]
    return top(buckets, limit)


def type_buckets(counted: Counted) -> list[Bucket]:
    counts: Counter[int] = Counter()
    for _path, type_id, _first, _last, count in counted.groups:
        counts[type_id] += count
    types = IncidentType.objects.in_bulk(list(counts))
    buckets = [counted.bucket(types[pk].name, count, slug=types[pk].slug) for pk, count in counts.items()]
    return top(buckets, FACET_LENGTH)


def charge_buckets(counted: Counted) -> list[Bucket]:
    rows = (
        Charge.objects.public()
        .filter(incident__in=counted.incidents.order_by().values("pk"))
        .order_by()
        .values_list("provision")
        .annotate(count=Count("incident", distinct=True))
        .order_by("-count", "provision")[:FACET_LENGTH]
    )
    counts = dict(rows)
    provisions = LegalProvision.objects.select_related("jurisdiction").in_bulk(list(counts))
    buckets = [
        counted.bucket(provisions[pk].reference, count, slug=provisions[pk].slug) for pk, count in counts.items()
    ]
    return top(buckets, FACET_LENGTH)


def year_buckets(
    counted: Counted, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[Bucket]:
    """The years in which results begin, newest first, each counted the way the date filter matches.

    A count includes every result whose period overlaps the year (an ongoing strike counts in
    each year it lasts), so that following the link gives exactly that many results. Only years
    in which some result begins are listed, or an old ongoing case would list every year since.

    Counting by years is exact even for a year clipped to the date range: every result already
    overlaps the range, and for intervals on a line, a result that overlaps the year and the
    range also overlaps their intersection.
    """
    years = {first for _path, _type, first, _last, _count in counted.groups}
    if date_from:
        years = {year for year in years if year >= date_from.year} | {date_from.year}
    if date_to:
        years = {year for year in years if year <= date_to.year}
    ranges = {}
    for year in sorted(years, reverse=True)[:MAX_YEARS]:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        ranges[year] = (max(start, date_from) if date_from else start, min(end, date_to) if date_to else end)
    counts: Counter[int] = Counter()
    for _path, _type, first, last, count in counted.groups:
        for year in ranges:
            if first <= year <= last:
                counts[year] += count
    return [
        counted.bucket(str(year), counts[year], date_from=start, date_to=end)
        for year, (start, end) in ranges.items()
        if counts[year]
    ]


def facets_for(incidents, cleaned: dict, size: ResultSize) -> dict[str, list[Bucket]]:
    """The four facets of a valid search; `cleaned` is the FilterSet form's cleaned data."""
    scope = counted(incidents, size)
    return {
        "region": region_buckets(scope, cleaned.get("region"), FACET_LENGTH),
        "type": [] if cleaned.get("type") else type_buckets(scope),
        "charge": [] if cleaned.get("charge") else charge_buckets(scope),
        "year": year_buckets(scope, cleaned.get("date_from"), cleaned.get("date_to")),
    }
