"""Facets: counts beside the results that follow the current filters, each a link to exactly that many."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test.html import parse_html

from .factories import make_incident

pytestmark = pytest.mark.django_db

MANGISTAU = "mangghystau-oblysy"


def facet_links(html: str) -> list[tuple[str, str, int]]:
    """(heading, href, count) for every link in the facets column."""
    aside = html.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    links, heading = [], ""
    for section in parse_html(f"<div {aside}</div>").children:
        if getattr(section, "name", "") == "h3":
            heading = section.children[0]
        elif getattr(section, "name", "") == "ul":
            for item in section.children:
                anchor, count = item.children[0], item.children[1]
                href = dict(anchor.attributes)["href"]
                links.append((heading, href, int(count.children[0].strip("()"))))
    return links


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "amirova"},
        {"region": "kazakhstan"},
        {"region": MANGISTAU, "q": "Айжангуль"},
        {"date_from": "2012-01-01"},
    ],
)
def test_every_facet_link_gives_exactly_its_count_and_narrows(client, demo, params):
    response = client.get("/incidents/", params)
    total = response.context["paginator"].count
    links = facet_links(response.content.decode())
    assert {heading for heading, _, _ in links} >= {"Region", "Type", "Year"}
    for heading, href, count in links:
        query = dict(parse_qsl(urlsplit(href).query))
        assert {key: value for key, value in params.items() if key not in query}.items() <= query.items(), href
        narrowed = client.get("/incidents/", query)
        assert narrowed.status_code == 200
        assert narrowed.context["paginator"].count == count, (heading, href)
        assert 0 < count <= total


def test_facets_follow_the_text_search(client, demo):
    facets = client.get("/incidents/", {"q": "Сактаганова"}).context["facets"]
    assert [(bucket.label, bucket.count) for bucket in facets["type"]] == [
        ("Physical attack", 1),
        ("Public statement", 1),
    ]
    assert [(bucket.label, bucket.count) for bucket in facets["year"]] == [("2011", 2)]
    assert facets["charge"] == []


def test_region_facet_goes_one_level_down(client, demo):
    facets = client.get("/incidents/", {"region": MANGISTAU}).context["facets"]
    assert [(bucket.slug, bucket.count) for bucket in facets["region"]] == [("zhanaozen", 3), ("aktau", 2)]
    top = client.get("/incidents/").context["facets"]["region"]
    assert [(bucket.slug, bucket.count) for bucket in top] == [("kazakhstan", 9)]


def test_charge_facet_counts_cases_per_provision(client, demo):
    facets = client.get("/incidents/").context["facets"]
    assert [(bucket.slug, bucket.count) for bucket in facets["charge"]] == [("kz-penal-code-1997-article-164", 2)]


def test_an_ongoing_incident_counts_in_every_year_it_lasts(client, demo):
    years = client.get("/incidents/", {"date_from": "2012-01-01"}).context["facets"]["year"]
    assert [(bucket.label, bucket.count) for bucket in years] == [("2012", 4)]


def test_facets_show_places_in_the_readers_language(client, demo):
    facets = client.get("/incidents/", {"region": "kazakhstan"}, headers={"accept-language": "ru"}).context["facets"]
    assert [bucket.label for bucket in facets["region"]][:2] == ["Мангистауская область", "Астана"]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected"])
def test_hidden_incidents_are_never_counted(client, demo, status):
    before = client.get("/incidents/").context["facets"]
    make_incident(title="Hidden", status=status, place=None)
    make_incident(title="Secret", confidential=True)
    after = client.get("/incidents/").context["facets"]
    assert after == before
