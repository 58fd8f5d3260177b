"""The charts beside the search: incidents over time, and bars on the region, charge and type
facets. Each bar is a link to exactly as many results as it shows."""

import datetime
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from .factories import make_incident

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<li><a href="(?P<href>[^"]+)" title="(?P<label>[^":]+): (?P<count>[0-9]+)">')
ROW = re.compile(r"<tr><td>(?P<label>[^<]+)</td><td>(?P<count>[0-9]+)</td></tr>")


def timeline_of(html: str) -> tuple[str, list[tuple[str, str, int]], list[tuple[str, int]]]:
    """The chart's title, its linked bars (label, href, count), and its table of numbers."""
    chart = html.split('<figure class="chart over-time"', 1)[1].split("</figure>", 1)[0]
    title = re.search(r"<strong>([^<]+)</strong>", chart).group(1)
    bars = [(m["label"], unescape(m["href"]), int(m["count"])) for m in BAR.finditer(chart)]
    table = [(m["label"], int(m["count"])) for m in ROW.finditer(chart)]
    return title, bars, table


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"region": "mangghystau-oblysy"},
        {"date_from": "2011-01-01", "date_to": "2012-12-31"},
        {"q": "amirova", "date_from": "2011-06-15"},
        {"date_from": "2013-03-01", "date_to": "2019-06-30"},
    ],
)
def test_every_bar_of_the_timeline_leads_to_exactly_its_count(client, demo, params):
    response = client.get("/incidents/", params)
    title, bars, table = timeline_of(response.content.decode())
    assert bars
    assert [(label, count) for label, _href, count in bars] == [(label, count) for label, count in table if count]
    for label, href, count in bars:
        query = parse_qs(urlsplit(href).query)
        assert set(params) <= set(query), href
        narrowed = client.get("/incidents/", query)
        assert narrowed.context["paginator"].count == count, (title, label, href)


def test_a_span_of_a_few_years_is_charted_by_month_and_a_long_one_by_year(client, demo):
    title, bars, table = timeline_of(client.get("/incidents/", {"region": "mangghystau-oblysy"}).content.decode())
    # The strike goes on since May 2011, so the region's incidents span to this year.
    assert title == "Incidents per year"
    assert table[0][0] == "2011" and table[-1][0] == str(datetime.date.today().year)

    title, bars, table = timeline_of(
        client.get("/incidents/", {"date_from": "2011-01-01", "date_to": "2012-12-31"}).content.decode()
    )
    assert title == "Incidents per month"
    assert [label for label, _count in table][:2] == ["January 2011", "February 2011"]
    assert len(table) == 24
    assert dict(table)["January 2012"] == 4  # the strike and the three incidents of 6 January 2012


def test_months_without_incidents_are_drawn_empty_and_lead_nowhere(client, without_demo):
    make_incident(start_date=datetime.date(2020, 1, 10))
    make_incident(start_date=datetime.date(2020, 4, 10))
    title, bars, table = timeline_of(client.get("/incidents/").content.decode())
    assert title == "Incidents per month"
    assert table == [("January 2020", 1), ("February 2020", 0), ("March 2020", 0), ("April 2020", 1)]
    assert [label for label, _href, _count in bars] == ["January 2020", "April 2020"]


def test_the_facets_carry_bars_in_proportion(client, demo):
    html = client.get("/incidents/").content.decode()
    aside = html.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    types = aside.split("<h3>Type</h3>", 1)[1].split("</ul>", 1)[0]
    widths = [int(width) for width in re.findall(r'<rect width="([0-9]+)%"', types)]
    assert widths[0] == 100 and widths[-1] == 50  # two strikes or protests, one persecution
