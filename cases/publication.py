"""Which custody periods the public sees, and from which day each one's custody runs unbroken,
kept on every period (`is_public`, `custody_since`, `custody_since_period`).

/detained/ sorts everyone held on a day by how long they have been held. Read on each request,
that meant checking the public rule on every period of thousands of people through their
incidents, cases and names, then all their earlier periods. Kept on the period, the list is one
read of one table. The rule itself stays in `CustodyPeriodQuerySet.under_the_public_rule`; what is
kept is recomputed for a person whenever something it reads changes: one of their periods, an
incident or case that documents one, or the person (`cases.signals`).
"""

import datetime
from collections.abc import Iterable

from .models import CustodyPeriod

ONE_DAY = datetime.timedelta(days=1)
KEPT_FIELDS = ["is_public", "custody_since", "custody_since_period"]
UPDATE_BATCH = 1000


def refresh_public_custody(people: Iterable[int] | None = None) -> int:
    """Recompute what is kept on every period of these people (of everyone when None); returns
    how many periods changed."""
    periods = CustodyPeriod.objects.all()
    if people is not None:
        people = set(people)
        if not people:
            return 0
        periods = periods.filter(person__in=people)
    public = set(periods.under_the_public_rule().values_list("pk", flat=True))
    rows = list(
        periods.order_by("person_id", "period_start", "pk").values_list(
            "pk", "person_id", "period_start", "period_end", *KEPT_FIELDS
        )
    )
    since = unbroken_since((person, pk, start, end) for pk, person, start, end, *_ in rows if pk in public)
    changed = []
    for pk, _person, _start, _end, *kept in rows:
        since_pk, since_day = since.get(pk, (None, None))
        wanted = [pk in public, since_day, since_pk]
        if kept != wanted:
            changed.append(
                CustodyPeriod(pk=pk, is_public=wanted[0], custody_since=since_day, custody_since_period_id=since_pk)
            )
    CustodyPeriod.objects.bulk_update(changed, KEPT_FIELDS, batch_size=UPDATE_BATCH)
    return len(changed)


def unbroken_since(periods) -> dict[int, tuple[int, datetime.date]]:
    """(person, id, first day, last day or None while open) of periods in order of person and
    first day: for each period, the id and first day of the stretch of custody without a day's
    gap that it belongs to. Police custody, then pre-trial detention, then the sentence are one
    stretch behind bars."""
    since: dict[int, tuple[int, datetime.date]] = {}
    person_before = None
    reach = datetime.date.min
    first: tuple[int, datetime.date] = (0, datetime.date.min)
    for person, pk, start, end in periods:
        if person != person_before or start > reach + ONE_DAY:
            first = (pk, start)
            reach = end or datetime.date.max
        else:
            reach = max(reach, end or datetime.date.max)
        person_before = person
        since[pk] = first
    return since
