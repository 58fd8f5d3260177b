"""The incident search as rows for download (CSV, a spreadsheet, one row per involvement) and for
the change feed.

The file is written in the site's base language whoever downloads it, so that files exported by
different people can be put together: the record's own text is as it was entered.

Rows are made from plain values, read EXPORT_CHUNK incidents at a time (the incidents through a
server-side cursor on PostgreSQL, then the public involvements, charges and citations of the
chunk's incidents by id), never from model instances: making those was most of the time of a
large export. The models' rules are used, not restated: the public querysets, `dating_text`
(`Incident.date_display`), `public_names` (`Incident.public_person_names`), the provisions'
`reference`, and the addresses the models' `get_absolute_url` and `get_permanent_url` make.
"""

import datetime
import queue
import tempfile
import threading
import uuid
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import islice
from operator import attrgetter
from typing import NamedTuple

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction
from django.db.models import CharField, Exists, F, Func, OuterRef, Subquery
from django.utils import translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from core.lookups import AnyOf
from organisations.models import Organisation
from people.models import Person
from places.models import Place
from sources.models import Citation

from .models import Charge, Incident, Involvement, LegalProvision
from .models.incident import DATING_FIELDS, dating_text, public_names

# Excel on Windows reads a CSV as the local code page unless it starts with this mark.
BYTE_ORDER_MARK = "\ufeff"
# From the least to the most trusted, for the lowest confidence among an incident's citations.
CONFIDENCE_ORDER = [Citation.Confidence.LOW, Citation.Confidence.MEDIUM, Citation.Confidence.HIGH]
# Incidents read, and rows written and sent, at a time: the memory an export holds. The first
# chunk is smaller, so that the first rows go out without waiting for a whole chunk.
EXPORT_CHUNK = 2000
FIRST_CHUNK = 200

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

# What rows are made of: an incident's columns, then those of its public involvements, charges
# and citations (the first column of each names the incident).
INCIDENT_COLUMNS = (
    "pk",
    "public_id_text",
    "slug",
    "title",
    "incident_type__name",
    *DATING_FIELDS,
    "period_start",
    "period_end",
    "place__name",
    "place_path",
    "summary",
    "last_verified_at",
)
INVOLVEMENT_COLUMNS = (
    "incident_id",
    "pk",
    "role",
    "person_id",
    "person__name",
    "person__consent_to_publish",
    "organisation_id",
    "organisation_name",
    "unidentified_actor",
)
CHARGE_COLUMNS = (
    "incident_id",
    "pk",
    "person_id",
    "person__name",
    "person__consent_to_publish",
    "provision_id",
    "status",
)
CITATION_COLUMNS = ("object_id", "source_id", "confidence")
# For the involvement export: its actor's identifier, for an actor who may be named in public.
ACTOR_ADDRESS_COLUMNS = ("person__public_id", "organisation_public_id", "publicly_named")
# Where the dating lies in an incident's row, and how many datings' texts a file keeps at most.
DATING = slice(INCIDENT_COLUMNS.index(DATING_FIELDS[0]), INCIDENT_COLUMNS.index(DATING_FIELDS[-1]) + 1)
DATE_TEXTS_KEPT = 4096
IncidentRow = namedtuple("IncidentRow", INCIDENT_COLUMNS)
ChargeRow = namedtuple("ChargeRow", CHARGE_COLUMNS)
CitationRow = namedtuple("CitationRow", CITATION_COLUMNS)
INVOLVEMENT_ROWS = {
    False: namedtuple("InvolvementRow", INVOLVEMENT_COLUMNS),
    True: namedtuple("InvolvementRow", (*INVOLVEMENT_COLUMNS, *ACTOR_ADDRESS_COLUMNS)),
}


class EchoBuffer:
    """A file-like object that hands back what is written, so csv.writer can feed a stream."""

    def write(self, value: str) -> str:
        return value


FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def spreadsheet_safe(value: str) -> str:
    """Text a spreadsheet will not run as a formula."""
    return f"'{value}" if value[:1] in FORMULA_STARTS else value


def csv_lines(rows: list[list]) -> str:
    """Rows as CSV, byte for byte as csv.writer writes them in its default (excel) dialect: a field
    is quoted when it holds a comma, a quote or a line break, its quotes doubled; lines end with
    CRLF. Each text is made `spreadsheet_safe`. csv.writer examines every character of every field
    in turn, where `in` and `replace` scan a whole field in one call: with a large export's long
    summaries, that was a large share of its time. tests/test_export.py checks that both agree."""
    lines = []
    for values in rows:
        fields = []
        for value in values:
            if isinstance(value, str):
                if value[:1] in FORMULA_STARTS:
                    value = f"'{value}"
                if '"' in value:
                    value = '"' + value.replace('"', '""') + '"'
                elif "," in value or "\n" in value or "\r" in value:
                    value = f'"{value}"'
            else:
                value = "" if value is None else str(value)
            fields.append(value)
        lines.append(",".join(fields))
    lines.append("")
    return "\r\n".join(lines)


@contextmanager
def snapshot(using: str):
    """One transaction for a whole file, which sees the data of one moment, so that a file never
    holds more or fewer rows than it announced (its row count is read first). On PostgreSQL,
    REPEATABLE READ; inside a transaction, rows also come as they are read (outside one, a cursor
    WITH HOLD copies the whole result before the first row). On SQLite, a DEFERRED transaction
    whatever the database's transaction_mode: it only reads, and must not take the write lock
    (IMMEDIATE) that staff saves would wait for while a slow client downloads. Within a
    transaction already open (the change feed's), the file reads as that transaction does."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with ExitStack() as stack:
        if outermost and connection.vendor == "sqlite":
            connection.ensure_connection()  # connecting sets transaction_mode from the settings
            configured, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
            try:
                stack.enter_context(transaction.atomic(using=using))
            finally:
                connection.transaction_mode = configured
        else:
            stack.enter_context(transaction.atomic(using=using))
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


class UuidText(Func):
    """A UUID column as the text `str(uuid.UUID)` makes (8-4-4-4-12 hexadecimal digits, lower
    case), read as text: a file's identifiers need no uuid.UUID object each."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(%(expressions)s)::text", **extra_context)

    def as_sqlite(self, compiler, connection, **extra_context):
        # Django keeps a UUID on SQLite as its 32 hexadecimal digits, without hyphens.
        parts = " || '-' || ".join(f"substr(%(expressions)s, {start}, {length})" for start, length in UUID_GROUPS)
        return self.as_sql(compiler, connection, template=f"lower({parts})", **extra_context)


UUID_GROUPS = [(1, 8), (9, 4), (13, 4), (17, 4), (21, 12)]


class IncidentChunk(NamedTuple):
    """Some incidents and their public rows, as the database gave them (tuples of INCIDENT_COLUMNS,
    of `involvement_columns`, CHARGE_COLUMNS and CITATION_COLUMNS)."""

    incidents: list
    involvements: list
    charges: list
    citations: list


def incident_chunks(incidents, actor_addresses: bool = False) -> Iterator[IncidentChunk]:
    """The public ones of these incidents, in their order, a chunk at a time: FIRST_CHUNK, so that
    the first rows go out at once, then EXPORT_CHUNK. With `actor_addresses`, each involvement
    carries its actor's public_id and whether a person may be named in public (for the
    involvement export). Call it inside `snapshot()`."""
    using = incidents.db
    public = incidents.public().annotate(public_id_text=UuidText("public_id"))
    rows = public.values_list(*INCIDENT_COLUMNS).iterator(chunk_size=EXPORT_CHUNK)
    size = FIRST_CHUNK
    while chunk := list(islice(rows, size)):
        size = EXPORT_CHUNK
        ids = [incident[0] for incident in chunk]
        # The organisation's name by a subquery for each row: a join would have PostgreSQL hash
        # every organisation for each chunk's few thousand rows.
        organisations = Organisation.objects.using(using).filter(pk=OuterRef("organisation")).order_by()
        involvements = (
            Involvement.objects.using(using)
            .of_public_actors()
            .filter(AnyOf(F("incident"), ids))
            .annotate(organisation_name=Subquery(organisations.values("name")))
        )
        if actor_addresses:
            named = Person.objects.using(using).publicly_named().filter(pk=OuterRef("person"))
            involvements = involvements.annotate(
                organisation_public_id=Subquery(organisations.values("public_id")), publicly_named=Exists(named)
            )
        charges = Charge.objects.using(using).public_of_incident_ids(ids)
        incident_type = ContentType.objects.db_manager(using).get_for_model(Incident)
        citations = (
            Citation.objects.using(using)
            .public()
            .filter(AnyOf(F("object_id"), ids), content_type=incident_type)
            .order_by()
        )
        yield IncidentChunk(
            chunk,
            list(involvements.values_list(*involvement_columns(actor_addresses))),
            list(charges.values_list(*CHARGE_COLUMNS)),
            list(citations.values_list(*CITATION_COLUMNS)),
        )


def involvement_columns(actor_addresses: bool) -> tuple[str, ...]:
    return (*INVOLVEMENT_COLUMNS, *ACTOR_ADDRESS_COLUMNS) if actor_addresses else INVOLVEMENT_COLUMNS


class IncidentRows:
    """A chunk's rows with their columns by name, and an incident's public rows by its id. Made
    on the thread that writes the file, so that the thread reading the database only reads."""

    def __init__(self, chunk: IncidentChunk, actor_addresses: bool):
        involvement_row = INVOLVEMENT_ROWS[actor_addresses]
        self.incidents = list(map(IncidentRow._make, chunk.incidents))
        self.involvements = by_incident(map(involvement_row._make, chunk.involvements))
        self.charges = by_incident(map(ChargeRow._make, chunk.charges))
        self.citations = by_incident(map(CitationRow._make, chunk.citations))


def read_ahead(chunks: Iterator, using: str) -> Iterator:
    """The same chunks, each read on another thread while the caller writes the one before: the
    database works while Python formats rows (psycopg2 and sqlite3 let other threads run while
    they wait for it). The thread borrows this thread's connection, so it reads in the same
    transaction and snapshot; the connection is this thread's again once the generator is
    exhausted or closed (closing waits for the thread to stop)."""
    connection = connections[using]
    ready: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()

    def hand_over(item) -> bool:
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.05)
                return True
            except queue.Full:
                pass
        return False

    def read() -> None:
        connections[using] = connection
        try:
            for chunk in chunks:
                if not hand_over(chunk):
                    return
            hand_over(None)
        except BaseException as error:  # raised again on the caller's thread
            hand_over(error)
        finally:
            chunks.close()
            del connections[using]

    reader = threading.Thread(target=read, name="export-read-ahead", daemon=True)
    connection.inc_thread_sharing()
    reader.start()
    try:
        while (item := ready.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader.join()
        connection.dec_thread_sharing()


def by_incident(rows) -> dict[int, list]:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row)
    return grouped


def places_by_id(using: str) -> dict[int, str]:
    """Every country's and first-level region's name by id: a few thousand, read once per file."""
    places = Place.objects.using(using).filter(kind__in=[Place.Kind.COUNTRY, Place.Kind.REGION])
    return dict(places.values_list("pk", "name"))


MARKER_SLUG = "export-row-slug"
MARKER_ID = uuid.UUID(int=0)


def address_maker(absolute_url: Callable[[str], str], path: str, marker) -> Callable[[object], str]:
    """Addresses like `path`, a stand-in record's, with the stand-in's slug or public_id (`marker`)
    replaced by each record's: the URL is reversed once per file, not once per row."""
    before, after = absolute_url(path).rsplit(str(marker), 1)
    return lambda value: f"{before}{value}{after}"


class ExportContext:
    """What every row of one file reads besides its incident: country and region names, the
    provisions' references and the charge statuses in the base language, and the addresses."""

    def __init__(self, absolute_url: Callable[[str], str], using: str):
        with translation.override(settings.LANGUAGE_CODE):
            self.areas = places_by_id(using)
            provisions = LegalProvision.objects.using(using).select_related("jurisdiction")
            self.references = {provision.pk: provision.reference for provision in provisions}
            self.statuses = {status: str(label) for status, label in Charge.Status.choices}
        self.area_names_by_path: dict[str, tuple[str, str]] = {}
        self.date_texts: dict[tuple, str] = {}
        self.incident_address = address_maker(absolute_url, Incident(slug=MARKER_SLUG).get_absolute_url(), MARKER_SLUG)
        self.incident_permanent_address = address_maker(
            absolute_url, Incident(public_id=MARKER_ID).get_permanent_url(), MARKER_ID
        )
        self.person_permanent_address = address_maker(
            absolute_url, Person(public_id=MARKER_ID).get_permanent_url(), MARKER_ID
        )
        self.organisation_permanent_address = address_maker(
            absolute_url, Organisation(public_id=MARKER_ID).get_permanent_url(), MARKER_ID
        )

    def area_names(self, place_path: str) -> tuple[str, str]:
        """The country and first-level region of a place, read off its path (once per path)."""
        names = self.area_names_by_path.get(place_path)
        if names is None:
            ids = [int(part) for part in place_path.strip("/").split("/") if part]
            country = self.areas.get(ids[0], "") if ids else ""
            region = self.areas.get(ids[1], "") if len(ids) > 1 else ""
            names = self.area_names_by_path[place_path] = (country, region)
        return names

    def date_text(self, incident) -> str:
        """`dating_text`, worked out once per dating in a file: many incidents share one."""
        dating = incident[DATING]
        text = self.date_texts.get(dating)
        if text is None:
            if len(self.date_texts) >= DATE_TEXTS_KEPT:
                self.date_texts.clear()
            text = self.date_texts[dating] = dating_text(*dating)
        return text

    def dating_values(self, incident) -> list[str]:
        return [
            incident.incident_type__name,
            self.date_text(incident),
            incident.period_start.isoformat(),
            "" if incident.ongoing else incident.period_end.isoformat(),
            incident.place__name or "",
            *self.area_names(incident.place_path),
        ]

    def charge_text(self, charge) -> str:
        return f"{self.references[charge.provision_id]} ({self.statuses[charge.status]})"


def last_verified(verified_at: datetime.datetime | None) -> str:
    return verified_at.date().isoformat() if verified_at else ""


BY_PK = attrgetter("pk")


def people_names(involvements: list, charges: list) -> dict[int, str]:
    """The name each person of an incident goes by in public (see `Incident.public_person_names`)."""
    return public_names(
        (row.person_id, row.person__name, row.person__consent_to_publish)
        for rows in (involvements, charges)
        for row in sorted(rows, key=BY_PK)
        if row.person_id
    )


def actor_name(involvement, names: dict[int, str]) -> str:
    """The actor as the public sees them (see `Involvement.public_actor_name`)."""
    if involvement.person_id:
        return names.get(involvement.person_id, "")
    return involvement.organisation_name if involvement.organisation_id else involvement.unidentified_actor


def incident_values(incident, chunk: IncidentRows, context: ExportContext) -> list:
    """What the public reads of an incident, by column of the CSV (before spreadsheet quoting):
    the one source of the incident CSV, the spreadsheet and the change feed."""
    involvements = chunk.involvements.get(incident.pk, [])
    charges = chunk.charges.get(incident.pk, [])
    citations = chunk.citations.get(incident.pk, [])
    names = people_names(involvements, charges)
    people, organisations, unidentified, by_role = [], [], [], []
    for involvement in involvements:
        name = actor_name(involvement, names)
        (people if involvement.person_id else organisations if involvement.organisation_id else unidentified).append(
            name
        )
        by_role.append(f"{involvement.role}: {name}")
    confidences = {citation.confidence for citation in citations}
    return [
        incident.public_id_text,
        context.incident_address(incident.slug),
        incident.title,
        *context.dating_values(incident),
        "; ".join(people),
        "; ".join(organisations),
        "; ".join(unidentified),
        "; ".join(f"{names.get(charge.person_id, '')}: {context.charge_text(charge)}" for charge in charges),
        "; ".join(by_role),
        len({citation.source_id for citation in citations}),
        next((level for level in CONFIDENCE_ORDER if level in confidences), ""),
        incident.summary,
        context.incident_permanent_address(incident.public_id_text),
        last_verified(incident.last_verified_at),
    ]


def involvement_values(incident, chunk: IncidentRows, context: ExportContext) -> Iterator[list]:
    """One row per public involvement. An actor's identifier and address are given only for a
    person named in public or an organisation: a pseudonym leads nowhere."""
    involvements = chunk.involvements.get(incident.pk, [])
    charges = chunk.charges.get(incident.pk, [])
    names = people_names(involvements, charges)
    incident_columns = [
        incident.public_id_text,
        context.incident_permanent_address(incident.public_id_text),
        incident.title,
        *context.dating_values(incident),
    ]
    for involvement in involvements:
        if involvement.person_id:
            kind, named, public_id = "person", involvement.publicly_named, involvement.person__public_id
            address = context.person_permanent_address
        elif involvement.organisation_id:
            kind, named, public_id = "organisation", True, involvement.organisation_public_id
            address = context.organisation_permanent_address
        else:
            kind, named, public_id, address = "unidentified", False, None, None
        own_charges = [
            charge for charge in charges if involvement.person_id and charge.person_id == involvement.person_id
        ]
        yield [
            *incident_columns,
            involvement.role,
            kind,
            actor_name(involvement, names),
            str(public_id) if named else "",
            address(public_id) if named else "",
            "; ".join(context.charge_text(charge) for charge in own_charges),
            last_verified(incident.last_verified_at),
        ]


def incident_records(incidents, absolute_url: Callable[[str], str]) -> Iterator[list[tuple[int, list]]]:
    """Each public incident's id and `incident_values`, a chunk at a time. Call it inside `snapshot()`."""
    context = ExportContext(absolute_url, incidents.db)
    for chunk in read_ahead(incident_chunks(incidents), incidents.db):
        rows = IncidentRows(chunk, actor_addresses=False)
        with translation.override(settings.LANGUAGE_CODE):
            yield [(incident.pk, incident_values(incident, rows, context)) for incident in rows.incidents]


def incident_rows(incidents, absolute_url: Callable[[str], str]) -> Iterator[list[list]]:
    for records in incident_records(incidents, absolute_url):
        yield [values for _pk, values in records]


def involvement_rows(incidents, absolute_url: Callable[[str], str]) -> Iterator[list[list]]:
    context = ExportContext(absolute_url, incidents.db)
    for chunk in read_ahead(incident_chunks(incidents, actor_addresses=True), incidents.db):
        rows = IncidentRows(chunk, actor_addresses=True)
        with translation.override(settings.LANGUAGE_CODE):
            yield [row for incident in rows.incidents for row in involvement_values(incident, rows, context)]


def public_records(incidents, absolute_url: Callable[[str], str]) -> dict[int, dict[str, object]]:
    """What the public reads of each of these incidents that it may read, by id and by column of
    the CSV: the change feed's records, equal to the CSV's rows."""
    with snapshot(incidents.db):
        return {
            pk: dict(zip(CSV_HEADER, values, strict=True))
            for records in incident_records(incidents, absolute_url)
            for pk, values in records
        }


@dataclass
class CsvDownload:
    """A CSV file being written: `rows`, the number of data rows it holds once complete, counted
    before any is sent; `content`, its bytes, a chunk of rows at a time."""

    rows: int
    content: Iterator[bytes]


def incident_csv(incidents, absolute_url: Callable[[str], str], byte_order_mark: bool = False) -> CsvDownload:
    """The header, then one line per public incident."""
    return csv_download(
        CSV_HEADER, incidents.public(), lambda public: public.count(), incident_rows, absolute_url, byte_order_mark
    )


def involvement_csv(incidents, absolute_url: Callable[[str], str], byte_order_mark: bool = False) -> CsvDownload:
    """The header, then one line per public involvement of the public incidents."""

    def count(public) -> int:
        involvements = Involvement.objects.using(public.db).of_public_actors()
        return involvements.filter(incident__in=public.order_by().values("pk")).count()

    return csv_download(INVOLVEMENT_HEADER, incidents.public(), count, involvement_rows, absolute_url, byte_order_mark)


def csv_download(header, public, count, rows_of, absolute_url, byte_order_mark: bool) -> CsvDownload:
    content = csv_content(header, public, count, rows_of, absolute_url, byte_order_mark)
    return CsvDownload(rows=next(content), content=content)


def csv_content(header, public, count, rows_of, absolute_url, byte_order_mark: bool) -> Iterator:
    """The number of rows first, then the file's bytes: the header at once, then a chunk of rows at
    a time. The transaction opens with the count, before the response's headers are sent, and
    closes with the last chunk, or when the response is closed early (the client went away)."""
    with snapshot(public.db):
        yield count(public)
        yield f"{BYTE_ORDER_MARK if byte_order_mark else ''}{csv_lines([header])}".encode()
        for rows in rows_of(public, absolute_url):
            yield csv_lines(rows).encode()


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
    with snapshot(incidents.db):
        return xlsx_file(CSV_HEADER, (row for rows in incident_rows(incidents, absolute_url) for row in rows))


def involvement_xlsx(incidents, absolute_url: Callable[[str], str]):
    with snapshot(incidents.db):
        return xlsx_file(
            INVOLVEMENT_HEADER, (row for rows in involvement_rows(incidents, absolute_url) for row in rows)
        )
