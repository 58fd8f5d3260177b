"""Recompute what is kept on every custody period (`cases.publication`): needed only after
changing incidents, cases, people or custody periods with a bulk `QuerySet.update()`, which
sends no signal."""

from django.core.management.base import BaseCommand

from cases.publication import refresh_public_custody


class Command(BaseCommand):
    help = "Recompute whether each custody period is public and since when its custody runs unbroken."

    def handle(self, *args, **options):
        changed = refresh_public_custody()
        self.stdout.write(f"{changed:,} custody periods changed.")
