"""The admin is the entry tool: every page renders, and invalid combinations are form errors."""

import pytest
from django.contrib import admin
from django.urls import reverse

from evidence_files.models import EvidenceAccess
from incidents.models import Incident, IncidentType, Involvement
from people.models import Person
from places.models import Place

pytestmark = pytest.mark.django_db

PROJECT_APPS = {"places", "sources", "people", "organisations", "incidents"}
# Logs that the system writes: read-only in the admin, with no add page (tested in test_evidence).
SYSTEM_LOGS = {EvidenceAccess}
REGISTERED = sorted(
    (
        model
        for model in admin.site._registry
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy and model not in SYSTEM_LOGS
    ),
    key=lambda model: model._meta.label,
)


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_list_add_and_change_pages_render(staff_client, demo, model):
    assert staff_client.get(admin_url(model, "changelist")).status_code == 200
    assert staff_client.get(admin_url(model, "changelist"), {"q": "Amirova"}).status_code == 200
    assert staff_client.get(admin_url(model, "add")).status_code == 200
    record = model.objects.order_by("pk").last()
    assert record is not None, f"the demo case has no {model._meta.verbose_name}"
    assert staff_client.get(admin_url(model, "change", record.pk)).status_code == 200


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(admin_url(Incident, "changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def empty_inlines(response) -> dict:
    """Management-form data that submits every inline of an admin page with no rows."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def incident_form(staff_client, **overrides) -> dict:
    page = staff_client.get(admin_url(Incident, "add"))
    data = {
        **empty_inlines(page),
        "title": "Journalist detained in Almaty",
        "language": "en",
        "incident_type": IncidentType.objects.get(slug="arrest").pk,
        "status": "draft",
        "start_date": "2012-02-01",
        "start_precision": "day",
        "end_precision": "day",
    }
    data.update(overrides)
    return data


def test_a_valid_incident_is_saved_with_its_author(staff_client, demo):
    response = staff_client.post(admin_url(Incident, "add"), incident_form(staff_client))
    assert response.status_code == 302, response.context["errors"] if response.context else response
    incident = Incident.objects.get(title="Journalist detained in Almaty")
    assert incident.created_by.username == "editor"
    assert incident.slug == "journalist-detained-in-almaty"


def test_end_before_start_is_a_form_error(staff_client, demo):
    response = staff_client.post(admin_url(Incident, "add"), incident_form(staff_client, end_date="2012-01-01"))
    assert response.status_code == 200
    assert "The end date cannot be before the start date." in response.content.decode()
    assert not Incident.objects.filter(title="Journalist detained in Almaty").exists()


def test_an_involvement_naming_nobody_is_a_form_error(staff_client, demo):
    data = incident_form(staff_client)
    data.update(
        {
            "involvements-TOTAL_FORMS": "1",
            "involvements-0-role": "victim",
            "involvements-0-description": "Detained overnight",
        }
    )
    response = staff_client.post(admin_url(Incident, "add"), data)
    assert response.status_code == 200
    assert "Name exactly one actor" in response.content.decode()
    assert not Incident.objects.filter(title="Journalist detained in Almaty").exists()


def test_an_involvement_naming_two_actors_is_a_form_error(staff_client, demo):
    page = staff_client.get(admin_url(Involvement, "add"))
    data = {
        **empty_inlines(page),
        "incident": Incident.objects.first().pk,
        "role": "victim",
        "person": Person.objects.first().pk,
        "unidentified_actor": "someone",
    }
    response = staff_client.post(admin_url(Involvement, "add"), data)
    assert "Name exactly one actor" in response.content.decode()


def test_a_place_cannot_be_moved_inside_itself(staff_client, demo):
    aktau = Place.objects.get(slug="aktau")
    airport = Place.objects.get(slug="aktau-airport")
    data = {"name": "Aktau", "kind": "city", "parent": airport.pk, "slug": "aktau", "iso_code": ""}
    response = staff_client.post(admin_url(Place, "change", aktau.pk), data)
    assert response.status_code == 200
    assert "cannot be inside itself" in response.content.decode()
    aktau.refresh_from_db()
    assert aktau.parent.iso_code == "KZ-47"


def test_person_search_in_the_admin_matches_any_script(staff_client, demo):
    response = staff_client.get(admin_url(Person, "changelist"), {"q": "Амирова"})
    assert "Ajzhangul Amirova" in response.content.decode()
    autocomplete = staff_client.get(
        reverse("admin:autocomplete"),
        {"term": "Ayzhangul", "app_label": "incidents", "model_name": "involvement", "field_name": "person"},
    )
    (found,) = [result["text"] for result in autocomplete.json()["results"]]
    assert found.startswith("Ajzhangul Amirova — born 18 August 1972")


def test_the_add_form_leaves_out_the_sections_of_a_saved_record(staff_client, demo):
    """Review and record details exist once an incident is saved; the add form does not show them empty."""
    add_page = staff_client.get(admin_url(Incident, "add")).content.decode()
    assert "Review</h2>" not in add_page and "Record</h2>" not in add_page
    incident = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")
    change_page = staff_client.get(reverse("admin:incidents_incident_change", args=[incident.pk])).content.decode()
    assert "Review</h2>" in change_page and "Record</h2>" in change_page
