"""Counts beside the search results, each one a narrower search.

Up to core.counting.EXACT_COUNT_LIMIT results, every count is taken over the filtered result set
itself, so a facet shows exactly how many results its link will give. Larger result sets are
counted on the estimation sample (`Incident.sample_bucket`) and scaled up, shown as "about": no
facet ever aggregates more than about a hundredth of the table. A dimension that is already
filtered (type, charge) shows only the current choice; regions go one level down the place
hierarchy below each chosen region; years are clipped to the current date range so that a year
link never widens the search.
"""

import calendar
import datetime
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter

from django.db import connections
from django.db.models import Count, IntegerField
from django.db.models.functions import Cast, ExtractMonth, ExtractYear
from django.utils import timezone

from core import counting
from core.counting import estimated, grouped
from core.dates import DatePrecision, format_date
from places.models import Place

from .models import Charge, IncidentType, LegalProvision
from .querysets import SAMPLE_SHARE

MAX_YEARS = 150
MAX_MONTHS = MAX_YEARS * 12
# A search whose results span up to this many months is charted by month, a longer one by year.
MONTHS_CHARTED = 36
# The most years the time axis names, so that they fit a phone's width; every bar is named in its
# title and in the table.
AXIS_LABELS = 6
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
        return grouped(self.count) if self.exact else estimated(self.count)


def month_number(field: str):
    """The month of a date as one integer, year × 12 + month − 1: months compare and count as numbers."""
    return Cast(ExtractYear(field), IntegerField()) * 12 + Cast(ExtractMonth(field), IntegerField()) - 1


def incident_facet_rows(incidents):
    """(place path, type, first month, last month) of each incident, the months as `month_number`s."""
    return incidents.order_by().annotate(
        first_month=month_number("period_start"), last_month=month_number("period_end")
    )


def fetch(query) -> list[tuple]:
    """The rows of a values_list() query as plain tuples, without Django's per-value converters:
    for thousands of small rows these cost more than the query itself."""
    with connections[query.db].cursor() as cursor:
        cursor.execute(*query.query.sql_with_params())
        return cursor.fetchall()


class FacetRows:
    """(id, place path, type, first month, last month) of some incidents, read once per page.

    The rows feed the four facets, the region, type and year ones tallied in Python, the charge
    one narrowed to their ids; and their number is a size. The filter is evaluated once for the
    size and the facets.
    """

    limit: int | None = None

    def __init__(self, incidents):
        self.incidents = incidents

    @cached_property
    def rows(self) -> list[tuple[int, str, int, int, int]]:
        query = incident_facet_rows(self.incidents).values_list(
            "pk", "place_path", "incident_type", "first_month", "last_month"
        )
        return fetch(query[: self.limit] if self.limit else query)

    @property
    def ids(self) -> list[int]:
        return [row[0] for row in self.rows]


class SampleOf(FacetRows):
    """The sample incidents of a search (a queryset already narrowed to the sample).

    Their number estimates the size of the search.
    """

    @property
    def estimate(self) -> int:
        return len(self.rows) * SAMPLE_SHARE


class FirstRowsOf(FacetRows):
    """A result set read up to one row past the exact limit, for a search the sample puts near it.

    When the rows fit, their number is the exact count and they are the facets' rows: the search
    is read once to count it, group it and narrow the charge facet.
    """

    @property
    def limit(self) -> int:
        return counting.EXACT_COUNT_LIMIT + 1

    @property
    def count(self) -> int:
        return len(self.rows)


@dataclass
class Counted:
    """The incidents a facet counts, and what each of them stands for: 1, or SAMPLE_SHARE in a sample."""

    incidents: object
    scale: int = 1
    rows: FacetRows | None = None

    def bucket(self, label: str, count: int, **where) -> Bucket:
        return Bucket(label, count * self.scale, exact=self.scale == 1, **where)

    @cached_property
    def tallies(self) -> "Tallies":
        """The counts behind the region, type and time facets, from one query (or from the rows
        already read), so the search is evaluated once for all of them."""
        if self.rows is not None:
            rows = self.rows.rows
            by_path, by_type, by_months = (Counter(map(itemgetter(*columns), rows)) for columns in ([1], [2], [3, 4]))
            return Tallies(by_path, by_type, by_months)
        groups = fetch(
            incident_facet_rows(self.incidents)
            .values_list("place_path", "incident_type", "first_month", "last_month")
            .annotate(count=Count("pk"))
        )
        tallies = Tallies(Counter(), Counter(), Counter())
        for path, type_id, first_month, last_month, count in groups:
            tallies.by_path[path or ""] += count
            tallies.by_type[type_id] += count
            tallies.by_months[first_month, last_month] += count
        return tallies


@dataclass(frozen=True)
class Tallies:
    by_path: Counter[str]
    by_type: Counter[int]
    # (first month, last month) of the incidents' periods, as `month_number`s.
    by_months: Counter[tuple[int, int]]

    @cached_property
    def by_years(self) -> Counter[tuple[int, int]]:
        years: Counter[tuple[int, int]] = Counter()
        for (first, last), count in self.by_months.items():
            years[first // 12, last // 12] += count
        return years


def top(buckets: list[Bucket], limit: int | None) -> list[Bucket]:
    return sorted(buckets, key=lambda bucket: (-bucket.count, bucket.label))[:limit]


def path_ids(path: str) -> list[int]:
    """The ids of a place path, from the country down: "/12/345/" gives [12, 345]."""
    return [int(part) for part in path.split("/") if part]


def region_buckets(counted: Counted, regions: Sequence[Place] = (), limit: int | None = None) -> list[Bucket]:
    """The places one level below each chosen region (or the countries, when none is chosen), each
    with the results inside it: a bucket's link, the search in that place alone, gives its count."""
    levels = [(region.path, len(path_ids(region.path))) for region in regions] or [("", 0)]
    counts: Counter[int] = Counter()
    for path, count in counted.tallies.by_path.items():
        ids = path_ids(path)
        for region_path, depth in levels:
            if path.startswith(region_path) and len(ids) > depth:
                counts[ids[depth]] += count
    places = Place.objects.in_bulk(list(counts))
    buckets = [counted.bucket(places[pk].label, count, slug=places[pk].slug) for pk, count in counts.items()]
    return top(buckets, limit)


@dataclass(frozen=True)
class CountryBuckets:
    country_id: int
    country: Bucket
    regions: list[Bucket]


def region_tree(counted: Counted) -> list[CountryBuckets]:
    """The countries with results and, under each, the places one level down (first-level regions,
    or towns entered directly under the country), each with the results inside it; by name."""
    countries: Counter[int] = Counter()
    regions: dict[int, Counter[int]] = {}
    for path, count in counted.tallies.by_path.items():
        ids = path_ids(path)
        if ids:
            countries[ids[0]] += count
        if len(ids) > 1:
            regions.setdefault(ids[0], Counter())[ids[1]] += count
    places = Place.objects.in_bulk([*countries, *(pk for inside in regions.values() for pk in inside)])

    def bucket(pk: int, count: int) -> Bucket:
        return counted.bucket(places[pk].label, count, slug=places[pk].slug)

    tree = [
        CountryBuckets(
            country,
            bucket(country, count),
            sorted((bucket(pk, n) for pk, n in regions.get(country, Counter()).items()), key=by_label),
        )
        for country, count in countries.items()
    ]
    return sorted(tree, key=lambda entry: by_label(entry.country))


def by_label(bucket: Bucket) -> str:
    return bucket.label.casefold()


def type_buckets(counted: Counted, incident_types: list[IncidentType] | None = None) -> list[Bucket]:
    """`incident_types`: all of them, when the page has read them already (for its search form)."""
    counts = counted.tallies.by_type
    if incident_types is None:
        types = IncidentType.objects.in_bulk(list(counts))
    else:
        types = {incident_type.pk: incident_type for incident_type in incident_types}
    buckets = [counted.bucket(types[pk].label, count, slug=types[pk].slug) for pk, count in counts.items()]
    return top(buckets, FACET_LENGTH)


def charge_buckets(counted: Counted) -> list[Bucket]:
    """The provisions most charged in the results. An exact result set already read is narrowed
    to its ids; a sample is read through the sample charges' own index (`charge_sample`)."""
    if counted.scale != 1:
        charges = Charge.objects.public_within(counted.incidents).in_sample()
    elif counted.rows is not None:
        charges = Charge.objects.public_of_incident_ids(counted.rows.ids)
    else:
        charges = Charge.objects.public_within(counted.incidents)
    rows = (
        charges.order_by()
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
    """Every year the results cover, newest first, each with the results whose period overlaps it.

    That is how the date filter matches, so following a year's link gives exactly that many
    results: an incident that lasted several years counts in each of them, and an ongoing strike
    in each year from its start to this one (its period has no end, and later years are not
    listed). Years outside the date range are left out.

    Counting by years is exact even for a year clipped to the date range: every result already
    overlaps the range, and for intervals on a line, a result that overlaps the year and the
    range also overlaps their intersection.
    """
    this_year = timezone.localdate().year
    counts: Counter[int] = Counter()
    for (first, last), count in counted.tallies.by_years.items():
        end = min(last, max(first, this_year), date_to.year if date_to else last)
        # Only the newest MAX_YEARS years are listed; a span never adds more than that many.
        start = max(first, date_from.year if date_from else first, end - MAX_YEARS + 1)
        for year in range(start, end + 1):
            counts[year] += count
    buckets = []
    for year in sorted(counts, reverse=True)[:MAX_YEARS]:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start, end = max(start, date_from) if date_from else start, min(end, date_to) if date_to else end
        buckets.append(counted.bucket(str(year), counts[year], date_from=start, date_to=end))
    return buckets


def month_buckets(
    counted: Counted, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> list[Bucket]:
    """Every month the results cover, oldest first, each with the results whose period overlaps
    it, months without any included: `year_buckets` by the month, for a search of a few years."""
    today = timezone.localdate()
    this_month = today.year * 12 + today.month - 1
    first_allowed = date_from.year * 12 + date_from.month - 1 if date_from else None
    last_allowed = date_to.year * 12 + date_to.month - 1 if date_to else None
    counts: Counter[int] = Counter()
    for (first, last), count in counted.tallies.by_months.items():
        end = min(last, max(first, this_month), last_allowed if last_allowed is not None else last)
        start = max(first, first_allowed if first_allowed is not None else first, end - MAX_MONTHS + 1)
        for month in range(start, end + 1):
            counts[month] += count
    if not counts:
        return []
    buckets = []
    for month in range(min(counts), max(counts) + 1):
        start = datetime.date(month // 12, month % 12 + 1, 1)
        end = datetime.date(start.year, start.month, calendar.monthrange(start.year, start.month)[1])
        start, end = max(start, date_from) if date_from else start, min(end, date_to) if date_to else end
        label = format_date(start, DatePrecision.MONTH)
        buckets.append(counted.bucket(label, counts[month], date_from=start, date_to=end))
    return buckets


@dataclass(frozen=True)
class ChartBar:
    bucket: Bucket
    # Out of 100: the share of the tallest bar, for bars drawn in SVG without styles.
    height: int
    # Whether the axis names it: a label under every bar would overlap on a phone.
    labelled: bool

    @property
    def top(self) -> int:
        return 100 - self.height


@dataclass(frozen=True)
class Timeline:
    """The results over time, by month for a span of up to MONTHS_CHARTED months, else by year."""

    by_month: bool
    bars: list[ChartBar]

    @property
    def tallest(self) -> Bucket:
        return max((bar.bucket for bar in self.bars), key=lambda bucket: bucket.count)


def timeline(counted: Counted, years: list[Bucket], date_from=None, date_to=None) -> Timeline | None:
    """`years`: the year facet (newest first), from which the span is read."""
    if not years:
        return None
    by_month = int(years[0].label) - int(years[-1].label) < MONTHS_CHARTED // 12
    if by_month:
        buckets = month_buckets(counted, date_from, date_to)
    else:
        present = {int(bucket.label): bucket for bucket in years}
        buckets = [
            present.get(year)
            or counted.bucket(str(year), 0, date_from=datetime.date(year, 1, 1), date_to=datetime.date(year, 12, 31))
            for year in range(min(present), max(present) + 1)
        ]
    highest = max(bucket.count for bucket in buckets) or 1
    every = -(-len(buckets) // AXIS_LABELS)

    def labelled(index: int, bucket: Bucket) -> bool:
        if by_month:  # the year, under its first month
            return index == 0 or bucket.date_from.month == 1
        return index % every == 0

    bars = [
        ChartBar(bucket, round(100 * bucket.count / highest), labelled(index, bucket))
        for index, bucket in enumerate(buckets)
    ]
    return Timeline(by_month, bars)


def bars(buckets: list[Bucket]) -> list[ChartBar]:
    """A facet's buckets as horizontal bars, each out of the largest."""
    highest = max((bucket.count for bucket in buckets), default=0) or 1
    return [ChartBar(bucket, round(100 * bucket.count / highest), True) for bucket in buckets]


def facets_for(
    counted: Counted, cleaned: dict, incident_types: list[IncidentType] | None = None
) -> dict[str, list[Bucket]]:
    """The four facets of a valid search, and its timeline; `cleaned` is the FilterSet form's
    cleaned data."""
    date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
    years = year_buckets(counted, date_from, date_to)
    facets = {
        "region": region_buckets(counted, cleaned.get("region") or [], FACET_LENGTH),
        "type": [] if cleaned.get("type") else type_buckets(counted, incident_types),
        "charge": [] if cleaned.get("charge") else charge_buckets(counted),
        "year": years,
    }
    return {
        **facets,
        "bars": {name: bars(facets[name]) for name in ("region", "type", "charge")},
        "timeline": timeline(counted, years, date_from, date_to),
    }


def place_counts(counted: Counted) -> Counter[int]:
    """Every place with results inside it, by id, and how many: an incident counts in its own
    place and in each place around it."""
    counts: Counter[int] = Counter()
    for path, count in counted.tallies.by_path.items():
        for pk in path_ids(path):
            counts[pk] += count * counted.scale
    return counts
