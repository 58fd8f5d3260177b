from django.core.management.base import BaseCommand, CommandError

from incidents.evidence import StoredFile


class Command(BaseCommand):
    help = (
        "Re-hash every stored evidence original and compare it with the SHA-256 recorded at upload. "
        "Reports each file that is missing or altered; exits with status 1 if there is any."
    )

    def handle(self, *args, **options):
        checked, problems = 0, 0
        for stored in StoredFile.objects.order_by("pk").iterator():
            checked += 1
            problem = stored.integrity_problem()
            if problem:
                problems += 1
                names = ", ".join(stored.attachments.values_list("original_filename", flat=True)) or "no attachment"
                self.stderr.write(f"{stored.original.name} ({names}): {problem}")
        if problems:
            raise CommandError(f"{problems} of {checked} stored files are missing or altered.")
        self.stdout.write(self.style.SUCCESS(f"All {checked} stored files match their recorded SHA-256."))
