"""Importing incidents from CSV, XLSX and JSON: a dry run that writes nothing, updates instead of
duplicates, every error at once, drafts only, batches that undo, and bad files refused whole."""

import csv
import hashlib
import io
import json
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from exchange import importing
from exchange.models import ImportBatch
from exchange.reading import BadFile, read_file
from incidents import workflow
from incidents.models import Incident
from people.models import Person

from .factories import make_incident, make_user

pytestmark = pytest.mark.django_db

HEADER = "title,type,start_date,place,summary,actors_by_role,people,organisations,charges,cited_sources\n"
TWO_ROWS = (
    HEADER
    + "Picket at the akimat dispersed,arrest,2012-02-03,Aktau,Ten people held for an hour.,"
    + '"victim: Айжангуль Амирова; perpetrator: Law enforcement agencies of Kazakhstan",Айжангуль Амирова,'
    + "Law enforcement agencies of Kazakhstan,,\n"
    + "Flat searched,search,2012-02,Zhanaozen,,victim: Saule Nurlanovna Zhaksybekova,"
    + "Saule Nurlanovna Zhaksybekova,,,\n"
)


@pytest.fixture
def researcher():
    return make_user("Researcher")


def write_file(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def run_import(path, user, *options) -> str:
    output = io.StringIO()
    call_command("import_records", str(path), "--user", user.username, *options, stdout=output, stderr=io.StringIO())
    return output.getvalue()


def exported_csv(client, query: str = "") -> str:
    return b"".join(client.get(f"/incidents/export.csv{query}").streaming_content).decode()


def test_the_public_export_reads_back_in_and_changes_nothing(client, demo, tmp_path, researcher):
    path = write_file(tmp_path, "export.csv", exported_csv(client))
    checked = importing.check(read_file(path.name, path.read_bytes()))
    assert checked.errors == []
    assert checked.summary() == {"created": 0, "updated": 0, "unchanged": Incident.objects.public().count(), "error": 0}


def test_a_name_is_matched_by_any_spelling_and_a_missing_one_is_an_error_naming_row_column_and_value(
    demo, tmp_path, researcher
):
    path = write_file(tmp_path, "picket.csv", TWO_ROWS)
    checked = importing.check(read_file(path.name, path.read_bytes()))
    assert [row.outcome for row in checked.rows] == ["created", "error"]
    assert checked.rows[0].plan.involvements[0][1].pk == Person.objects.get(slug="ajzhangul-amirova").pk
    (error, *_others) = checked.rows[1].errors
    assert (error.row, error.column, error.value) == (3, "actors_by_role", "Saule Nurlanovna Zhaksybekova")
    assert "No person or organisation has this name" in error.reason
    before = Incident.objects.count()
    with pytest.raises(CommandError, match="1 rows have errors: nothing was imported"):
        run_import(path, researcher)
    assert Incident.objects.count() == before


def test_every_error_of_a_file_is_reported_at_once(demo, tmp_path):
    rows = (
        "title,type,start_date,place,actors_by_role,charges\n"
        "One,no-such-type,2012-01-01,Aktau,,\n"
        "Two,arrest,2012-02-30,Atlantis,,\n"
        "Three,arrest,2012-01-01,Aktau,hero: Someone,Nobody: Article 999 (charged)\n"
    )
    checked = importing.check(read_file("bad.csv", rows.encode()))
    found = [(error.row, error.column, error.value) for error in checked.errors]
    assert found == [
        (2, "type", "no-such-type"),
        (3, "start_date", "2012-02-30"),
        (3, "place", "Atlantis"),
        (4, "actors_by_role", "hero: Someone"),
        (4, "charges", "Nobody: Article 999 (charged)"),
    ]
    assert all(error.reason for error in checked.errors)


def test_created_records_arrive_as_drafts_in_a_batch_and_a_second_import_changes_nothing(
    client, demo, tmp_path, researcher
):
    path = write_file(tmp_path, "picket.csv", TWO_ROWS)
    output = run_import(path, researcher, "--create-missing")
    assert "2 to create, 0 to update, 0 unchanged, 0 with errors; 1 missing records to create." in output
    batch = ImportBatch.objects.get()
    assert (batch.created_by, batch.created_count, batch.file_sha256) == (
        researcher,
        2,
        hashlib.sha256(path.read_bytes()).hexdigest(),
    )
    picket = Incident.objects.get(title="Picket at the akimat dispersed")
    assert picket.status == "draft" and picket.created_by == researcher
    assert picket.history.first().history_change_reason == f"Imported from picket.csv (batch {batch.pk})"
    assert {row.person.name if row.person else row.organisation.name for row in picket.involvements.all()} == {
        "Ajzhangul Amirova",
        "Law enforcement agencies of Kazakhstan",
    }
    assert Person.objects.filter(name="Saule Nurlanovna Zhaksybekova").exists()
    assert "Picket at the akimat" not in exported_csv(client)
    assert client.get(picket.get_absolute_url()).status_code == 404

    again = run_import(path, researcher, "--create-missing")
    assert "0 to create, 0 to update, 2 unchanged, 0 with errors." in again
    assert Incident.objects.filter(title="Picket at the akimat dispersed").count() == 1


def test_a_public_id_updates_a_draft_in_place_and_a_published_incident_through_a_correction(
    client, demo, tmp_path, researcher
):
    draft = make_incident(status="draft", title="Draft title")
    published = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")
    rows = f"public_id,title\n{draft.public_id},Draft title corrected\n{published.public_id},Arrest at Aktau airport\n"
    run_import(write_file(tmp_path, "titles.csv", rows), researcher)
    draft.refresh_from_db()
    assert draft.title == "Draft title corrected"
    correction = Incident.objects.get(revision_of=published)
    assert (correction.title, correction.status) == ("Arrest at Aktau airport", "draft")
    published.refresh_from_db()
    assert published.title == "Ajzhangul Amirova arrested at Aktau airport"  # the public reads no change yet


def test_an_unknown_public_id_is_an_error(demo):
    checked = importing.check(read_file("x.csv", b"public_id,title\n00000000-0000-0000-0000-000000000000,X\n"))
    assert checked.errors[0].column == "public_id"
    assert "No incident has this public identifier" in checked.errors[0].reason


def test_valid_rows_only_imports_the_rows_without_errors(demo, tmp_path, researcher):
    run_import(write_file(tmp_path, "picket.csv", TWO_ROWS), researcher, "--valid-rows-only")
    batch = ImportBatch.objects.get()
    assert (batch.created_count, batch.error_count) == (1, 1)
    assert Incident.objects.filter(title="Picket at the akimat dispersed").exists()
    assert not Incident.objects.filter(title="Flat searched").exists()


def test_a_dry_run_writes_nothing(demo, tmp_path, researcher):
    before = (Incident.objects.count(), Person.objects.count(), ImportBatch.objects.count())
    output = run_import(write_file(tmp_path, "picket.csv", TWO_ROWS), researcher, "--dry-run", "--create-missing")
    assert "Dry run: nothing was written." in output
    assert (Incident.objects.count(), Person.objects.count(), ImportBatch.objects.count()) == before


def test_a_batch_of_drafts_is_undone_in_one_action_and_not_once_one_is_verified(demo, tmp_path, researcher):
    draft = make_incident(status="draft", title="Kept draft")
    path = write_file(tmp_path, "picket.csv", TWO_ROWS)
    run_import(path, researcher, "--create-missing")
    run_import(write_file(tmp_path, "title.csv", f"public_id,title\n{draft.public_id},Renamed draft\n"), researcher)
    first, second = ImportBatch.objects.order_by("pk")
    importing.undo(second, by=researcher)
    draft.refresh_from_db()
    assert draft.title == "Kept draft"
    importing.undo(first, by=researcher)
    assert not Incident.objects.filter(title__in=["Picket at the akimat dispersed", "Flat searched"]).exists()
    assert not Person.objects.filter(name="Saule Nurlanovna Zhaksybekova").exists()
    assert Person.objects.filter(slug="ajzhangul-amirova").exists()
    first.refresh_from_db()
    assert first.undone_by == researcher

    run_import(path, researcher, "--create-missing")
    batch = ImportBatch.objects.latest("pk")
    picket = Incident.objects.get(title="Picket at the akimat dispersed")
    workflow.submit(incident=picket, by=researcher)
    assert "no longer drafts" in importing.undo_refusal(batch)
    with pytest.raises(workflow.WorkflowError):
        importing.undo(batch, by=researcher)
    assert Incident.objects.filter(pk=picket.pk).exists()


def xlsx_of(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filled(rows: list[dict]) -> list[dict]:
    return [{name: value for name, value in row.items() if value} for row in rows]


def test_the_three_formats_read_the_same_rows(demo):
    cells = list(csv.reader(io.StringIO(TWO_ROWS)))
    from_csv = read_file("a.csv", TWO_ROWS.encode())
    from_xlsx = read_file("a.xlsx", xlsx_of(cells))
    records = filled([dict(zip(cells[0], row, strict=True)) for row in cells[1:]])
    from_json = read_file("a.json", json.dumps({"incidents": records}, ensure_ascii=False).encode())
    assert len(from_csv.rows) == 2
    assert filled(from_xlsx.rows) == filled(from_csv.rows) == filled(from_json.rows)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cp1251.csv", "title\nАрест\n".encode("cp1251"), "not UTF-8"),
        ("formula.csv", b'title\n"=HYPERLINK(""http://x"")"\n', "holds a formula"),
        ("columns.csv", b"title,colour\nX,red\n", "Unknown columns: colour"),
        ("notes.txt", b"title\nX\n", "not a file this import reads"),
        ("empty.csv", b"", "The file is empty"),
        ("schema.json", b'{"incidents": [{"title": 5}]}', "does not match the layout"),
        ("broken.json", b'{"incidents": [', "cannot be read"),
        ("not-a-zip.xlsx", b"title\nX\n", "not an XLSX"),
    ],
)
def test_a_bad_file_is_refused_whole_with_a_clear_message(demo, name, content, message):
    with pytest.raises(BadFile, match=message):
        read_file(name, content)


def test_a_formula_cell_in_a_spreadsheet_is_refused(demo):
    with pytest.raises(BadFile, match="Cell A2 .*holds a formula"):
        read_file("f.xlsx", xlsx_of([["title"], ["=1+1"]]))


def test_a_spreadsheet_that_unpacks_to_far_more_than_it_weighs_is_refused(demo, settings):
    settings.IMPORT_MAX_BYTES = 2**20
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 2**20))
    with pytest.raises(BadFile, match="zip bomb"):
        read_file("bomb.xlsx", output.getvalue())


def test_a_file_over_the_size_limit_is_refused(demo, settings):
    settings.IMPORT_MAX_BYTES = 100
    with pytest.raises(BadFile, match="the limit is"):
        read_file("big.csv", b"title\n" + b"x" * 200 + b"\n")


def test_the_admin_shows_a_dry_run_then_imports_on_confirmation(client, demo, researcher):
    client.force_login(researcher)
    page = client.get("/admin/exchange/importbatch/import/")
    assert page.status_code == 200
    upload = io.BytesIO(TWO_ROWS.encode())
    upload.name = "picket.csv"
    preview = client.post("/admin/exchange/importbatch/import/", {"file": upload})
    html = preview.content.decode()
    assert "1 to create, 0 to update, 0 unchanged, 1 with errors." in html
    assert "Saule Nurlanovna Zhaksybekova" in html and "No person or organisation has this name" in html
    assert not Incident.objects.filter(title="Picket at the akimat dispersed").exists()
    token = preview.context["token"]
    refused = client.post("/admin/exchange/importbatch/import/", {"token": token})
    assert "nothing was imported" in refused.content.decode()
    assert not Incident.objects.filter(title="Picket at the akimat dispersed").exists()
    done = client.post("/admin/exchange/importbatch/import/", {"token": token, "valid_rows_only": "1"})
    assert done.status_code == 302
    batch = ImportBatch.objects.get()
    assert done["Location"] == f"/admin/exchange/importbatch/{batch.pk}/change/"
    assert Incident.objects.get(title="Picket at the akimat dispersed").status == "draft"
    assert "Undo this import" in client.get(done["Location"]).content.decode()


def test_the_templates_read_back_as_one_valid_row(demo, client, researcher):
    client.force_login(researcher)
    for extension in ("csv", "xlsx", "json"):
        response = client.get(f"/admin/exchange/importbatch/template.{extension}")
        assert response.status_code == 200
        assert len(read_file(f"template.{extension}", response.content).rows) == 1


def test_someone_without_the_import_permission_is_refused(client, demo):
    client.force_login(make_user(None))
    assert client.get("/admin/exchange/importbatch/import/").status_code == 403
