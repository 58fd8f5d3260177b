"""Dates known to a day, a month or a year.

Documentation rarely knows every date to the day ("since May 2011"). A date is stored as its
first day plus a precision; the period it stands for is what searches compare against, so that
an incident known only as "May 2011" is found by any range that covers part of May 2011.
"""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


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


def format_date(value: datetime.date | None, precision: str, approximate: bool = False) -> str:
    """A date as people write it: "8 October 2011", "May 2011", "2011", "around May 2011"."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        text = str(value.year)
    elif precision == DatePrecision.MONTH:
        text = f"{calendar.month_name[value.month]} {value.year}"
    else:
        text = f"{value.day} {calendar.month_name[value.month]} {value.year}"
    return f"around {text}" if approximate else text


def format_time(value: datetime.time | None, approximate: bool = False) -> str:
    if value is None:
        return ""
    text = value.strftime("%H:%M")
    return f"around {text}" if approximate else text
