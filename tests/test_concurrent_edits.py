"""No lost updates: a stale form is refused with what changed, and a save is all or nothing."""

import pytest
from django.urls import reverse

from incidents.models import Charge, Incident, Involvement, StaleEditError

from .factories import admin_form_data, make_incident

pytestmark = pytest.mark.django_db


def change_url(incident: Incident) -> str:
    return reverse("admin:incidents_incident_change", args=[incident.pk])


def test_the_second_of_two_stale_edits_is_refused_and_the_first_is_kept(demo, signed_in):
    first, second = signed_in("Researcher"), signed_in("Researcher")
    incident = make_incident(status="draft", title="Original title", summary="Original summary")
    first_form = admin_form_data(first.get(change_url(incident)))
    second_form = admin_form_data(second.get(change_url(incident)))

    first_form["title"] = "Title from the first editor"
    assert first.post(change_url(incident), first_form).status_code == 302

    second_form["summary"] = "Summary from the second editor"
    response = second.post(change_url(incident), second_form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this incident after you opened it" in html
    assert "Original title" in html and "Title from the first editor" in html  # what changed, before → after
    assert first.user.username in html

    incident.refresh_from_db()
    assert incident.title == "Title from the first editor"
    assert incident.summary == "Original summary"


def test_the_version_check_holds_even_when_two_saves_race(demo):
    incident = make_incident(status="draft")
    opened_at = incident.version
    first, second = Incident.objects.get(pk=incident.pk), Incident.objects.get(pk=incident.pk)
    first.title = "First"
    first.save(expected_version=opened_at)
    second.title = "Second"
    with pytest.raises(StaleEditError):
        second.save(expected_version=opened_at)
    incident.refresh_from_db()
    assert incident.title == "First"


def test_a_failure_half_way_through_a_save_leaves_nothing_half_written(demo, signed_in, monkeypatch):
    researcher = signed_in("Researcher")
    incident = make_incident(status="draft", title="Untouched title")
    data = admin_form_data(researcher.get(change_url(incident)))
    arrest = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")
    charge = arrest.charges.first()
    data.update(
        {
            "title": "Half-saved title",
            "involvements-TOTAL_FORMS": "1",
            "involvements-0-role": "witness",
            "involvements-0-unidentified_actor": "Half-saved witness",
            "charges-TOTAL_FORMS": "1",
            "charges-0-person": str(charge.person_id),
            "charges-0-provision": str(charge.provision_id),
            "charges-0-status": "charged",
            "charges-0-date_precision": "day",
        }
    )

    def failing_save(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Charge, "save", failing_save)
    with pytest.raises(RuntimeError):
        researcher.post(change_url(incident), data)
    incident.refresh_from_db()
    assert incident.title == "Untouched title"
    assert not Involvement.objects.filter(unidentified_actor="Half-saved witness").exists()
