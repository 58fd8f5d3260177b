"""Facets: counts beside the results that follow the current filters, each a link to exactly that many."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.test.html import parse_html
from django.utils import timezone

from .factories import make_incident

pytestmark = pytest.mark.django_db

MANGISTAU = "mangghystau-oblysy"
STRIKE = "mangistau-oil-strike-2011"


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
        {"date_from": "2013-03-01", "date_to": "2019-06-30"},
        {"region": ["aktau", "zhanaozen"]},
        {"region": ["zhanaozen", "astana"], "date_to": "2011-12-31"},
        {"q": "Mangistau"},
    ],
)
def test_every_facet_link_gives_exactly_its_count_and_narrows(client, demo, params):
    response = client.get("/incidents/", params)
    total = response.context["paginator"].count
    links = facet_links(response.content.decode())
    assert {heading for heading, _, _ in links} >= {"Region", "Type", "Year"}
    for heading, href, count in links:
        query = parse_qs(urlsplit(href).query)
        assert set(params) <= set(query), href  # a link narrows the search, never drops a filter
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
    """The strike "since May 2011" is ongoing: it counts in 2011, in 2012 with the arrests, and in
    every year since, each of which finds it."""
    this_year = timezone.localdate().year
    years = client.get("/incidents/", {"date_from": "2012-01-01"}).context["facets"]["year"]
    since_2013 = [(str(year), 1) for year in range(this_year, 2012, -1)]
    assert [(bucket.label, bucket.count) for bucket in years] == [*since_2013, ("2012", 4)]
    every_year = client.get("/incidents/").context["facets"]["year"]
    assert [(bucket.label, bucket.count) for bucket in every_year] == [*since_2013, ("2012", 4), ("2011", 6)]
    for bucket in every_year[:-2]:
        query = {"date_from": bucket.date_from.isoformat(), "date_to": bucket.date_to.isoformat()}
        assert [incident.slug for incident in client.get("/incidents/", query).context["incidents"]] == [STRIKE]


def test_years_stop_at_the_end_of_the_date_range(client, demo):
    years = client.get("/incidents/", {"date_from": "2011-11-01", "date_to": "2014-02-15"}).context["facets"]["year"]
    assert [(bucket.label, bucket.count, str(bucket.date_from), str(bucket.date_to)) for bucket in years] == [
        ("2014", 1, "2014-01-01", "2014-02-15"),
        ("2013", 1, "2013-01-01", "2013-12-31"),
        ("2012", 4, "2012-01-01", "2012-12-31"),
        ("2011", 3, "2011-11-01", "2011-12-31"),
    ]


def test_region_facet_goes_one_level_down_from_each_chosen_region(client, demo):
    facets = client.get("/incidents/", {"region": [MANGISTAU, "astana"]}).context["facets"]
    assert [(bucket.slug, bucket.count) for bucket in facets["region"]] == [("zhanaozen", 3), ("aktau", 2)]
    facets = client.get("/incidents/", {"region": ["aktau", "zhanaozen"]}).context["facets"]
    assert [(bucket.slug, bucket.count) for bucket in facets["region"]] == [
        ("zhanaozen-microdistrict-5", 2),
        ("aktau-airport", 1),
    ]


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
