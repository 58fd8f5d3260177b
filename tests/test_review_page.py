"""Staff preview what they submit as the public will read it; verifiers review with the preview,
the sources and the evidence in front of them, and learn before writing a note whether they may."""

import pytest
from django.urls import reverse

from incidents import workflow
from incidents.models import Evidence, Incident
from people.models import Person
from sources.models import Citation, Source

from .factories import involve, make_incident, make_person, make_user

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def url(view: str, incident: Incident) -> str:
    return reverse(f"admin:incidents_incident_{view}", args=[incident.pk])


def submitted_by_a_researcher(**fields) -> Incident:
    researcher = make_user("Researcher")
    incident = make_incident(status="draft", created_by=researcher, last_edited_by=researcher, **fields)
    return workflow.submit(incident=incident, by=researcher)


def test_a_draft_is_previewed_as_the_public_will_read_it_and_stays_a_draft(client, signed_in):
    researcher = signed_in("Researcher")
    draft = make_incident(status="draft", title="Search of the Aktau office", created_by=researcher.user)
    involve(draft, "victim", person=make_person("Named Defender", consent_to_publish=True))
    involve(draft, "victim", person=make_person("Unnamed Witness", consent_to_publish=False))

    response = researcher.get(url("preview", draft))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Search of the Aktau office" in page and "Not published" in page
    # The preview goes through the public rule: a person without consent is not named.
    assert "Named Defender" in page and "Unnamed Witness" not in page and "Person A" in page
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # It is shown in a frame on the review page of the same site, and nowhere else.
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]

    draft.refresh_from_db()
    assert draft.status == "draft" and draft.last_verified_at is None
    assert not Incident.objects.public().filter(pk=draft.pk).exists()
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Search of the Aktau office" not in client.get("/incidents/").content.decode()


def test_nobody_signed_out_reaches_a_preview(client):
    draft = make_incident(status="draft", title="Search of the Aktau office")
    response = client.get(url("preview", draft))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


def test_a_correction_is_previewed_applied_to_its_published_incident(client, demo, signed_in):
    researcher = signed_in("Researcher")
    arrest = Incident.objects.get(slug=ARREST)
    correction = workflow.propose_correction(incident=arrest, by=researcher.user)
    correction.title = "Amirova detained at Aktau airport"
    correction.save()

    page = researcher.get(url("preview", correction)).content.decode()
    assert "Amirova detained at Aktau airport" in page and "Not published" in page
    public = client.get(f"/incidents/{ARREST}/").content.decode()
    assert "Ajzhangul Amirova arrested at Aktau airport" in public and "Amirova detained at" not in public
    assert Incident.objects.filter(pk=correction.pk, status="draft").exists()


def test_a_confidential_incident_preview_says_the_public_never_sees_it(signed_in):
    researcher = signed_in("Researcher")
    secret = make_incident(status="draft", title="Secret meeting", confidential=True)
    page = researcher.get(url("preview", secret)).content.decode()
    assert "confidential: the public never sees it" in page


def test_view_on_site_of_a_draft_opens_its_preview(signed_in, demo):
    researcher = signed_in("Researcher")
    draft = make_incident(status="draft", created_by=researcher.user)
    change_page = researcher.get(url("change", draft)).content.decode()
    assert f'href="{url("preview", draft)}"' in change_page
    published = Incident.objects.get(slug=ARREST)
    assert url("preview", published) not in researcher.get(url("change", published)).content.decode()


def test_the_review_page_shows_the_preview_sources_and_evidence(signed_in):
    verifier = signed_in("Verifier")
    incident = submitted_by_a_researcher(title="Arrest at the court house")
    public_source = Source.objects.create(title="Court press office", url="https://court.example/notice")
    secret_source = Source.objects.create(title="Lawyer's letter", confidential=True)
    Citation.objects.create(cited_record=incident, source=public_source, claim="record", confidence="high")
    Citation.objects.create(cited_record=incident, source=secret_source, claim="place", confidence="medium")
    Evidence.objects.create(incident=incident, kind="testimony", description="Account of a relative", confidential=True)

    page = verifier.get(url("review", incident)).content.decode()
    assert f'src="{url("preview", incident)}"' in page
    assert "Court press office" in page and "https://court.example/notice" in page
    assert "Lawyer&#x27;s letter" in page and "confidential: never shown to the public" in page
    assert "Account of a relative" in page
    assert 'name="note"' in page


@pytest.mark.parametrize("authorship", ["created_by", "last_edited_by", "submitted_by"])
def test_the_review_page_says_before_any_note_that_an_author_may_not_decide(signed_in, authorship):
    verifier = signed_in("Verifier")
    incident = submitted_by_a_researcher()
    Incident.objects.filter(pk=incident.pk).update(**{authorship: verifier.user})

    page = verifier.get(url("review", incident)).content.decode()
    assert page.count("another verifier must review it") == 1
    assert 'name="note"' not in page
    verifier.post(url("review", incident), {"decision": "verify", "note": "Mine"})
    assert Incident.objects.get(pk=incident.pk).status == "submitted"


def test_the_admin_menu_counts_the_review_queue(signed_in):
    verifier = signed_in("Verifier")
    submitted_by_a_researcher()
    submitted_by_a_researcher()
    make_incident(status="draft")
    assert "Review queue (2)" in verifier.get(reverse("admin:index")).content.decode()
    assert "Review queue" not in signed_in("Researcher").get(reverse("admin:index")).content.decode()


def test_a_preview_leaves_no_history_behind(signed_in, demo):
    researcher = signed_in("Researcher")
    arrest = Incident.objects.get(slug=ARREST)
    correction = workflow.propose_correction(incident=arrest, by=researcher.user)
    records_before = (arrest.history.count(), Person.history.count(), Citation.objects.count())
    researcher.get(url("preview", correction))
    assert (arrest.history.count(), Person.history.count(), Citation.objects.count()) == records_before
