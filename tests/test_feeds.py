"""The Atom feed of newly verified incidents and sitemap.xml: public records only, absolute addresses."""

import xml.etree.ElementTree as ElementTree

import pytest

from incidents import workflow
from incidents.models import Incident
from people.models import Person

from .factories import involve, make_incident, make_person, make_user

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_the_atom_feed_lists_the_most_recently_verified_incident_first(client, demo):
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    newest = make_incident(title="Picket dispersed", status="submitted", created_by=researcher)
    workflow.verify(incident=newest, by=verifier, note="Checked.")
    make_incident(title="Draft never in the feed", status="draft")
    response = client.get("/incidents/feed.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert entries[0].findtext(f"{ATOM}title") == "Picket dispersed"
    assert entries[0].findtext(f"{ATOM}id") == f"urn:uuid:{newest.public_id}"
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://testserver{newest.get_absolute_url()}"
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert "Draft never in the feed" not in titles
    assert len(titles) == Incident.objects.public().count()


def test_the_atom_feed_is_titled_in_the_readers_language(client, demo):
    feed = ElementTree.fromstring(client.get("/incidents/feed.atom", HTTP_ACCEPT_LANGUAGE="ru").content)
    assert feed.findtext(f"{ATOM}title") == "Vigil: недавно проверенные инциденты"


def locations(client, address: str) -> list[str]:
    response = client.get(address)
    assert response.status_code == 200
    return [element.text for element in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")]


def test_the_sitemap_lists_every_public_record_and_nothing_else(client, demo):
    sections = locations(client, "/sitemap.xml")
    assert "http://testserver/sitemap-incidents.xml" in sections
    hidden = make_person("Confidential Person", confidential=True)
    involve(make_incident(), person=hidden)
    draft = make_incident(status="draft")
    incidents = locations(client, "/sitemap-incidents.xml")
    assert sorted(incidents) == sorted(
        f"http://testserver{incident.get_absolute_url()}" for incident in Incident.objects.public()
    )
    assert f"http://testserver{draft.get_absolute_url()}" not in incidents
    people = locations(client, "/sitemap-people.xml")
    assert "http://testserver/people/ajzhangul-amirova/" in people
    assert f"http://testserver{hidden.get_absolute_url()}" not in people
    assert all(Person.objects.get(slug=address.rstrip("/").rsplit("/", 1)[-1]).consent_to_publish for address in people)
    assert "http://testserver/detained/" in locations(client, "/sitemap-pages.xml")


def test_the_sitemap_and_the_feed_read_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get("/incidents/feed.atom")
    with django_assert_num_queries(2):  # the count, for the sitemap's parts, and the page
        client.get("/sitemap-incidents.xml")
    for _ in range(20):
        make_incident()
    with django_assert_num_queries(1):
        client.get("/incidents/feed.atom")
    with django_assert_num_queries(2):  # the count, for the sitemap's parts, and the page
        client.get("/sitemap-incidents.xml")
