from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` from FOLDER into this site's database and storage, which must "
        "be empty. Every file is checked against the manifest's SHA-256 first; the row counts after."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            restore_backup(folder, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from error
