"""The region maps of a set of public incidents: a map per country in the results, its regions
shaded by the incidents inside each, from the same counted rows (or sample) as the facets."""

from collections import Counter
from collections.abc import Callable
from urllib.parse import urlencode

from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse

from places.maps import Area, CountryMap, country_map
from places.models import Place

from .facets import Counted, path_ids
from .results import SearchResults

# What a map reads of a place: its name in each language (`Place.label`), code, link and position.
MAP_FIELDS = ("slug", "name", "name_en", "name_ru", "name_kk", "iso_code", "path", "latitude", "longitude")


def maps_of(counted: Counted, link: Callable[[str], str]) -> list[CountryMap]:
    """A map per country with results; `link` gives the address of the search narrowed to a place
    (by its slug), which finds as many incidents as the map says."""
    counts: Counter[int] = Counter()
    depth: dict[int, int] = {}
    for path, count in counted.tallies.by_path.items():
        for level, pk in enumerate(path_ids(path)):
            counts[pk] += count
            depth[pk] = level
    if not counts:
        return []
    shallow = [pk for pk, level in depth.items() if level <= 1]
    deep = [pk for pk, level in depth.items() if level > 1]
    # The countries and regions, and of the places inside them only those a point can show.
    places = Place.objects.filter(Q(pk__in=shallow) | Q(pk__in=deep, latitude__isnull=False)).only(*MAP_FIELDS)
    places = {place.pk: place for place in places}

    def area(pk: int) -> Area:
        place = places[pk]
        return Area(
            code=place.iso_code,
            label=place.label,
            count=counts[pk],
            shown=str(counted.bucket(place.label, counts[pk])),
            href=link(place.slug),
            latitude=float(place.latitude) if place.latitude is not None else None,
            longitude=float(place.longitude) if place.longitude is not None else None,
        )

    maps = []
    for country in sorted((pk for pk, level in depth.items() if level == 0), key=lambda pk: places[pk].label):
        inside = [pk for pk in places if pk != country and places[pk].path.startswith(places[country].path)]
        regions = [area(pk) for pk in inside if depth[pk] == 1]
        points = [area(pk) for pk in inside if depth[pk] > 1]
        drawn = country_map(places[country].label, places[country].iso_code, regions, points)
        if drawn is not None:
            maps.append(drawn)
    return maps


def narrowed_to_region(query: QueryDict) -> Callable[[str], str]:
    """Links for the search page's map: the current search, in one region instead of any other."""

    def link(slug: str) -> str:
        narrowed = query.copy()
        narrowed.setlist("region", [slug])
        narrowed.pop("page", None)
        return f"?{narrowed.urlencode()}"

    return link


def search_link(**search) -> Callable[[str], str]:
    """Links to the search page with the `search` parameters, in one region."""

    def link(slug: str) -> str:
        return f"{reverse('incidents:list')}?{urlencode({**search, 'region': slug})}"

    return link


def maps_of_incidents(incidents, **search) -> list[CountryMap]:
    """The maps of a page's public incidents (a charge's, a person's), each region a link to the
    search page with the `search` parameters that find the same incidents, in it."""
    return maps_of(SearchResults.of(incidents).counted, search_link(**search))
