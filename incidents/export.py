"""The incident search as rows for download (CSV, a spreadsheet, one row per involvement) and for
the change feed.

The file is written in the site's base language whoever downloads it, so that files exported by
different people can be put together: the record's own text is as it was entered.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

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
    "permanent_url",
    "last_verified",
]
# For analysts: one row per public involvement, with its incident's columns first.
INVOLVEMENT_HEADER = [
    "incident_public_id",
    "incident_permanent_url",
    "incident_title",
    "type",
    "date",
    "period_start",
    "period_end",
    "place",
    "country",
    "region",
    "role",
    "actor_kind",
    "actor",
    "actor_public_id",
    "actor_permanent_url",
    "charges",
    "last_verified",
]


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def export_queryset(incidents):
    """The public ones of these incidents, with everything their rows show, read per chunk."""
    return incidents.with_public_actors_and_charges().prefetch_related(
        Prefetch("citations", queryset=Citation.objects.public())
    )


def incident_rows(incidents, row_values: Callable) -> Iterator:
    """Each incident's rows, read in chunks, inside a transaction: outside one, PostgreSQL would
    copy the whole result before handing over the first row (a cursor WITH HOLD), and the first
    byte of a large export would wait for the last row."""
    areas = places_by_id()
    with transaction.atomic():
        for incident in export_queryset(incidents).iterator(chunk_size=100):
            yield from row_values(incident, areas)


def csv_rows(incidents, absolute_url: Callable[[str], str], byte_order_mark: bool = False) -> Iterator[str]:
    """The header, then one line per incident, produced as the incidents are read in chunks."""
    with translation.override(settings.LANGUAGE_CODE):
        writer = csv.writer(EchoBuffer())
        header = writer.writerow(CSV_HEADER)
        yield f"{BYTE_ORDER_MARK}{header}" if byte_order_mark else header
        for values in incident_rows(incidents, lambda incident, areas: [export_values(incident, absolute_url, areas)]):
            yield writer.writerow(
                [spreadsheet_safe(value) if isinstance(value, str) else value for value in values.values()]
            )


def involvement_csv_rows(incidents, absolute_url: Callable[[str], str], byte_order_mark: bool = False) -> Iterator[str]:
    with translation.override(settings.LANGUAGE_CODE):
        writer = csv.writer(EchoBuffer())
        header = writer.writerow(INVOLVEMENT_HEADER)
        yield f"{BYTE_ORDER_MARK}{header}" if byte_order_mark else header
        for values in incident_rows(
            incidents, lambda incident, areas: involvement_values(incident, absolute_url, areas)
        ):
            yield writer.writerow([spreadsheet_safe(value) if isinstance(value, str) else value for value in values])


def places_by_id() -> dict[int, str]:
    """Every country's and first-level region's name by id: a few thousand, read once per file."""
    return dict(Place.objects.filter(kind__in=[Place.Kind.COUNTRY, Place.Kind.REGION]).values_list("pk", "name"))


def area_names(incident, areas: dict[int, str]) -> tuple[str, str]:
    """The country and first-level region an incident lies in, read off its place's path."""
    ids = [int(part) for part in incident.place_path.strip("/").split("/") if part]
    country = areas.get(ids[0], "") if ids else ""
    region = areas.get(ids[1], "") if len(ids) > 1 else ""
    return country, region


def dating_values(incident, areas: dict[int, str]) -> list[str]:
    return [
        incident.incident_type.name,
        incident.date_display,
        incident.period_start.isoformat(),
        "" if incident.ongoing else incident.period_end.isoformat(),
        incident.place.name if incident.place else "",
        *area_names(incident, areas),
    ]


def last_verified(incident) -> str:
    return incident.last_verified_at.date().isoformat() if incident.last_verified_at else ""


def charge_text(charge) -> str:
    return f"{charge.provision.reference} ({charge.get_status_display()})"


def export_values(incident, absolute_url: Callable[[str], str], areas: dict[int, str]) -> dict[str, object]:
    """What the public reads of an incident, by column of the CSV (before spreadsheet quoting):
    the one source of the incident CSV, the spreadsheet and the change feed."""
    involvements, charges = incident.public_actor_rows()
    citations = incident.citations.all()
    confidences = {citation.confidence for citation in citations}
    lowest = next((level for level in CONFIDENCE_ORDER if level in confidences), "")
    return dict(
        zip(
            CSV_HEADER,
            [
                str(incident.public_id),
                absolute_url(incident.get_absolute_url()),
                incident.title,
                *dating_values(incident, areas),
                "; ".join(i.public_actor_name for i in involvements if i.person_id),
                "; ".join(i.public_actor_name for i in involvements if i.organisation_id),
                "; ".join(i.public_actor_name for i in involvements if i.unidentified_actor),
                "; ".join(f"{charge.public_person_name}: {charge_text(charge)}" for charge in charges),
                "; ".join(f"{i.role}: {i.public_actor_name}" for i in involvements),
                len({citation.source_id for citation in citations}),
                lowest,
                incident.summary,
                absolute_url(incident.get_permanent_url()),
                last_verified(incident),
            ],
            strict=True,
        )
    )


def involvement_values(incident, absolute_url: Callable[[str], str], areas: dict[int, str]) -> Iterator[list]:
    """One row per public involvement. An actor's identifier and address are given only for a
    person named in public or an organisation: a pseudonym leads nowhere."""
    involvements, charges = incident.public_actor_rows()
    incident_columns = [
        str(incident.public_id),
        absolute_url(incident.get_permanent_url()),
        incident.title,
        *dating_values(incident, areas),
    ]
    for involvement in involvements:
        actor = involvement.person or involvement.organisation
        named = involvement.organisation_id or (involvement.person_id and involvement.person.is_publicly_named())
        kind = "person" if involvement.person_id else "organisation" if involvement.organisation_id else "unidentified"
        own_charges = [
            charge for charge in charges if involvement.person_id and charge.person_id == involvement.person_id
        ]
        yield [
            *incident_columns,
            involvement.role,
            kind,
            involvement.public_actor_name,
            str(actor.public_id) if named else "",
            absolute_url(actor.get_permanent_url()) if named else "",
            "; ".join(charge_text(charge) for charge in own_charges),
            last_verified(incident),
        ]


# A worksheet holds this many rows; a larger search is exported as CSV.
XLSX_MAX_ROWS = 1_048_575
DATE_COLUMNS = {"period_start", "period_end", "last_verified"}


def xlsx_file(header: list[str], rows: Iterator[list]):
    """A spreadsheet of these rows, written as they come (openpyxl's write-only mode keeps rows
    on disk, not in memory), as an open temporary file. Text is text, even when it starts like a
    formula; the date columns are dates. More rows than a worksheet holds raise TooManyRows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("incidents")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = [WriteOnlyCell(sheet, value=name) for name in header]
    for cell in titles:
        cell.font = bold
    sheet.append(titles)
    dated = [name in DATE_COLUMNS for name in header]
    with translation.override(settings.LANGUAGE_CODE):
        for number, values in enumerate(rows, start=1):
            if number > XLSX_MAX_ROWS:
                raise TooManyRows
            sheet.append(
                [spreadsheet_cell(sheet, value, is_date) for value, is_date in zip(values, dated, strict=True)]
            )
    output = tempfile.TemporaryFile()  # noqa: SIM115 (the response that streams it closes it)
    workbook.save(output)
    output.seek(0)
    return output


class TooManyRows(Exception):
    pass


def spreadsheet_cell(sheet, value, is_date: bool):
    """A date column's value as a date; any text as text, never a formula ("=…") or an error code
    ("#N/A"), with the control characters a worksheet cannot hold (a vertical tab pasted from a
    word processor) turned into spaces rather than failing the whole file."""
    if is_date and value:
        return datetime.date.fromisoformat(value)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub(" ", value))
        cell.data_type = "s"
        return cell
    return value


def incident_xlsx(incidents, absolute_url: Callable[[str], str]):
    rows = incident_rows(incidents, lambda incident, areas: [export_values(incident, absolute_url, areas)])
    return xlsx_file(CSV_HEADER, (list(values.values()) for values in rows))


def involvement_xlsx(incidents, absolute_url: Callable[[str], str]):
    return xlsx_file(
        INVOLVEMENT_HEADER,
        incident_rows(incidents, lambda incident, areas: involvement_values(incident, absolute_url, areas)),
    )
