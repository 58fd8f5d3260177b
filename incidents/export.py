"""The incident search as CSV rows, for a streamed download.

The file is written in the site's base language whoever downloads it, so that files exported by
different people can be put together: the record's own text is as it was entered.
"""

import csv
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation

from places.models import Place
from sources.models import Citation

# Excel on Windows reads a CSV as the local code page unless it starts with this mark.
BYTE_ORDER_MARK = "\ufeff"
# From the least to the most trusted, for the lowest confidence among an incident's citations.
CONFIDENCE_ORDER = [Citation.Confidence.LOW, Citation.Confidence.MEDIUM, Citation.Confidence.HIGH]


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
    "country",
    "region",
    "people",
    "organisations",
    "unidentified_actors",
    "charges",
    "actors_by_role",
    "sources",
    "lowest_confidence",
    "summary",
]


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_rows(incidents, absolute_url: Callable[[str], str], byte_order_mark: bool = False) -> Iterator[str]:
    """The header, then one line per incident, produced as the incidents are read in chunks.

    The rows are read inside a transaction: outside one, PostgreSQL would have to copy the
    whole result before handing over the first row (a cursor WITH HOLD), and the first byte of
    a large export would wait for the last row.
    """
    with translation.override(settings.LANGUAGE_CODE):
        writer = csv.writer(EchoBuffer())
        header = writer.writerow(CSV_HEADER)
        yield f"{BYTE_ORDER_MARK}{header}" if byte_order_mark else header
        areas = countries_and_regions()
        incidents = incidents.prefetch_related(Prefetch("citations", queryset=Citation.objects.public()))
        with transaction.atomic():
            for incident in incidents.iterator(chunk_size=100):
                yield csv_row(writer, incident, absolute_url, areas)


def countries_and_regions() -> dict[int, str]:
    """Every country's and first-level region's name by id: a few thousand, read once per file."""
    return dict(Place.objects.filter(kind__in=[Place.Kind.COUNTRY, Place.Kind.REGION]).values_list("pk", "name"))


def area_names(incident, areas: dict[int, str]) -> tuple[str, str]:
    """The country and first-level region an incident lies in, read off its place's path."""
    ids = [int(part) for part in incident.place_path.strip("/").split("/") if part]
    country = areas.get(ids[0], "") if ids else ""
    region = areas.get(ids[1], "") if len(ids) > 1 else ""
    return country, region


def csv_row(writer, incident, absolute_url: Callable[[str], str], areas: dict[int, str]) -> str:
    involvements, charges = incident.public_actor_rows()
    citations = incident.citations.all()
    confidences = {citation.confidence for citation in citations}
    lowest = next((level for level in CONFIDENCE_ORDER if level in confidences), "")
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
            *area_names(incident, areas),
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.person_id),
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.organisation_id),
            "; ".join(spreadsheet_safe(i.public_actor_name) for i in involvements if i.unidentified_actor),
            "; ".join(
                spreadsheet_safe(
                    f"{charge.public_person_name}: {charge.provision.reference} ({charge.get_status_display()})"
                )
                for charge in charges
            ),
            "; ".join(
                spreadsheet_safe(f"{involvement.role}: {involvement.public_actor_name}") for involvement in involvements
            ),
            len({citation.source_id for citation in citations}),
            lowest,
            spreadsheet_safe(incident.summary),
        ]
    )
