"""Record addresses built by core.links.slug_url are the ones the URLconf resolves."""

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, resolve, reverse, set_script_prefix

from core.links import slug_url

VIEWS = ["incidents:detail", "incidents:provision", "incidents:region", "people:detail", "organisations:detail"]


@pytest.mark.parametrize("viewname", VIEWS)
@pytest.mark.parametrize("slug", ["aizhangul-amirova", "gen1-345137", "164", "a_b-C"])
def test_the_address_is_the_one_reverse_gives_and_it_resolves_to_the_view(viewname, slug):
    address = slug_url(viewname, slug)
    assert address == reverse(viewname, kwargs={"slug": slug})
    match = resolve(address)
    assert match.view_name == viewname
    assert match.kwargs == {"slug": slug}


@pytest.mark.parametrize("not_a_slug", ["", "two words", "a/b", "../admin", "Амирова", "x?y=1"])
def test_a_value_that_is_not_a_slug_has_no_address(not_a_slug):
    with pytest.raises(NoReverseMatch):
        slug_url("incidents:detail", not_a_slug)


def test_a_site_served_under_a_script_prefix_links_under_it():
    slug_url("people:detail", "first")
    set_script_prefix("/vigil/")
    try:
        assert slug_url("people:detail", "someone") == "/vigil/people/someone/"
    finally:
        set_script_prefix("/")
    assert slug_url("people:detail", "someone") == "/people/someone/"


def test_another_urlconf_gives_its_own_addresses():
    slug_url("incidents:detail", "first")
    with override_settings(ROOT_URLCONF="tests.urls_moved"):
        assert slug_url("incidents:detail", "case-1") == "/archive/cases/case-1/view/"
    assert slug_url("incidents:detail", "case-1") == "/incidents/case-1/"


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
