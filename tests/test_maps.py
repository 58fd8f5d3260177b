"""Region maps: drawn on the server from the shipped boundaries, each region shaded by its count
and a link to a search that finds exactly that many; regions without a boundary listed beside."""

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test.html import parse_html

from places.maps import SHADES, boundaries, legend, shade_of
from places.models import Place

from .factories import involve, make_incident, make_person

pytestmark = pytest.mark.django_db

BOUNDARIES = Path(__file__).resolve().parent.parent / "places" / "boundaries"
MANGISTAU = "mangghystau-oblysy"


def map_links(html: str) -> list[tuple[str, int]]:
    """(href, count) of every shaded region, point and unmapped region of the page's maps."""
    links = []
    for figure in re.findall(r'<figure class="chart region-map".*?</figure>', html, re.S):
        for href, title in re.findall(r'<a href="([^"]+)"><(?:path|circle)[^>]*><title>([^<]+)</title>', figure):
            links.append((href.replace("&amp;", "&"), int(title.rsplit(": ", 1)[1].replace("\u202f", ""))))
    return links


def count_at(client, href: str) -> int:
    path, query = urlsplit(href).path or "/incidents/", parse_qs(urlsplit(href).query)
    response = client.get(path, query)
    assert response.status_code == 200, href
    return response.context["paginator"].count


@pytest.mark.parametrize("params", [{}, {"q": "amirova"}, {"region": "kazakhstan"}, {"date_from": "2012-01-01"}])
def test_every_region_of_the_search_map_leads_to_exactly_its_count(client, demo, params):
    response = client.get("/incidents/", params)
    html = response.content.decode()
    links = map_links(html)
    assert links, html[:200]
    total = response.context["paginator"].count
    for href, count in links:
        query = parse_qs(urlsplit(href).query)
        assert set(params) - {"region"} <= set(query), href  # the map narrows, never drops a filter
        assert count_at(client, href) == count, href
        assert 0 < count <= total


@pytest.mark.parametrize(
    "address",
    ["/regions/kazakhstan/", "/charges/{charge}/", "/people/ajzhangul-amirova/", "/organisations/halyk-maidan/"],
)
def test_the_maps_of_other_pages_lead_to_searches_with_their_counts(client, demo, address):
    from incidents.models import Charge

    charge = Charge.objects.public().select_related("provision").first().provision.slug
    html = client.get(address.format(charge=charge)).content.decode()
    links = map_links(html)
    assert links, address
    for href, count in links:
        assert href.startswith("/incidents/?"), href
        assert count_at(client, href) == count, href


def test_a_region_is_shaded_by_its_count_and_one_without_incidents_is_not(client, demo):
    html = client.get("/incidents/").content.decode()
    figure = re.search(r'<figure class="chart region-map".*?</figure>', html, re.S).group(0)
    mangistau = Place.objects.get(slug=MANGISTAU)
    shaded = re.search(rf'<a href="\?region={MANGISTAU}"><path d="[^"]+" fill="(#[0-9a-f]+)"><title>', figure)
    assert shaded.group(1) == SHADES[-1]  # the region with the most incidents
    assert f"{mangistau.label}: " in figure
    # Kostanay has no public incident: drawn grey, with no link and no count.
    assert '<path class="empty"' in figure
    assert "Qostanay" not in figure and "Костанай" not in figure
    assert figure.count("<li>") >= 2  # the legend


def test_a_region_without_a_boundary_is_listed_beside_the_map(client, demo):
    abai = Place.objects.get(iso_code="KZ-10")  # created in 2022; the shipped boundaries predate it
    assert "KZ-10" not in boundaries("KZ")
    incident = make_incident(title="Picket in Semey", place=abai)
    involve(incident, person=make_person())
    html = client.get("/incidents/").content.decode()
    beside = re.search(r"Not on the map \(no boundary for them\):(.*?)</p>", html, re.S).group(1)
    assert abai.label in beside and f"?region={abai.slug}" in beside


def test_a_place_with_coordinates_is_a_point_with_its_count(client, demo):
    aktau = Place.objects.get(slug="aktau")
    aktau.latitude, aktau.longitude = 43.65, 51.2
    aktau.save()
    html = client.get("/incidents/").content.decode()
    circle = r'<circle cx="[\d.]+" cy="[\d.]+" r="[\d.]+">'
    point = re.search(rf'<a href="\?region=aktau">{circle}<title>([^<]+)</title>', html)
    count = int(point.group(1).rsplit(": ", 1)[1])
    assert count == count_at(client, "/incidents/?region=aktau") > 0


def test_a_hidden_incident_is_never_counted_on_a_map(client, demo):
    before = dict(map_links(client.get("/incidents/").content.decode()))
    make_incident(status="draft", place=Place.objects.get(slug="aktau"))
    make_incident(confidential=True, place=Place.objects.get(slug="aktau"))
    assert dict(map_links(client.get("/incidents/").content.decode())) == before


def test_the_map_is_svg_in_the_page_within_its_size_budget(client, demo):
    html = client.get("/incidents/").content.decode()
    svg = re.search(r"<svg class=\"map\".*?</svg>", html, re.S).group(0)
    assert len(svg.encode()) <= 150 * 1024
    assert "http" not in svg  # nothing fetched from anywhere
    parse_html(svg)


def test_the_shipped_boundaries_stay_within_five_megabytes():
    files = list(BOUNDARIES.glob("*.json"))
    assert len(files) > 150
    assert sum(path.stat().st_size for path in files) <= 5 * 2**20
    assert (BOUNDARIES / "LICENSE.md").exists()


def test_the_largest_country_map_stays_within_its_size_budget(client, demo):
    """Russia, the largest map, drawn whole: under 150 KB of SVG."""
    from places.maps import Area, country_map

    regions = [Area(code=code, label=code, count=1, shown="1", href="?") for code in boundaries("RU")]
    drawn = country_map("Russia", "RU", regions)
    assert sum(len(shape.path) + 60 for shape in drawn.shapes) <= 150 * 1024


def test_shades_and_legend_agree():
    assert [shade_of(count, 10) for count in (1, 2, 3, 5, 10)] == [0, 0, 1, 2, 4]
    assert [span for _shade, span in legend(10)] == ["1–2", "3–4", "5–6", "7–8", "9–10"]
    assert legend(1) == [(SHADES[0], "1")]
