"""Record addresses (`get_absolute_url`) are the ones the URLconf resolves, wherever it is mounted."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, resolve, set_script_prefix

from incidents.models import Incident, LegalProvision
from organisations.models import Organisation
from people.models import Person
from places.models import Place

RECORDS = {
    "incidents:detail": Incident,
    "incidents:provision": LegalProvision,
    "incidents:region": Place,
    "people:detail": Person,
    "organisations:detail": Organisation,
}


@pytest.mark.parametrize("viewname", RECORDS)
@pytest.mark.parametrize("slug", ["aizhangul-amirova", "gen1-345137", "164", "a_b-C"])
def test_the_address_of_a_record_resolves_to_its_view(viewname, slug):
    address = RECORDS[viewname](slug=slug).get_absolute_url()
    match = resolve(address)
    assert match.view_name == viewname
    assert match.kwargs == {"slug": slug}


@pytest.mark.parametrize("not_a_slug", ["", "two words", "a/b", "../admin", "Амирова", "x?y=1"])
def test_a_value_that_is_not_a_slug_has_no_address(not_a_slug):
    with pytest.raises(NoReverseMatch):
        Incident(slug=not_a_slug).get_absolute_url()


def test_a_site_served_under_a_script_prefix_links_under_it():
    set_script_prefix("/vigil/")
    try:
        assert Person(slug="someone").get_absolute_url() == "/vigil/people/someone/"
    finally:
        set_script_prefix("/")
    assert Person(slug="someone").get_absolute_url() == "/people/someone/"


def test_another_urlconf_gives_its_own_addresses():
    with override_settings(ROOT_URLCONF="tests.urls_moved"):
        assert Incident(slug="case-1").get_absolute_url() == "/archive/cases/case-1/view/"
    assert Incident(slug="case-1").get_absolute_url() == "/incidents/case-1/"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("endpoint", "page_prefix"),
    [("incidents", "/incidents/"), ("people", "/people/"), ("organisations", "/organisations/"), ("charges", None)],
)
def test_every_api_record_links_to_its_own_api_address_and_page(client, demo, endpoint, page_prefix):
    results = client.get(f"/api/{endpoint}/").json()["results"]
    assert results
    for record in results:
        assert record["url"] == f"http://testserver/api/{endpoint}/{record['slug']}/"
        assert client.get(record["url"]).json()["slug"] == record["slug"]
        if page_prefix:
            assert record["page"] == f"http://testserver{page_prefix}{record['slug']}/"
            assert client.get(record["page"]).status_code == 200


@pytest.mark.django_db
def test_an_api_address_with_a_format_suffix_keeps_the_suffix_in_its_links(client, demo):
    listed = client.get("/api/incidents.json").json()["results"][0]
    assert listed["url"] == f"http://testserver/api/incidents/{listed['slug']}.json"
    assert client.get(listed["url"]).json()["slug"] == listed["slug"]
