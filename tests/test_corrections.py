"""Published incidents change only when a verifier verifies: corrections, retraction, history."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from incidents import workflow
from incidents.models import Charge, Incident, IncidentTranslation, Involvement
from people.models import Person
from places.models import Place

from .factories import admin_form_data, make_incident, make_user

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
OLD_TITLE = "Ajzhangul Amirova arrested at Aktau airport"


def url(view: str, incident: Incident) -> str:
    return reverse(f"admin:incidents_incident_{view}", args=[incident.pk])


def propose(client, incident: Incident) -> Incident:
    response = client.post(url("correct", incident))
    correction = Incident.objects.get(revision_of=incident)
    assert response["Location"] == url("change", correction)
    return correction


def test_a_correction_stays_private_until_another_verifier_verifies_it(client, demo, signed_in):
    researcher, author_verifier, other_verifier = signed_in("Researcher"), signed_in("Verifier"), signed_in("Verifier")
    arrest = Incident.objects.get(slug=ARREST)
    involvement_ids = set(arrest.involvements.values_list("pk", flat=True))
    charge_ids = set(arrest.charges.values_list("public_id", flat=True))

    correction = propose(researcher, arrest)
    data = admin_form_data(researcher.get(url("change", correction)))
    data["title"] = "Corrected: Amirova detained at Aktau airport"
    description_field = next(name for name in data if name.startswith("involvements-0-description"))
    data[description_field] = "Detained on arrival, corrected wording"
    response = researcher.post(url("change", correction), data)
    assert response.status_code == 302, response.context["errors"] if response.context else response

    public_html = client.get(f"/incidents/{ARREST}/").content.decode()
    assert OLD_TITLE in public_html and "Corrected:" not in public_html
    assert "Corrected:" not in client.get("/incidents/").content.decode()
    assert client.get(correction.get_absolute_url()).status_code == 404
    assert Incident.objects.public().count() == 9

    researcher.post(url("submit", correction))
    researcher.post(url("review", correction), {"decision": "verify", "note": "Self-review"})
    assert Incident.objects.get(pk=correction.pk).status == "submitted"
    # A verifier who edited the correction cannot verify it either.
    data = admin_form_data(author_verifier.get(url("change", correction)))
    author_verifier.post(url("change", correction), data)
    author_verifier.post(url("review", correction), {"decision": "verify", "note": "Mine"})
    assert OLD_TITLE in client.get(f"/incidents/{ARREST}/").content.decode()

    review_page = other_verifier.get(url("review", correction)).content.decode()
    assert "Corrected: Amirova detained at Aktau airport" in review_page
    response = other_verifier.post(url("review", correction), {"decision": "verify", "note": "Checked the wording"})
    assert response.status_code == 302

    public_html = client.get(f"/incidents/{ARREST}/").content.decode()
    assert "Corrected: Amirova detained at Aktau airport" in public_html
    assert "corrected wording" in public_html
    arrest.refresh_from_db()
    assert arrest.status == "verified" and arrest.slug == ARREST
    assert arrest.verified_by == other_verifier.user and arrest.last_verified_at is not None
    assert set(arrest.involvements.values_list("pk", flat=True)) == involvement_ids
    assert set(arrest.charges.values_list("public_id", flat=True)) == charge_ids
    assert not Incident.objects.filter(pk=correction.pk).exists()
    assert arrest.history.filter(history_change_reason="Correction verified: Checked the wording").exists()
    assert f"Last verified on {arrest.last_verified_at:%-d %B %Y}" in public_html


def test_a_correction_can_add_and_remove_rows(demo):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    arrest = Incident.objects.get(slug=ARREST)
    correction = workflow.propose_correction(incident=arrest, by=researcher)
    correction.involvements.filter(role="victim").delete()
    Involvement.objects.create(incident=correction, role="witness", unidentified_actor="A passenger at the gate")
    correction.charges.update(status="indicted")
    workflow.submit(incident=correction, by=researcher)
    assert "A passenger" not in str(list(arrest.involvements.all()))
    changes = workflow.describe_correction(correction)
    assert any(line.startswith("new involvement") for line in changes)
    assert any(line.startswith("removed involvement") for line in changes)
    workflow.verify(incident=correction, by=verifier, note="Checked")
    assert arrest.involvements.filter(unidentified_actor="A passenger at the gate").exists()
    assert not arrest.involvements.filter(role="victim").exists()
    assert set(arrest.charges.values_list("status", flat=True)) == {"indicted"}


def test_a_correction_carries_the_translations_and_applies_their_changes(demo):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    arrest = Incident.objects.get(slug=ARREST)
    russian = IncidentTranslation.objects.create(incident=arrest, language="ru", title="Арест Амировой")
    correction = workflow.propose_correction(incident=arrest, by=researcher)
    assert correction.translations.get(language="ru").title == "Арест Амировой"
    correction.translations.update(title="Арест Айжангуль Амировой в Актау")
    IncidentTranslation.objects.create(incident=correction, language="kk", title="Амированың қамауға алынуы")
    workflow.submit(incident=correction, by=researcher)
    assert any(line.startswith("new translation") for line in workflow.describe_correction(correction))
    workflow.verify(incident=correction, by=verifier, note="Checked")
    russian.refresh_from_db()  # the same row, so its history continues
    assert russian.title == "Арест Айжангуль Амировой в Актау"
    assert set(arrest.translations.values_list("language", flat=True)) == {"ru", "kk"}


def test_only_one_correction_is_open_at_a_time(demo):
    arrest = Incident.objects.get(slug=ARREST)
    first = workflow.propose_correction(incident=arrest, by=make_user("Researcher"))
    assert workflow.propose_correction(incident=arrest, by=make_user("Researcher")) == first


def test_the_workflow_refuses_in_the_model_layer_too(demo):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    incident = make_incident(status="draft", created_by=verifier)
    workflow.submit(incident=incident, by=verifier)
    with pytest.raises(workflow.WorkflowError, match="four-eyes"):
        workflow.verify(incident=incident, by=verifier, note="Own entry")
    with pytest.raises(workflow.WorkflowError, match="does not allow"):
        workflow.verify(incident=incident, by=researcher, note="Not a verifier")
    with pytest.raises(workflow.WorkflowError, match="verification note"):
        workflow.verify(incident=incident, by=make_user("Verifier"), note="")
    with pytest.raises(workflow.WorkflowError, match="does not allow"):
        workflow.retract(incident=Incident.objects.get(slug=ARREST), by=researcher, reason="No")
    incident.refresh_from_db()
    assert incident.status == "submitted"


def test_a_retracted_incident_answers_410_with_its_reason(client, demo, signed_in):
    verifier = signed_in("Verifier")
    arrest = Incident.objects.get(slug=ARREST)
    verifier.post(url("retract", arrest), {"reason": "The family asked us to withdraw the record."})
    response = client.get(f"/incidents/{ARREST}/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "The family asked us to withdraw the record." in html
    assert OLD_TITLE not in html and "Article 164" not in html
    assert OLD_TITLE not in client.get("/incidents/").content.decode()


def test_a_retraction_needs_a_reason(demo, signed_in):
    verifier = signed_in("Verifier")
    arrest = Incident.objects.get(slug=ARREST)
    response = verifier.post(url("retract", arrest), {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    arrest.refresh_from_db()
    assert arrest.status == "verified"


def test_history_shows_who_changed_which_field_and_the_review_notes(demo, signed_in):
    researcher, verifier = signed_in("Researcher"), signed_in("Verifier")
    incident = make_incident(status="draft", title="Before the edit", created_by=researcher.user)
    data = admin_form_data(researcher.get(url("change", incident)))
    data["title"] = "After the edit"
    researcher.post(url("change", incident), data)
    researcher.post(url("submit", incident))
    verifier.post(url("review", incident), {"decision": "verify", "note": "Matches the court record"})
    html = verifier.get(url("history", incident)).content.decode()
    assert "Before the edit" in html and "After the edit" in html
    assert researcher.user.username in html and verifier.user.username in html
    assert "Submitted for review" in html
    assert "Verified: Matches the court record" in html


def test_history_cannot_be_edited_or_deleted_from_the_admin(demo, staff_client):
    incident = Incident.objects.get(slug=ARREST)
    record = incident.history.earliest()
    page = reverse("admin:incidents_incident_simple_history", args=[incident.pk, record.history_id])
    assert staff_client.get(page).status_code == 200
    assert staff_client.post(page, {"title": "Rewritten"}).status_code == 403
    incident.refresh_from_db()
    assert incident.title == OLD_TITLE
    assert not [model for model in admin.site._registry if model.__name__.startswith("Historical")]


def test_the_demo_command_is_recorded_in_the_history(demo):
    for model in (Incident, Involvement, Charge, Person, Place):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0
    call_command("load_demo", verbosity=0)
    assert Incident.history.filter(history_type="~").count() >= Incident.objects.count()


def test_places_the_demo_command_creates_in_bulk_are_recorded_too(db):
    Place.history.all().delete()  # as after a flush: the ISO places are created again in bulk
    call_command("load_demo", verbosity=0)
    assert Place.history.filter(history_type="+").count() == Place.objects.count()


def test_a_correction_can_be_discarded_and_the_published_incident_stays(client, demo, signed_in):
    researcher = signed_in("Researcher")
    shooting = Incident.objects.get(slug="shooting-amirova-saktaganova-zhanaozen-2011")
    evidence = list(shooting.evidence.values_list("pk", "description"))
    assert evidence, "the demo shooting has evidence, which a plain delete of the copy would trip over"
    correction = propose(researcher, shooting)
    assert correction.evidence.count() == len(evidence)
    response = researcher.post(url("discard", correction))
    assert response["Location"] == url("change", shooting)
    assert not Incident.objects.filter(pk=correction.pk).exists()
    assert list(shooting.evidence.values_list("pk", "description")) == evidence
    assert "lumbar region" in client.get(shooting.get_absolute_url()).content.decode()


def test_a_published_incident_cannot_be_deleted_even_outside_the_admin(demo):
    from incidents.models import ProtectedIncidentError

    arrest = Incident.objects.get(slug=ARREST)
    with pytest.raises(ProtectedIncidentError):
        arrest.delete()
    assert Incident.objects.filter(pk=arrest.pk).exists()
