"""python manage.py import_records FILE [--dry-run] [--create-missing] [--valid-rows-only] --user NAME"""

import hashlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exchange import importing
from exchange.reading import BadFile, file_format, read_file


class Command(BaseCommand):
    help = (
        "Import incidents with their people, organisations, places, charges and sources from a CSV, XLSX or JSON "
        "file in the import layout. New incidents arrive as drafts; nothing is published."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The staff member the import is recorded under.")
        parser.add_argument("--dry-run", action="store_true", help="Say what each row would do; write nothing.")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create the people, organisations, places and sources that match no record, instead of an error.",
        )
        parser.add_argument(
            "--valid-rows-only",
            action="store_true",
            help="Import the rows without errors when some have errors (else a file with errors imports nothing).",
        )

    def handle(
        self, *args, file: Path, user: str, dry_run: bool, create_missing: bool, valid_rows_only: bool, **options
    ):
        try:
            staff = get_user_model().objects.get(username=user, is_active=True, is_staff=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active staff member is called “{user}”.") from None
        if not staff.has_perm("incidents.add_incident"):
            raise CommandError(f"“{user}” may not add incidents.")
        try:
            content = file.read_bytes()
            imported = read_file(file.name, content)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}.") from None
        except BadFile as error:
            raise CommandError(f"{file}: {error} Nothing was imported.") from None
        self.stderr.write(f"Checking {len(imported.rows)} rows…")
        checked = importing.check(imported, create_missing=create_missing)
        for error in checked.errors:
            self.stdout.write(str(error))
        summary = checked.summary()
        self.stdout.write(self.summary_line(summary, len(checked.missing)))
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
            return
        if summary["error"] and not valid_rows_only:
            raise CommandError(
                f"{summary['error']} rows have errors: nothing was imported. Correct them, or give --valid-rows-only."
            )
        batch = importing.write(
            checked,
            user=staff,
            file_name=file.name,
            file_sha256=hashlib.sha256(content).hexdigest(),
            file_format=file_format(file.name),
            create_missing=create_missing,
            progress=self.progress,
        )
        self.stderr.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Imported as batch {batch.pk}: new incidents are drafts, awaiting review.")
        )

    def progress(self, done: int, total: int) -> None:
        width = 40
        filled = width * done // max(total, 1)
        self.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} rows written", ending="")
        self.stderr.flush()

    @staticmethod
    def summary_line(summary: dict[str, int], missing: int) -> str:
        line = (
            f"{summary['created']} to create, {summary['updated']} to update, {summary['unchanged']} unchanged, "
            f"{summary['error']} with errors"
        )
        return f"{line}; {missing} missing records to create." if missing else f"{line}."
