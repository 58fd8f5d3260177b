"""Who is held on a day as CSV rows, for a streamed download, in the site's base language (as
the incidents' CSV: files exported by different people can be put together)."""

import csv
from collections.abc import Callable, Iterator

from django.conf import settings
from django.utils import translation

from incidents.export import BYTE_ORDER_MARK, EchoBuffer, spreadsheet_safe

from .detained import HeldOnDay, detail

# Rows read in full at a time: a few queries per chunk, whatever the number of people.
CHUNK = 500

DETAINED_CSV_HEADER = [
    "on",
    "person",
    "url",
    "status",
    "held_since",
    "held_since_precision",
    "days_in_custody",
    "kind_of_custody",
    "custody_period_start",
    "last_confirmed",
    "facility",
    "country",
    "region",
    "articles",
    "organisations",
    "case",
    "case_number",
    "case_url",
    "public_id",
    "permanent_url",
    "last_verified",
]


def detained_csv_rows(held: HeldOnDay, absolute_url: Callable[[str], str], byte_order_mark: bool) -> Iterator[str]:
    with translation.override(settings.LANGUAGE_CODE):
        writer = csv.writer(EchoBuffer())
        header = writer.writerow(DETAINED_CSV_HEADER)
        yield f"{BYTE_ORDER_MARK}{header}" if byte_order_mark else header
        rows = held.rows
        for start in range(0, len(rows), CHUNK):
            for row in detail(rows[start : start + CHUNK]):
                yield writer.writerow(csv_fields(row, held.status, absolute_url))


def csv_fields(row, status: str, absolute_url: Callable[[str], str]) -> list:
    period, since, case = row.period, row.since_period, row.period.case
    return [
        row.day.isoformat(),
        spreadsheet_safe(row.name),
        absolute_url(period.person.get_absolute_url()),
        status,
        since.start_date.isoformat(),
        since.start_precision,
        row.days,
        period.kind,
        period.start_date.isoformat(),
        period.last_confirmed.isoformat() if period.last_confirmed else "",
        spreadsheet_safe(period.facility.label) if period.facility else "",
        row.country.label if row.country else "",
        row.region.label if row.region else "",
        "; ".join(provision.reference for provision in row.articles),
        "; ".join(spreadsheet_safe(organisation.name) for organisation in row.organisations),
        spreadsheet_safe(case.title) if case else "",
        spreadsheet_safe(case.number) if case else "",
        absolute_url(case.get_absolute_url()) if case else "",
        str(period.person.public_id),
        absolute_url(period.person.get_permanent_url()),
        period.last_verified_at.date().isoformat() if period.last_verified_at else "",
    ]
