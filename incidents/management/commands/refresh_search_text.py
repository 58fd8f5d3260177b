from django.core.management.base import BaseCommand

from incidents.models import Incident
from incidents.search import refresh_search_text


class Command(BaseCommand):
    help = "Rebuild the public search column of every incident (needed only after bulk updates)."

    def handle(self, *args, **options):
        refresh_search_text(Incident.objects.all())
        self.stdout.write(f"Search text rebuilt for {Incident.objects.count()} incidents.")
