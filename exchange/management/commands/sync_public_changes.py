from django.core.management.base import BaseCommand

from exchange.changes import synchronise


class Command(BaseCommand):
    help = (
        "Compare every public record with what the change feed last said of it, and add what differs. "
        "Run it after writing records in bulk (QuerySet.update, bulk_create), which sends no signal."
    )

    def handle(self, *args, **options):
        added = synchronise()
        self.stdout.write(f"{added} changes added to the feed.")
