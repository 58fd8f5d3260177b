from django.core.management.base import BaseCommand

from cases.demo import load_cases
from incidents.demo import load_demo
from incidents.models import Incident


class Command(BaseCommand):
    help = (
        "Load the demo case (the 2012 arrest of Ajzhangul Amirova and its context, with the criminal cases "
        "and custody it records), verified. Safe to repeat."
    )

    def handle(self, *args, **options):
        load_demo()
        load_cases()
        self.stdout.write(f"Demo case loaded: {Incident.objects.public().count()} verified incidents.")
