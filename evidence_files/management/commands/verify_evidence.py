from django.core.management.base import BaseCommand, CommandError

from core.storages import stored_names
from evidence_files.models import StoredFile
from evidence_files.services import delete_unrecorded_files
from evidence_files.storage import evidence_storage


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence original and compare it with the SHA-256 recorded at upload. "
        "Reports each file that is missing or altered, and exits with status 1 if there is any; "
        "also lists files in the evidence storage that no record refers to, and with "
        "--delete-unrecorded deletes them (what a save cut off by a crash left behind)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--delete-unrecorded",
            action="store_true",
            help="Delete the files that no record refers to, leaving those of saves still running alone.",
        )

    def handle(self, *args, delete_unrecorded: bool, **options):
        if delete_unrecorded:
            for name in delete_unrecorded_files():
                self.stdout.write(f"{name}: no record refers to it, deleted")
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
