from collections.abc import Iterator

from django.core.files.storage import Storage
from django.core.management.base import BaseCommand, CommandError

from evidence_files.models import StoredFile
from evidence_files.storage import evidence_storage


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence original and compare it with the SHA-256 recorded at upload. "
        "Reports each file that is missing or altered, and exits with status 1 if there is any; "
        "also lists files in the evidence storage that no record refers to."
    )

    def handle(self, *args, **options):
        checked, problems, referenced = 0, 0, set()
        for stored in StoredFile.objects.order_by("pk").iterator():
            checked += 1
            referenced.update({stored.original.name, stored.public_image.name, stored.thumbnail.name})
            problem = stored.integrity_problem()
            if problem:
                problems += 1
                names = ", ".join(stored.attachments.values_list("original_filename", flat=True)) or "no attachment"
                self.stderr.write(f"{stored.original.name} ({names}): {problem}")
        for name in sorted(set(stored_names(evidence_storage)) - referenced):
            self.stdout.write(self.style.WARNING(f"{name}: in storage, but no record refers to it"))
        if problems:
            raise CommandError(f"{problems} of {checked} stored files are missing or altered.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} stored files match their recorded SHA-256."))


def stored_names(storage: Storage, folder: str = "") -> Iterator[str]:
    directories, files = storage.listdir(folder)
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for directory in directories:
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)
