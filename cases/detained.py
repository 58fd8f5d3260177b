"""Who is held on a day, one row per person, longest held first: what /detained/, its CSV and
/api/detained/ list.

The periods that cover the day come from the search (`cases.filters.DetainedFilter`, on
`CustodyPeriodQuerySet.held_on`). A person held that day is counted from the start of their
unbroken custody, kept on each period (`cases.publication`). The people held on a day number
thousands at most: a short read of a few columns finds and orders them, and only the rows of the
page shown are read in full (`detail`).
"""

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from core.dates import DatePrecision, format_date
from core.lookups import AnyOf
from incidents.models import Charge
from organisations.models import Membership, Organisation
from places.models import Place

from .filters import Status
from .models import CustodyPeriod


@dataclass
class Detainee:
    """A person held on the day: the period that covers it, and the one their custody began with."""

    person_id: int
    period_id: int
    since_id: int
    since: datetime.date
    status_unknown: bool
    day: datetime.date
    # The rows shown, read by `detail`:
    period: CustodyPeriod | None = None
    since_period: CustodyPeriod | None = None
    charges: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    country: Place | None = None
    region: Place | None = None

    @property
    def name(self) -> str:
        return self.period.person.name

    @property
    def days(self) -> int:
        """Days in custody up to the day, both counted: arrested on the 6th, two days on the 7th.
        From the first day the start may have been when it is known to the month or year."""
        return (self.day - self.since).days + 1

    @property
    def since_is_exact(self) -> bool:
        return self.since_period is not None and self.since_period.start_precision == "day"

    @property
    def articles(self) -> list:
        """The provisions charged, each once, in the order of the charges."""
        return list(dict.fromkeys(charge.provision for charge in self.charges))


class Detainees(Sequence):
    """The people held, longest held first, made into `Detainee`s only for the rows asked for (a
    page, a chunk of the CSV): the thousands made on every request kept the garbage collector
    busy for as long as the page took to read."""

    def __init__(self, rows: list[tuple], day: datetime.date):
        self.rows = rows
        self.day = day

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.detainee(row) for row in self.rows[index]]
        return self.detainee(self.rows[index])

    def detainee(self, row: tuple) -> Detainee:
        since, person_id, pk, since_id, unknown = row
        return Detainee(person_id, pk, since_id, since, unknown, self.day)


class HeldOnDay:
    """Everyone the search finds held on its day, split into the confirmed and the status unknown."""

    def __init__(self, filterset):
        self.day = filterset.day
        self.status = filterset.listed_status
        self.periods = filterset.qs

    @cached_property
    def by_status(self) -> dict[str, "Detainees"]:
        covering = self.periods.order_by().values_list(
            "person_id", "period_start", "pk", "status_unknown", "custody_since", "custody_since_period"
        )
        # One period per person: a confirmed one before one whose news is old, then the latest to start.
        chosen: dict[int, tuple] = {}
        for person_id, start, pk, unknown, since, since_id in covering:
            row = chosen.get(person_id)
            if row is None or (not unknown, start, pk) > (not row[3], row[1], row[2]):
                chosen[person_id] = (person_id, start, pk, unknown, since, since_id)
        listed: dict[str, list[tuple]] = {Status.HELD: [], Status.UNKNOWN: []}
        for person_id, _start, pk, unknown, since, since_id in chosen.values():
            listed[Status.UNKNOWN if unknown else Status.HELD].append((since, person_id, pk, since_id, unknown))
        for rows in listed.values():
            rows.sort()
        return {status: Detainees(rows, self.day) for status, rows in listed.items()}

    @property
    def is_today(self) -> bool:
        return self.day == timezone.localdate()

    @property
    def day_display(self) -> str:
        return format_date(self.day, DatePrecision.DAY)

    @property
    def rows(self) -> Detainees:
        return self.by_status[self.status]

    @property
    def held_count(self) -> int:
        return len(self.by_status[Status.HELD])

    @property
    def unknown_count(self) -> int:
        return len(self.by_status[Status.UNKNOWN])


def detail(rows: list[Detainee]) -> list[Detainee]:
    """Read what the rows show, in four queries whatever their number: the periods (the one that
    covers the day and the first of the custody), the articles charged in the same case (or, for a
    period outside one, in the incident that documents it), the public organisations the person
    belongs to, and the country and region of the case."""
    if not rows:
        return rows
    periods = (
        CustodyPeriod.objects.select_related("person", "facility", "case")
        .annotate(place_path=F("incident__place_path"), last_verified_at=F("incident__last_verified_at"))
        .in_bulk({pk for row in rows for pk in (row.period_id, row.since_id)})
    )
    people = [row.person_id for row in rows]
    charges = list(
        Charge.objects.public()
        .filter(AnyOf(F("person"), people))
        .select_related("provision__jurisdiction")
        .annotate(case_id=F("case_link__case"))
        .order_by("person", "date", "pk")
    )
    memberships = list(
        Membership.objects.filter(AnyOf(F("person"), people), organisation__in=Organisation.objects.public())
        .select_related("organisation")
        .order_by("person", "organisation__name")
    )
    for row in rows:
        row.period = periods[row.period_id]
        row.since_period = periods[row.since_id]
    areas = areas_of([row.period for row in rows])
    charges_by_person: dict[int, list] = {}
    for charge in charges:
        charges_by_person.setdefault(charge.person_id, []).append(charge)
    organisations_by_person: dict[int, dict] = {}
    for membership in memberships:
        organisations_by_person.setdefault(membership.person_id, {})[membership.organisation] = None
    for row in rows:
        row.charges = [c for c in charges_by_person.get(row.person_id, []) if of_period(c, row.period)]
        row.organisations = list(organisations_by_person.get(row.person_id, {}))
        row.country, row.region = areas.get(row.period_id, (None, None))
    return rows


def of_period(charge: Charge, period: CustodyPeriod) -> bool:
    """The charges a person is held on: those of the period's case, or of the incident that
    documents a period outside any case."""
    if period.case_id:
        return charge.case_id == period.case_id
    return charge.incident_id == period.incident_id


def areas_of(periods: list[CustodyPeriod]) -> dict[int, tuple[Place | None, Place | None]]:
    """Each period's country and first-level region, read off its incident's place path."""
    paths = {period.pk: [int(part) for part in period.place_path.strip("/").split("/") if part] for period in periods}
    places = Place.objects.in_bulk({pk for ids in paths.values() for pk in ids[:2]})
    return {
        pk: (places.get(ids[0]) if ids else None, places.get(ids[1]) if len(ids) > 1 else None)
        for pk, ids in paths.items()
    }


@dataclass(frozen=True)
class TrendPoint:
    day: datetime.date
    count: int
    # The bar's height out of TREND_HEIGHT, for a chart drawn without scripts or styles.
    height: int
    x: int

    @property
    def y(self) -> int:
        return TREND_HEIGHT - self.height


TREND_HEIGHT = 60
# The counts of the home page's trend are kept this many seconds, as the search pickers are
# (`incidents.pickers`): they read every public custody period of the year, and a verification
# reaches them within a minute.
TREND_LIFETIME = 60
TREND_BAR = 14


@dataclass(frozen=True)
class HeldTrend:
    """How many people were held on the same day of each of the last 12 months, and today."""

    points: list[TrendPoint]

    @classmethod
    def up_to(cls, day: datetime.date) -> "HeldTrend":
        days = [months_before(day, months) for months in range(12, -1, -1)]
        counts = cache.get_or_set(
            f"held-trend:{day.isoformat()}", lambda: CustodyPeriod.objects.held_counts(days), TREND_LIFETIME
        )
        highest = max(counts.values()) or 1
        points = [
            TrendPoint(on, counts[on], round(TREND_HEIGHT * counts[on] / highest), index * (TREND_BAR + 4))
            for index, on in enumerate(days)
        ]
        return cls(points)

    @property
    def now(self) -> int:
        return self.points[-1].count

    @property
    def anyone(self) -> bool:
        """Whether anyone was held on one of the days: a chart of nothing but zeros says nothing."""
        return any(point.count for point in self.points)

    @property
    def year_ago(self) -> int:
        return self.points[0].count

    @property
    def width(self) -> int:
        return self.points[-1].x + TREND_BAR

    @property
    def bar_width(self) -> int:
        return TREND_BAR

    @property
    def height(self) -> int:
        return TREND_HEIGHT


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` months earlier, or the month's last day when it has no such day."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last_day))
