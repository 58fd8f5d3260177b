import datetime

from django import template
from django.utils import timezone

from core.dates import DatePrecision, format_date

register = template.Library()


@register.filter
def spoken_date(value: datetime.date | datetime.datetime | None) -> str:
    """A day as the pages write every date, in the reader's language: "6 January 2012", "6 января 2012 г."."""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return format_date(value, DatePrecision.DAY)
