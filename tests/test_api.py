"""The read-only JSON API: same filters and results as the page, an OpenAPI schema, a docs page."""

import pytest
from django.db import connection

from incidents.models import Charge, Incident
from places.models import Place
from sources.models import Citation, Source

from .factories import involve, make_incident, make_organisation, make_person, make_provision
from .search_helpers import api_slugs, page_slugs

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def test_api_root_lists_the_incidents_endpoint(client, demo):
    response = client.get("/api/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json()) == {"incidents", "people", "organisations", "charges", "places", "detained", "changes"}
    assert response.json()["incidents"].endswith("/api/incidents/")


def test_incident_list_shows_the_case_with_actors_and_charges(client, demo):
    body = client.get("/api/incidents/", {"q": "Айжангуль", "type": "arrest"}).json()
    assert body["count"] == 1
    arrest = body["results"][0]
    assert arrest["slug"] == ARREST
    assert arrest["page"] == f"http://testserver/incidents/{ARREST}/"
    assert arrest["url"] == f"http://testserver/api/incidents/{ARREST}/"
    assert arrest["date"] == "6 January 2012, 09:30"
    assert arrest["type"] == {"slug": "arrest", "name": "Arrest or detention"}
    assert arrest["place"] == {"slug": "aktau-airport", "name": "Aktau International Airport"}
    assert {(i["role"], i["actor"], i["actor_kind"]) for i in arrest["involvements"]} == {
        ("victim", "Ajzhangul Amirova", "person"),
        ("perpetrator", "Law enforcement agencies of Kazakhstan", "organisation"),
    }
    [charge] = arrest["charges"]
    assert charge["person"] == "Ajzhangul Amirova"
    assert charge["status"] == "charged"
    assert charge["provision"]["slug"] == "kz-penal-code-1997-article-164"


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "mangghystau-oblysy"},
        {"q": "halyk maidan"},
        {"charge": "kz-penal-code-2014-article-174", "charge_equivalents": "1"},
        {"person": "ajzhangul-amirova", "date_to": "2011-12-31"},
    ],
)
def test_api_and_page_give_the_same_results(client, demo, params):
    assert api_slugs(client, params) == page_slugs(client, params)


def test_detail_and_hidden_incidents(client, demo):
    assert client.get(f"/api/incidents/{ARREST}/").json()["title"] == "Ajzhangul Amirova arrested at Aktau airport"
    draft = make_incident(title="Draft marker", status="draft")
    assert client.get(f"/api/incidents/{draft.slug}/").status_code == 404
    assert client.get("/api/incidents/", {"q": "draft marker"}).json()["count"] == 0


def test_confidential_involvements_are_left_out(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, role="witness", person=make_person("Secret Witness"), confidential=True)
    actors = [i["actor"] for i in client.get(f"/api/incidents/{ARREST}/").json()["involvements"]]
    assert "Secret Witness" not in actors


def test_the_api_is_read_only(client, demo):
    assert client.post("/api/incidents/", {"title": "x"}).status_code == 405
    assert client.delete(f"/api/incidents/{ARREST}/").status_code == 405


def test_schema_and_docs_page(client, demo):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    parameters = {p["name"] for p in schema.json()["paths"]["/api/incidents/"]["get"]["parameters"]}
    assert {
        "q",
        "region",
        "charge",
        "charge_equivalents",
        "type",
        "person",
        "organisation",
        "date_from",
        "date_to",
        "page",
    } <= parameters
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"/api/schema/" in client.get("/api/docs/?script=").content


def test_list_query_count_does_not_grow_with_the_page(client, demo, django_assert_num_queries):
    # sample estimate, count, page, then involvements and charges prefetched once each
    with django_assert_num_queries(5):
        client.get("/api/incidents/")
    for _ in range(30):
        involve(make_incident(), person=make_person())
    with django_assert_num_queries(5):
        response = client.get("/api/incidents/")
    assert len(response.json()["results"]) == 25
    # each filter that names a record looks it up once; person= also looks at how busy they are;
    # on PostgreSQL, q first looks whether it matches as typed at all (else it finds similar spellings)
    with django_assert_num_queries(9 if connection.vendor == "postgresql" else 8):
        client.get("/api/incidents/", {"region": "kazakhstan", "person": "ajzhangul-amirova", "q": "amirova"})


def test_people_endpoint_finds_any_name_variant_and_hides_unnamed_people(client, demo):
    make_person("Private Person", consent_to_publish=False)
    make_person("Secret Person", confidential=True)
    body = client.get("/api/people/", {"q": "Айжангуль"}).json()
    assert [person["slug"] for person in body["results"]] == ["ajzhangul-amirova"]
    assert "Айжангуль Амирова" in {variant["name"] for variant in body["results"][0]["name_variants"]}
    assert client.get("/api/people/", {"q": "person"}).json()["count"] == 0
    assert client.get("/api/people/", {"q": "x" * 500}).status_code == 400


def test_organisations_endpoint_finds_any_alias(client, demo):
    for typed in ("Popular Front", "Halyk Maidan"):
        slugs = [o["slug"] for o in client.get("/api/organisations/", {"q": typed}).json()["results"]]
        assert "halyk-maidan" in slugs


def test_charges_endpoint_counts_public_cases(client, demo):
    provision = client.get("/api/charges/kz-penal-code-1997-article-164/").json()
    assert provision["case_count"] == 2 and provision["article"] == "164"


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/api/people/", 3),  # count, page, name variants
        ("/api/organisations/", 3),  # count, page, aliases
        ("/api/charges/", 5),  # count, page, case counts: in the sample, capped count of charges, exact
    ],
)
def test_other_list_endpoints_query_count_does_not_grow(client, demo, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        client.get(url)
    for number in range(30):
        person = make_person()
        make_organisation()
        Charge.objects.create(
            person=person, provision=make_provision(f"8{number}"), incident=make_incident(), status="charged"
        )
    with django_assert_num_queries(queries):
        assert len(client.get(url).json()["results"]) == 25


def test_places_endpoint_gives_the_hierarchy_names_and_counts_that_its_links_give(client, demo):
    body = client.get("/api/places/").json()
    places = {place["slug"]: place for place in body["results"]}
    assert body["count"] == len(places) and "kazakhstan" in places
    # each place comes after the place it lies in
    order = [place["slug"] for place in body["results"]]
    for place in body["results"]:
        if place["parent"]:
            assert order.index(place["parent"]["slug"]) < order.index(place["slug"])
    region = places["mangghystau-oblysy"]
    assert region["parent"] == {"slug": "kazakhstan", "name": "Kazakhstan", "kind": "country", "iso_code": "KZ"}
    assert region["iso_name"] == "Mangghystaū oblysy" and region["name_by_language"]["ru"]
    assert {"Mangistau", "Маңғыстау облысы"} <= {name["name"] for name in region["names"]}
    assert region["incident_count"] == 7 and region["incident_count_is_exact"]
    for place in body["results"]:
        listed = client.get(place["incidents"]).json()
        assert listed["count"] == place["incident_count"], place["slug"]
    assert (
        client.get("/api/places/mangghystau-oblysy/", headers={"accept-language": "ru"}).json()["name"]
        == (region["name_by_language"]["ru"])
    )


def test_places_endpoint_leaves_out_places_without_public_incidents(client, demo):
    region = Place.objects.get(slug="mangghystau-oblysy")
    hidden = Place.objects.create(name="Draftville", kind="city", parent=region)
    make_incident(place=hidden, status="draft")
    make_incident(place=hidden, confidential=True)
    assert "draftville" not in {place["slug"] for place in client.get("/api/places/").json()["results"]}
    assert client.get("/api/places/draftville/").status_code == 404
    assert client.get("/api/places/mangghystau-oblysy/").json()["incident_count"] == 7


def test_places_endpoint_query_count_does_not_grow(client, demo, django_assert_num_queries):
    # public incidents' sample estimate and rows (the counts), count, page with parents, other names
    with django_assert_num_queries(5):
        client.get("/api/places/")
    region = Place.objects.get(slug="mangghystau-oblysy")
    for number in range(30):
        make_incident(place=Place.objects.create(name=f"Town {number}", kind="city", parent=region))
    with django_assert_num_queries(5):
        assert len(client.get("/api/places/").json()["results"]) == 25


def test_incident_detail_cites_its_sources_with_confidence_and_gives_the_whole_place_path(client, demo):
    incident = client.get(f"/api/incidents/{ARREST}/").json()
    assert [place["slug"] for place in incident["place_path"]] == [
        "kazakhstan",
        "mangghystau-oblysy",
        "aktau",
        "aktau-airport",
    ]
    assert incident["citations"] and {citation["confidence"] for citation in incident["citations"]} <= {
        "low",
        "medium",
        "high",
    }
    source = incident["citations"][0]["source"]
    assert source["title"] and not {"file", "notes", "contact_name", "contact_details"} & set(source)
    assert all("citations" in row for row in [*incident["involvements"], *incident["charges"]])


def test_incident_detail_never_cites_a_confidential_source(client, demo):
    secret = Source.objects.create(title="Secret informant report", confidential=True)
    incident = Incident.objects.get(slug=ARREST)
    Citation.objects.create(cited_record=incident, source=secret, confidence="high")
    Citation.objects.create(cited_record=incident.charges.first(), source=secret, confidence="high", claim="status")
    assert "Secret informant" not in client.get(f"/api/incidents/{ARREST}/").content.decode()


def test_incident_detail_query_count_is_fixed(client, demo, django_assert_num_queries):
    # incident, involvements, charges, the citations of all of them, the place's ancestors
    with django_assert_num_queries(5):
        client.get(f"/api/incidents/{ARREST}/")
