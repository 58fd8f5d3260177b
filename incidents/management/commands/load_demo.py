from django.core.management.base import BaseCommand
from django.db import transaction

from incidents.demo import load_demo
from incidents.demo_place_names import add_demo_place_names
from incidents.models import Incident


class Command(BaseCommand):
    help = "Load the demo case (the 2012 arrest of Ajzhangul Amirova and its context), verified. Safe to repeat."

    def handle(self, *args, **options):
        with transaction.atomic():
            load_demo()
            add_demo_place_names()
        self.stdout.write(f"Demo case loaded: {Incident.objects.public().count()} verified incidents.")
