"""What is kept on each custody period (public or not, and since when the custody runs unbroken)
follows every change that the public rule reads: reviews, corrections, consent, confidential
cases, periods added, moved or deleted. Kept wrong, it would list a person the public may not
see, or count their custody from a date that is still in review."""

import datetime
import io

import pytest

from cases.models import Case, CustodyPeriod
from cases.publication import refresh_public_custody
from incidents import workflow
from incidents.models import Incident
from people.models import Person

from .factories import make_incident, make_person, make_user

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
YEAR_AGO = TODAY - datetime.timedelta(days=365)


def hold(person, start, *, end=None, incident=None, **fields) -> CustodyPeriod:
    return CustodyPeriod.objects.create(
        person=person,
        incident=incident or make_incident(),
        kind=fields.pop("kind", "pre_trial"),
        start_date=start,
        end_date=end,
        end_reason="transferred" if end else "",
        last_confirmed=TODAY if end is None else None,
        **fields,
    )


def assert_kept_as_the_rule_says():
    kept = set(CustodyPeriod.objects.public().values_list("pk", flat=True))
    ruled = set(CustodyPeriod.objects.under_the_public_rule().values_list("pk", flat=True))
    assert kept == ruled
    recomputed = {row.pk: (row.is_public, row.custody_since) for row in CustodyPeriod.objects.all()}
    refresh_public_custody()
    assert recomputed == {row.pk: (row.is_public, row.custody_since) for row in CustodyPeriod.objects.all()}


def since(period: CustodyPeriod) -> datetime.date | None:
    period.refresh_from_db()
    return period.custody_since


def held_since_on_the_list(client) -> dict[str, str]:
    return {row["person"]["name"]: row["held_since"] for row in client.get("/api/detained/").json()["results"]}


def test_a_period_becomes_public_with_its_incident_and_leaves_with_it(client):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    person = make_person("Held Defender", consent_to_publish=True)
    draft = make_incident(status="draft", created_by=researcher, last_edited_by=researcher)
    period = hold(person, YEAR_AGO, incident=draft)
    assert not CustodyPeriod.objects.get(pk=period.pk).is_public and since(period) is None
    assert held_since_on_the_list(client) == {}

    workflow.submit(incident=draft, by=researcher)
    workflow.verify(incident=draft, by=verifier, note="Checked")
    assert since(period) == YEAR_AGO and held_since_on_the_list(client) == {"Held Defender": YEAR_AGO.isoformat()}
    assert_kept_as_the_rule_says()

    workflow.retract(incident=draft, by=verifier, reason="Wrong person")
    assert held_since_on_the_list(client) == {}
    assert_kept_as_the_rule_says()


def test_consent_and_a_confidential_case_take_a_person_off_the_list(client):
    person = make_person("Held Defender", consent_to_publish=True)
    case = Case.objects.create(title="Case of the defender")
    hold(person, YEAR_AGO, case=case)
    assert list(held_since_on_the_list(client)) == ["Held Defender"]

    case.confidential = True
    case.save()
    assert held_since_on_the_list(client) == {}
    case.confidential = False
    case.save()
    person.consent_to_publish = False
    person.save()
    assert held_since_on_the_list(client) == {}
    assert_kept_as_the_rule_says()


def test_custody_counts_from_the_first_public_period_without_a_gap(client):
    person = make_person("Held Defender", consent_to_publish=True)
    arrest = YEAR_AGO - datetime.timedelta(days=60)
    police = hold(person, arrest, end=arrest + datetime.timedelta(days=2), kind="police")
    pre_trial = hold(person, arrest + datetime.timedelta(days=3), end=YEAR_AGO - datetime.timedelta(days=1))
    sentence = hold(person, YEAR_AGO, kind="sentence")
    assert since(sentence) == since(pre_trial) == since(police) == arrest
    assert held_since_on_the_list(client) == {"Held Defender": arrest.isoformat()}

    # The first period still in review: the public count starts where the published record does.
    police.incident.status = "submitted"
    police.incident.save()
    assert since(sentence) == arrest + datetime.timedelta(days=3)
    assert held_since_on_the_list(client) == {"Held Defender": (arrest + datetime.timedelta(days=3)).isoformat()}

    # A gap of more than a day starts a new stretch.
    pre_trial.end_date = YEAR_AGO - datetime.timedelta(days=10)
    pre_trial.save()
    assert since(sentence) == YEAR_AGO
    pre_trial.delete()
    assert since(sentence) == YEAR_AGO
    assert_kept_as_the_rule_says()


def test_a_period_moved_to_another_person_leaves_the_first_ones_custody():
    first, second = (
        make_person("First Defender", consent_to_publish=True),
        make_person("Second Defender", consent_to_publish=False),
    )
    earlier = hold(first, YEAR_AGO - datetime.timedelta(days=30), end=YEAR_AGO - datetime.timedelta(days=1))
    later = hold(first, YEAR_AGO)
    assert since(later) == earlier.start_date
    earlier.person = second
    earlier.save()
    assert since(later) == YEAR_AGO
    assert not CustodyPeriod.objects.get(pk=earlier.pk).is_public  # the second person did not consent
    assert_kept_as_the_rule_says()


def test_a_verified_correction_of_the_start_moves_the_count(client):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    person = make_person("Held Defender", consent_to_publish=True)
    published = make_incident()
    period = hold(person, YEAR_AGO, incident=published)
    correction = workflow.propose_correction(incident=published, by=researcher)
    copy = CustodyPeriod.objects.get(incident=correction)
    assert not copy.is_public
    copy.start_date = YEAR_AGO - datetime.timedelta(days=100)
    copy.save()
    assert held_since_on_the_list(client) == {"Held Defender": YEAR_AGO.isoformat()}
    Incident.objects.filter(pk=correction.pk).update(last_edited_by=researcher)
    workflow.submit(incident=correction, by=researcher)
    workflow.verify(incident=correction, by=verifier, note="Earlier arrest confirmed")
    assert since(period) == YEAR_AGO - datetime.timedelta(days=100)
    assert_kept_as_the_rule_says()


def test_after_a_bulk_update_the_command_brings_what_is_kept_in_step(client):
    from django.core.management import call_command

    person = make_person("Held Defender", consent_to_publish=True)
    period = hold(person, YEAR_AGO)
    Person.objects.filter(pk=person.pk).update(consent_to_publish=False)  # sends no signal
    assert CustodyPeriod.objects.public().filter(pk=period.pk).exists()
    call_command("refresh_public_custody", stdout=io.StringIO())
    assert not CustodyPeriod.objects.public().filter(pk=period.pk).exists()
    assert held_since_on_the_list(client) == {}
