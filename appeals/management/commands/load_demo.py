from django.core.management.base import BaseCommand

from appeals.demo import load_appeals
from cases.demo import load_cases
from incidents.demo import load_demo
from incidents.models import Incident


class Command(BaseCommand):
    help = (
        "Load the demo case (the 2012 arrest of Ajzhangul Amirova and its context, with the criminal cases "
        "and custody it records, and an appeal drafted from it), verified. Safe to repeat."
    )

    def handle(self, *args, **options):
        load_demo()
        load_cases()
        load_appeals()
        self.stdout.write(f"Demo case loaded: {Incident.objects.public().count()} verified incidents.")
