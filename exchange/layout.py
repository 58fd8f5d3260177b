"""The layout of an import file: its columns, what each takes, and the templates to download.

The columns are those of the incident export (`incidents.export`), so an exported file reads
back in; the export's derived columns (addresses, counts, the dating as words) are named here
as such and read nothing. Lists in one cell are separated by "; ".
"""

import csv
import io
import json
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    required: bool = False
    is_list: bool = False
    example: str = ""


COLUMNS = [
    Column(
        "public_id",
        _("The record's public identifier, from an export. Given, the row updates that incident."),
    ),
    Column("title", _("The incident's title."), required=True, example="Activist detained at Aktau airport"),
    Column("type", _("The incident type, by name or by its address name."), required=True, example="arrest"),
    Column(
        "start_date",
        _("When it happened: 2012, 2012-01 or 2012-01-06; “around 2011-05” when the sources give it roughly."),
        example="2012-01-06",
    ),
    Column("end_date", _("When it ended, if it lasted; written as the start date.")),
    Column("place", _("The place, by any of its names."), example="Aktau"),
    Column("summary", _("What happened, in a few sentences."), example="Detained on arrival and questioned."),
    Column(
        "actors_by_role",
        _("Who took part and how: “victim: name; perpetrator: name”. Roles: victim, perpetrator, witness, other."),
        is_list=True,
        example="victim: Ajzhangul Amirova; perpetrator: Mangistau regional police",
    ),
    Column(
        "people",
        _("Which of the names in actors_by_role and charges are people (by any spelling of their name)."),
        is_list=True,
        example="Ajzhangul Amirova",
    ),
    Column(
        "organisations",
        _("Which of the names in actors_by_role are organisations (by any of their names)."),
        is_list=True,
        example="Mangistau regional police",
    ),
    Column(
        "unidentified_actors",
        _("Which of the names in actors_by_role describe someone unidentified, in words."),
        is_list=True,
    ),
    Column(
        "charges",
        _("Charges: “person: provision (status)”, the provision by its reference or address name."),
        is_list=True,
        example="Ajzhangul Amirova: kz-penal-code-1997-art-164 (charged)",
    ),
    Column(
        "cited_sources",
        _("The sources the incident cites, by title or address (URL)."),
        is_list=True,
        example="Emergency announcement of 6 January 2012",
    ),
]

# Columns of the export that are worked out from the record: read back, they change nothing.
# (The country and region narrow down a place name that several places share.)
DERIVED_COLUMNS = {
    "url": _("the page's address"),
    "permanent_url": _("the permanent address"),
    "last_verified": _("the date of the last verification"),
    "date": _("the dating in words"),
    "period_start": _("the first day of the dating (read when start_date is not given)"),
    "period_end": _("the last day of the dating (read when start_date is not given)"),
    "country": _("the place's country"),
    "region": _("the place's region"),
    "sources": _("the number of sources"),
    "lowest_confidence": _("the lowest confidence of the citations"),
}

COLUMN_NAMES = [column.name for column in COLUMNS]
LIST_COLUMNS = {column.name for column in COLUMNS if column.is_list}
KNOWN_COLUMNS = set(COLUMN_NAMES) | set(DERIVED_COLUMNS)


def json_schema() -> dict:
    """The JSON form of the layout: {"incidents": [{column: text, or a list of texts for a list column}]}."""
    text = {"type": "string"}
    properties = dict.fromkeys(KNOWN_COLUMNS, text)
    for name in LIST_COLUMNS:
        properties[name] = {"anyOf": [text, {"type": "array", "items": text}]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["incidents"],
        "additionalProperties": False,
        "properties": {
            "incidents": {
                "type": "array",
                "items": {"type": "object", "properties": properties, "additionalProperties": False},
            }
        },
    }


def example_row() -> dict[str, str]:
    return {column.name: column.example for column in COLUMNS}


def csv_template() -> str:
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMN_NAMES)
    writer.writeheader()
    writer.writerow(example_row())
    return output.getvalue()


def json_template() -> str:
    row = {
        name: value.split(LIST_SEPARATOR) if name in LIST_COLUMNS and value else value
        for name, value in example_row().items()
    }
    return json.dumps({"incidents": [row]}, ensure_ascii=False, indent=2)


def xlsx_template() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("incidents")
    sheet.append(COLUMN_NAMES)
    sheet.append([example_row()[name] for name in COLUMN_NAMES])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
