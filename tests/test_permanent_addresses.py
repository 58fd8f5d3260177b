"""A record's permanent address, /<kind>/<public_id>/, leads to its page for as long as it is public."""

import uuid

import pytest

from incidents import workflow
from incidents.models import Incident
from organisations.models import Organisation
from people.models import Person

from .factories import make_user

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def test_each_kind_of_record_answers_301_to_its_current_address(client, demo):
    for record in (
        Incident.objects.get(slug=ARREST),
        Person.objects.get(slug="ajzhangul-amirova"),
        Organisation.objects.get(slug="halyk-maidan"),
    ):
        response = client.get(record.get_permanent_url())
        assert response.status_code == 301
        assert response["Location"] == record.get_absolute_url()


def test_the_permanent_address_follows_a_corrected_slug(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    permanent = incident.get_permanent_url()
    Incident.objects.filter(pk=incident.pk).update(slug="amirova-detained-aktau-2012")
    assert client.get(permanent)["Location"] == "/incidents/amirova-detained-aktau-2012/"


def test_a_retracted_incident_leads_to_the_page_that_says_why(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    workflow.retract(incident=incident, by=make_user("Verifier"), reason="Withdrawn at the family's request.")
    response = client.get(incident.get_permanent_url(), follow=True)
    assert response.redirect_chain == [(incident.get_absolute_url(), 301)]
    assert response.status_code == 410


def test_records_the_public_may_not_see_have_no_permanent_address(client, demo):
    draft = Incident.objects.get(slug=ARREST)
    Incident.objects.filter(pk=draft.pk).update(status=Incident.Status.DRAFT)
    unnamed = Person.objects.get(slug="ajzhangul-amirova")
    Person.objects.filter(pk=unnamed.pk).update(consent_to_publish=False)
    hidden = Organisation.objects.get(slug="halyk-maidan")
    Organisation.objects.filter(pk=hidden.pk).update(confidential=True)
    for address in (
        draft.get_permanent_url(),
        unnamed.get_permanent_url(),
        hidden.get_permanent_url(),
        f"/incidents/{uuid.uuid4()}/",
    ):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "amirova" not in response.content.decode().lower().split("<main", 1)[1]


def test_every_record_page_offers_its_citation_with_the_permanent_address(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    page = client.get(incident.get_absolute_url()).content.decode()
    assert "Cite this record" in page
    assert f"http://testserver/incidents/{incident.public_id}/" in page
    assert "last verified" in page
    person = client.get("/people/ajzhangul-amirova/").content.decode()
    assert f"/people/{Person.objects.get(slug='ajzhangul-amirova').public_id}/" in person
    assert "last verified" in person
    organisation = client.get("/organisations/halyk-maidan/").content.decode()
    assert f"/organisations/{Organisation.objects.get(slug='halyk-maidan').public_id}/" in organisation
    for shown in (page, person, organisation):
        head, body = shown.split("<main", 1)
        assert "Cite this record" not in head  # in the page itself, not in its <title>
        assert '<h2 id="cite-heading">Cite this record</h2>' in body
