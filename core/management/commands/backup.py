from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite), the files its "
        "records refer to (evidence, source copies) and a manifest with row counts and every file's "
        "SHA-256, into FOLDER (new or empty). Consistent while the site keeps saving."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            make_backup(folder, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
