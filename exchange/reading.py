"""Reading an import file (CSV, XLSX or JSON) into rows of text, or refusing it as a whole.

A file is refused, with one clear message and nothing stored, when it cannot be trusted as a
whole: over the size limit, not UTF-8, a spreadsheet that unpacks to far more than it weighs,
a formula in a cell, a JSON that does not match the layout, columns the layout does not know.
Problems of single rows are the importer's (`exchange.importing`), reported all at once.
"""

import csv
import io
import json
import zipfile
from dataclasses import dataclass

import jsonschema
from django.conf import settings
from django.utils.translation import gettext as _

from .layout import KNOWN_COLUMNS, LIST_COLUMNS, LIST_SEPARATOR, json_schema

FORMATS = ("csv", "xlsx", "json")
# What a spreadsheet program turns into a formula; the export writes such text after a quote.
FORMULA_STARTS = ("=", "+", "-", "@")
# An XLSX is a zip of XML; a real one unpacks to a few times its size, a zip bomb to thousands.
MAX_UNPACKED_RATIO = 100


class BadFile(Exception):
    """The file as a whole cannot be imported; the message says why, in the reader's language."""


@dataclass
class ImportFile:
    rows: list[dict[str, str | list[str]]]
    columns: list[str]
    # The line (CSV), row (XLSX) or position (JSON) of each row, as the user finds it in the file.
    row_numbers: list[int]


def file_format(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in FORMATS:
        raise BadFile(
            _("“%(name)s” is not a file this import reads: give a .csv, .xlsx or .json file.") % {"name": name}
        )
    return extension


def check_size(size: int) -> None:
    limit = settings.IMPORT_MAX_BYTES
    if size > limit:
        raise BadFile(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into smaller files.")
            % {"size": round(size / 2**20, 1), "limit": round(limit / 2**20, 1)}
        )


def read_file(name: str, content: bytes) -> ImportFile:
    check_size(len(content))
    if not content.strip():
        raise BadFile(_("The file is empty."))
    reader = {"csv": read_csv, "xlsx": read_xlsx, "json": read_json}[file_format(name)]
    imported = reader(content)
    check_columns(imported.columns)
    return imported


def check_columns(columns: list[str]) -> None:
    unknown = [name for name in columns if name not in KNOWN_COLUMNS]
    if unknown:
        raise BadFile(
            _("Unknown columns: %(unknown)s. The layout's columns are described on the import page.")
            % {"unknown": ", ".join(unknown)}
        )
    if "title" not in columns:
        raise BadFile(_("The file has no “title” column: is its first row the row of column names?"))


def unquoted(value: str, where: str) -> str:
    """A cell's text. A formula refuses the file; the quote the export puts before text that
    looks like one is taken off."""
    if value.startswith("="):
        raise BadFile(
            _("%(where)s holds a formula (“%(value)s”). Formulas are not imported: save the values instead.")
            % {"where": where, "value": value[:40]}
        )
    if value.startswith("'") and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def split_lists(row: dict[str, str]) -> dict[str, str | list[str]]:
    return {
        name: [item.strip() for item in value.split(LIST_SEPARATOR.strip()) if item.strip()]
        if name in LIST_COLUMNS
        else value.strip()
        for name, value in row.items()
    }


def read_csv(content: bytes) -> ImportFile:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadFile(
            _(
                "The file is not UTF-8 text (byte %(position)s cannot be read). Save it as “CSV UTF-8” "
                "(in Excel: Save As, CSV UTF-8; in LibreOffice: Character set Unicode (UTF-8))."
            )
            % {"position": error.start + 1}
        ) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        lines = list(reader)
    except csv.Error as error:
        raise BadFile(_("The CSV cannot be read: %(error)s.") % {"error": error}) from error
    header = [name.strip() for name in lines[0]] if lines else []
    rows, numbers = [], []
    for number, cells in enumerate(lines[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise BadFile(
                _("Line %(line)s has %(cells)s cells, more than the %(columns)s columns of the first line.")
                % {"line": number, "cells": len(cells), "columns": len(header)}
            )
        values = {
            name: unquoted(cell, _("Line %(line)s, column %(column)s") % {"line": number, "column": name})
            for name, cell in zip(header, cells, strict=False)
        }
        rows.append(split_lists(values))
        numbers.append(number)
    return ImportFile(rows, header, numbers)


def read_xlsx(content: bytes) -> ImportFile:
    check_unpacked_size(content)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        raise BadFile(_("The spreadsheet cannot be opened: %(error)s.") % {"error": error}) from error
    sheet = workbook.worksheets[0]
    header, rows, numbers = [], [], []
    for row in sheet.iter_rows():
        cells = [cell for cell in row if cell.value is not None]
        if not header:
            header = [str(cell.value).strip() for cell in row if cell.value is not None]
            continue
        if not cells:
            continue
        values = {}
        for cell in row:
            if cell.value is None or cell.column > len(header):
                continue
            name = header[cell.column - 1]
            where = _("Cell %(cell)s (column %(column)s)") % {"cell": cell.coordinate, "column": name}
            if cell.data_type == "f":
                raise BadFile(
                    _("%(where)s holds a formula (“%(value)s”). Formulas are not imported: save the values instead.")
                    % {"where": where, "value": str(cell.value)[:40]}
                )
            values[name] = unquoted(cell_text(cell.value), where)
        rows.append(split_lists(values))
        numbers.append(row[0].row)
    workbook.close()
    return ImportFile(rows, header, numbers)


def cell_text(value) -> str:
    """A cell's value as the text the layout reads: a date cell as an ISO date."""
    if hasattr(value, "date") and callable(value.date):
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def check_unpacked_size(content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise BadFile(_("The file is not an XLSX spreadsheet (it is not a zip archive).")) from error
    unpacked = sum(entry.file_size for entry in archive.infolist())
    if unpacked > max(len(content), 2**20) * MAX_UNPACKED_RATIO or unpacked > settings.IMPORT_MAX_BYTES * 20:
        raise BadFile(
            _(
                "The spreadsheet would unpack to %(size)s MB from a file of %(packed)s MB: it is refused as a "
                "possible zip bomb. Save it again from a spreadsheet program, or send it as CSV."
            )
            % {"size": round(unpacked / 2**20), "packed": round(len(content) / 2**20, 2)}
        )


def read_json(content: bytes) -> ImportFile:
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise BadFile(_("The file is not UTF-8 text: JSON is always UTF-8.")) from error
    except json.JSONDecodeError as error:
        raise BadFile(
            _("The JSON cannot be read: %(error)s (line %(line)s, column %(column)s).")
            % {"error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error
    errors = sorted(jsonschema.Draft202012Validator(json_schema()).iter_errors(document), key=lambda e: list(e.path))
    if errors:
        raise BadFile(
            _("The JSON does not match the layout: %(errors)s.")
            % {"errors": "; ".join(f"{'/'.join(map(str, e.path)) or '/'}: {e.message}" for e in errors[:10])}
        )
    rows, columns = [], []
    for record in document["incidents"]:
        for name in record:
            if name not in columns:
                columns.append(name)
        values = {
            name: ([unquoted(item, name) for item in value] if isinstance(value, list) else unquoted(value, name))
            for name, value in record.items()
        }
        texts = {name: value for name, value in values.items() if not isinstance(value, list)}
        rows.append({**values, **split_lists(texts)})
    return ImportFile(rows, columns, list(range(1, len(rows) + 1)))
