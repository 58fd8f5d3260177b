"""Dates known to a day, a month or a year.

Documentation rarely knows every date to the day ("since May 2011"). A date is stored as its
first day plus a precision; the period it stands for is what searches compare against, so that
an incident known only as "May 2011" is found by any range that covers part of May 2011.
"""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DatePrecision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def period_of(value: datetime.date, precision: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the period a date with this precision stands for."""
    if precision == DatePrecision.YEAR:
        return datetime.date(value.year, 1, 1), datetime.date(value.year, 12, 31)
    if precision == DatePrecision.MONTH:
        last_day = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last_day)
    return value, value


def truncate_to_precision(value: datetime.date, precision: str) -> datetime.date:
    return period_of(value, precision)[0]


# A month's name as each phrase needs it: languages decline it (Russian "6 января", "с мая";
# Kazakh "мамырдан бастап"), so each use is its own message, told apart by its context.
MONTHS = {
    None: [
        pgettext_lazy("month with a year", "January"),
        pgettext_lazy("month with a year", "February"),
        pgettext_lazy("month with a year", "March"),
        pgettext_lazy("month with a year", "April"),
        pgettext_lazy("month with a year", "May"),
        pgettext_lazy("month with a year", "June"),
        pgettext_lazy("month with a year", "July"),
        pgettext_lazy("month with a year", "August"),
        pgettext_lazy("month with a year", "September"),
        pgettext_lazy("month with a year", "October"),
        pgettext_lazy("month with a year", "November"),
        pgettext_lazy("month with a year", "December"),
    ],
    "day": [
        pgettext_lazy("month after a day", "January"),
        pgettext_lazy("month after a day", "February"),
        pgettext_lazy("month after a day", "March"),
        pgettext_lazy("month after a day", "April"),
        pgettext_lazy("month after a day", "May"),
        pgettext_lazy("month after a day", "June"),
        pgettext_lazy("month after a day", "July"),
        pgettext_lazy("month after a day", "August"),
        pgettext_lazy("month after a day", "September"),
        pgettext_lazy("month after a day", "October"),
        pgettext_lazy("month after a day", "November"),
        pgettext_lazy("month after a day", "December"),
    ],
    "since": [
        pgettext_lazy("month after since", "January"),
        pgettext_lazy("month after since", "February"),
        pgettext_lazy("month after since", "March"),
        pgettext_lazy("month after since", "April"),
        pgettext_lazy("month after since", "May"),
        pgettext_lazy("month after since", "June"),
        pgettext_lazy("month after since", "July"),
        pgettext_lazy("month after since", "August"),
        pgettext_lazy("month after since", "September"),
        pgettext_lazy("month after since", "October"),
        pgettext_lazy("month after since", "November"),
        pgettext_lazy("month after since", "December"),
    ],
    "until": [
        pgettext_lazy("month after until", "January"),
        pgettext_lazy("month after until", "February"),
        pgettext_lazy("month after until", "March"),
        pgettext_lazy("month after until", "April"),
        pgettext_lazy("month after until", "May"),
        pgettext_lazy("month after until", "June"),
        pgettext_lazy("month after until", "July"),
        pgettext_lazy("month after until", "August"),
        pgettext_lazy("month after until", "September"),
        pgettext_lazy("month after until", "October"),
        pgettext_lazy("month after until", "November"),
        pgettext_lazy("month after until", "December"),
    ],
}

# Every phrase whole, by (relation, precision, approximate), so that a translation may reorder
# its parts and choose the month's form (the MONTHS above).
PHRASES = {
    (None, DatePrecision.DAY, False): _("%(day)s %(month)s %(year)s"),
    (None, DatePrecision.MONTH, False): _("%(month)s %(year)s"),
    (None, DatePrecision.YEAR, False): pgettext_lazy("a year alone", "%(year)s"),
    (None, DatePrecision.DAY, True): _("around %(day)s %(month)s %(year)s"),
    (None, DatePrecision.MONTH, True): _("around %(month)s %(year)s"),
    (None, DatePrecision.YEAR, True): _("around %(year)s"),
    ("since", DatePrecision.DAY, False): _("since %(day)s %(month)s %(year)s"),
    ("since", DatePrecision.MONTH, False): _("since %(month)s %(year)s"),
    ("since", DatePrecision.YEAR, False): _("since %(year)s"),
    ("since", DatePrecision.DAY, True): _("since around %(day)s %(month)s %(year)s"),
    ("since", DatePrecision.MONTH, True): _("since around %(month)s %(year)s"),
    ("since", DatePrecision.YEAR, True): _("since around %(year)s"),
    ("until", DatePrecision.DAY, False): _("until %(day)s %(month)s %(year)s"),
    ("until", DatePrecision.MONTH, False): _("until %(month)s %(year)s"),
    ("until", DatePrecision.YEAR, False): _("until %(year)s"),
    ("until", DatePrecision.DAY, True): _("until around %(day)s %(month)s %(year)s"),
    ("until", DatePrecision.MONTH, True): _("until around %(month)s %(year)s"),
    ("until", DatePrecision.YEAR, True): _("until around %(year)s"),
}


def format_date(
    value: datetime.date | None, precision: str, approximate: bool = False, relation: str | None = None
) -> str:
    """A date as people write it, in the reader's language: "8 October 2011", "May 2011", "2011",
    "around May 2011"; with relation "since" or "until", "since May 2011", "until 2012"."""
    if value is None:
        return ""
    precision = precision if precision in (DatePrecision.MONTH, DatePrecision.YEAR) else DatePrecision.DAY
    month_form = relation or ("day" if precision == DatePrecision.DAY else None)
    parts = {"day": value.day, "month": MONTHS[month_form][value.month - 1], "year": value.year}
    return PHRASES[relation, precision, approximate] % parts


def format_time(value: datetime.time | None, approximate: bool = False) -> str:
    if value is None:
        return ""
    text = value.strftime("%H:%M")
    return _("around %(time)s") % {"time": text} if approximate else text
