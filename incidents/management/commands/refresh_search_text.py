from django.core.management.base import BaseCommand

from incidents.models import Incident


class Command(BaseCommand):
    help = "Rebuild the public search column of every incident (needed only after bulk updates)."

    def handle(self, *args, **options):
        Incident.objects.all().refresh_search_text()
        self.stdout.write(f"Search text rebuilt for {Incident.objects.count()} incidents.")
