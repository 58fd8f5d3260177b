"""Interventions: the appeals sent about an incident, a case or a person, their responses and
follow-up, staff-only but for how many were sent and the responses staff mark public."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from appeals.models import Intervention
from incidents.models import Incident
from organisations.models import Organisation

from .factories import make_organisation, make_user

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
TODAY = timezone.localdate()


def appeal(**fields) -> Intervention:
    defaults = {
        "incident": Incident.objects.get(slug=ARREST),
        "recipient_organisation": Organisation.objects.get(slug="kazakhstan-law-enforcement"),
        "sent_on": datetime.date(2012, 1, 7),
        "subject": "Release of Ajzhangul Amirova",
        "text_sent": "We ask for her immediate release.",
    }
    return Intervention.objects.create(**{**defaults, **fields})


def test_the_text_sent_is_kept_with_its_sha256_and_every_change_in_the_history(demo):
    intervention = appeal()
    assert intervention.text_sha256 == hashlib.sha256(b"We ask for her immediate release.").hexdigest()
    intervention.outcome = Intervention.Outcome.ACKNOWLEDGED
    intervention.save()
    assert [record.outcome for record in intervention.history.all()] == ["acknowledged", "awaiting"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"incident": None}, "Say what the appeal is about"),
        ({"recipient_organisation": None}, "Say to whom it was sent"),
        ({"response_received_on": datetime.date(2012, 1, 1)}, "cannot arrive before the appeal was sent"),
        ({"response_is_public": True}, "Only a response with its text"),
    ],
)
def test_an_incomplete_or_impossible_intervention_is_refused_with_a_reason(demo, changes, message):
    intervention = Intervention(
        incident=Incident.objects.get(slug=ARREST),
        recipient_organisation=make_organisation("Prosecutor's office"),
        sent_on=datetime.date(2012, 1, 7),
        subject="Appeal",
        text_sent="Text",
        **{name: value for name, value in changes.items() if value is not None},
    )
    for name, value in changes.items():
        if value is None:
            setattr(intervention, name, None)
    with pytest.raises(ValidationError, match=message):
        intervention.full_clean()


def test_the_follow_up_list_holds_what_is_due_and_still_open(demo):
    due = appeal(subject="Due", follow_up_on=TODAY - datetime.timedelta(days=1))
    appeal(subject="Answered", follow_up_on=TODAY, outcome=Intervention.Outcome.ACTION_TAKEN)
    appeal(subject="Later", follow_up_on=TODAY + datetime.timedelta(days=7))
    appeal(subject="No date")
    assert list(Intervention.objects.due_for_follow_up()) == [due]


def test_a_researcher_records_an_appeal_in_the_admin_and_finds_it_among_those_due(signed_in, demo):
    client = signed_in("Researcher")
    arrest = Incident.objects.get(slug=ARREST)
    police = Organisation.objects.get(slug="kazakhstan-law-enforcement")
    response = client.post(
        "/admin/appeals/intervention/add/",
        {
            "incident": arrest.pk,
            "recipient_organisation": police.pk,
            "sent_on": "2012-01-07",
            "channel": "email",
            "subject": "Urgent appeal",
            "text_sent": "We ask for her immediate release.",
            "outcome": "awaiting",
            "follow_up_on": (TODAY - datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    intervention = Intervention.objects.get(subject="Urgent appeal")
    assert intervention.created_by == client.user
    listed = client.get("/admin/appeals/intervention/?follow_up=due").content.decode()
    assert "Urgent appeal" in listed
    refused = client.post(
        "/admin/appeals/intervention/add/", {"sent_on": "2012-01-07", "subject": "x", "text_sent": "x"}
    )
    assert "Say what the appeal is about" in refused.content.decode()


def test_the_public_page_says_how_many_appeals_were_sent_and_shows_only_public_responses(client, demo):
    secret = make_organisation("Quiet Ministry", confidential=True)
    appeal(
        text_sent="Private wording of the appeal",
        response_received_on=datetime.date(2012, 2, 1),
        response_text="The detention was lawful.",
        response_is_public=True,
        outcome=Intervention.Outcome.NO_ACTION,
    )
    appeal(
        recipient_organisation=secret,
        response_received_on=datetime.date(2012, 2, 3),
        response_text="Not for the public.",
    )
    appeal(
        recipient_organisation=secret,
        response_received_on=datetime.date(2012, 2, 5),
        response_text="Public words.",
        response_is_public=True,
    )
    html = client.get(f"/incidents/{ARREST}/").content.decode()
    assert "3 appeals were sent about this incident." in html
    assert "The detention was lawful." in html and "Response of Law enforcement agencies of Kazakhstan" in html
    assert "Public words." in html and "Quiet Ministry" not in html
    for hidden in ("Private wording of the appeal", "Not for the public."):
        assert hidden not in html


def test_only_the_staff_roles_see_interventions(client, signed_in, demo):
    appeal()
    assert client.get("/admin/appeals/intervention/").status_code == 302  # to the sign-in page
    client.force_login(make_user(None))
    assert client.get("/admin/appeals/intervention/").status_code == 403
    assert signed_in("Verifier").get("/admin/appeals/intervention/").status_code == 200
