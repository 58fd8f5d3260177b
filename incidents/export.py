"""The incident search as CSV rows, for a streamed download."""

import csv
from collections.abc import Callable, Iterator

from django.db import transaction


class EchoBuffer:
    """A file-like object that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    "public_id",
    "url",
    "title",
    "type",
    "date",
    "period_start",
    "period_end",
    "place",
    "people",
    "organisations",
    "unidentified_actors",
    "charges",
    "summary",
]


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_rows(incidents, absolute_url: Callable[[str], str]) -> Iterator[str]:
    """The header, then one line per incident, produced as the incidents are read in chunks.

    The rows are read inside a transaction: outside one, PostgreSQL would have to copy the
    whole result before handing over the first row (a cursor WITH HOLD), and the first byte of
    a large export would wait for the last row.
    """
    writer = csv.writer(EchoBuffer())
    yield writer.writerow(CSV_HEADER)
    with transaction.atomic():
        yield from (csv_row(writer, incident, absolute_url) for incident in incidents.iterator(chunk_size=100))


def csv_row(writer, incident, absolute_url: Callable[[str], str]) -> str:
    involvements, charges = incident.public_actor_rows()
    return writer.writerow(
        [
            incident.public_id,
            absolute_url(incident.get_absolute_url()),
            spreadsheet_safe(incident.title),
            incident.incident_type.name,
            incident.date_display,
            incident.period_start.isoformat(),
            "" if incident.ongoing else incident.period_end.isoformat(),
            incident.place.name if incident.place else "",
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.person_id),
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.organisation_id),
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.unidentified_actor),
            "; ".join(
                spreadsheet_safe(
                    f"{charge.public_person_name}: {charge.provision.reference} ({charge.get_status_display()})"
                )
                for charge in charges
            ),
            spreadsheet_safe(incident.summary),
        ]
    )
