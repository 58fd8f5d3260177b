"""The demo's appeal: the emergency announcement the project started from, drafted again from the
verified records of the demo case (its facts, not its sentences), as on the day of the arrest."""

import datetime

from django.db import transaction

from incidents.models import Incident

from .drafting import candidate_incidents, draft_text, gather_facts
from .models import Appeal

ARREST = "amirova-arrest-aktau-airport-2012"
INCLUDED = [
    "shooting-amirova-saktaganova-zhanaozen-2011",
    ARREST,
    "halyk-maidan-aktau-office-search-2012",
    "amirov-flats-break-in-zhanaozen-2012",
]
WRITTEN_ON = datetime.date(2012, 1, 6)


@transaction.atomic
def load_appeals() -> None:
    """A draft press release about the arrest, written once: loading again keeps staff's edits."""
    arrest = Incident.objects.get(slug=ARREST)
    if Appeal.objects.filter(incident=arrest, template=Appeal.Template.PRESS_RELEASE).exists():
        return
    included = list(candidate_incidents(incident=arrest).filter(slug__in=INCLUDED))
    facts = gather_facts(included, "en", WRITTEN_ON, lead=arrest)
    title, text = draft_text(template=Appeal.Template.PRESS_RELEASE, language="en", facts=facts, today=WRITTEN_ON)
    appeal = Appeal.objects.create(
        template=Appeal.Template.PRESS_RELEASE, language="en", incident=arrest, title=title, text=text
    )
    appeal.incidents.set(included)
