"""The public incident list and page: verified records only, and a fixed number of queries."""

import pytest

from incidents.models import Incident, IncidentType, Involvement
from sources.models import Citation, Source

from .factories import make_incident

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def test_home_shows_count_and_latest_incidents(client, demo):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "9 verified incidents" in html
    assert "Ajzhangul Amirova arrested at Aktau airport" in html
    assert 'role="search"' in html and '<label for="home-q">' in html


def test_list_shows_verified_incidents_newest_first(client, demo):
    html = client.get("/incidents/").content.decode()
    positions = [
        html.index(title)
        for title in (
            "Amirov family flats in Zhanaozen",
            "Ajzhangul Amirova arrested at Aktau airport",
            "Ajzhangul Amirova and Zhanar Saktaganova shot at",
            "Oil workers&#x27; strike in Mangistau",
        )
    ]
    assert positions == sorted(positions)
    assert "6 January 2012, 09:30" in html


def test_incident_page_shows_the_whole_case(client, demo):
    response = client.get(f"/incidents/{ARREST}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for text in (
        "Ajzhangul Amirova",
        "Law enforcement agencies of Kazakhstan",
        "Article 164",
        "Incitement of social, national, clan, racial or religious discord",
        "Aktau International Airport",
        "Open Dialog Foundation",
        "high confidence",
    ):
        assert text in html, text


def test_shooting_page_shows_the_unidentified_attacker_and_public_evidence(client, demo):
    html = client.get("/incidents/shooting-amirova-saktaganova-zhanaozen-2011/").content.decode()
    assert "A young man, slim, about 18 to 20 years old" in html
    assert "8 October 2011, around 22:00" in html
    assert "lumbar region" in html


def test_staff_only_details_never_reach_the_public(client, demo):
    pages = [
        client.get(f"/incidents/{slug}/").content.decode() for slug in Incident.objects.values_list("slug", flat=True)
    ]
    pages.append(client.get("/incidents/").content.decode())
    for html in pages:
        assert "flats 15 and 16" not in html
        assert "building 62" not in html
        assert "lyudmylakozlovska" not in html
        assert "telephone call" not in html  # a relatives' statement, marked confidential


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "retracted"])
def test_unverified_incidents_are_not_public(client, demo, status):
    hidden = make_incident(title="Zebrafish marker incident", status=status)
    assert "Zebrafish" not in client.get("/incidents/").content.decode()
    assert "Zebrafish" not in client.get("/").content.decode()
    response = client.get(hidden.get_absolute_url())
    # A retracted incident was public once: its address says it is gone (410), without its content.
    assert response.status_code == (410 if status == "retracted" else 404)
    assert "Zebrafish" not in response.content.decode()


def test_confidential_incidents_and_involvements_are_not_public(client, demo):
    hidden = make_incident(title="Quokka marker incident", confidential=True)
    assert "Quokka" not in client.get("/incidents/").content.decode()
    assert client.get(hidden.get_absolute_url()).status_code == 404
    arrest = Incident.objects.get(slug=ARREST)
    Involvement.objects.create(incident=arrest, role="witness", unidentified_actor="Axolotl witness", confidential=True)
    assert "Axolotl" not in client.get(arrest.get_absolute_url()).content.decode()


def test_list_query_count_does_not_grow_with_the_page(client, demo, django_assert_num_queries):
    # sample estimate; the result set's rows, which are its count and the rows of the region,
    # type and year facets; page, incident types (for the form and the type facet), the places
    # the facets name; charges 2; the places of the map
    search = 8
    # the pickers, made once and kept: the region picker's sample estimate, rows and places;
    # the charge picker's provisions and their jurisdictions
    pickers = 5
    with django_assert_num_queries(search + pickers):
        client.get("/incidents/")
    for _ in range(30):
        make_incident()
    with django_assert_num_queries(search):
        response = client.get("/incidents/")
    assert len(response.context["incidents"]) == 25


def test_home_query_count_is_fixed(client, demo, django_assert_num_queries):
    for _ in range(15):
        make_incident()
    # sample estimate, rows counted (and grouped by type), their types, latest; the people held on
    # each of 13 days, counted in one query
    with django_assert_num_queries(5):
        client.get("/")


def test_detail_query_count_is_fixed(client, demo, django_assert_num_queries):
    # incident, involvements, charges, evidence; the citations of all of them in one query;
    # the links for the timeline and the public incidents they lead to; the place's ancestors; the
    # public criminal cases it is part of; the appeals about it
    with django_assert_num_queries(10):
        client.get(f"/incidents/{ARREST}/")


def test_the_incident_page_cites_its_rows_from_public_sources_only(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    charge = incident.charges.first()
    involvement = incident.involvements.filter(confidential=False).first()
    court_record = Source.objects.create(title="Court record 17")
    informant = Source.objects.create(title="Informant memo", confidential=True)
    Citation.objects.create(cited_record=charge, source=court_record, claim="status")
    Citation.objects.create(cited_record=involvement, source=informant, claim="role")
    html = client.get(f"/incidents/{ARREST}/").content.decode()
    charges = html.split("<h2>Charges</h2>", 1)[1].split("</ul>", 1)[0]
    assert 'title="Court record 17"' in charges
    assert "Informant memo" not in html


def test_a_page_past_the_end_is_a_404_not_a_500(client, demo):
    assert client.get("/incidents/", {"page": "99"}).status_code == 404
    assert client.get("/incidents/", {"page": "abc"}).status_code == 404


def test_home_counts_public_incidents_by_type(client, demo):
    make_incident(title="Hidden statement", incident_type=IncidentType.objects.get(slug="statement"), status="draft")
    types = {bucket.slug: bucket.count for bucket in client.get("/").context["incident_types"]}
    assert types["statement"] == 2 and types["arrest"] == 1
    assert "killing" not in types
