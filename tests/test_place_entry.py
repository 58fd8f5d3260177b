"""Researchers add the towns, districts, sites and facilities they need; countries and first-level
regions, from ISO 3166, stay with administrators."""

import pytest
from django.urls import reverse

from places.models import Place

pytestmark = pytest.mark.django_db

ADD = reverse("admin:places_place_add")


def place_form(name: str, kind: str, parent: Place) -> dict:
    return {
        "name": name,
        "name_en": "",
        "name_ru": "",
        "name_kk": "",
        "kind": kind,
        "parent": parent.pk,
        "slug": "",
        "iso_code": "",
        "latitude": "",
        "longitude": "",
        "names-TOTAL_FORMS": "1",
        "names-INITIAL_FORMS": "0",
        "names-MIN_NUM_FORMS": "0",
        "names-MAX_NUM_FORMS": "1000",
        "names-0-name": "Шетпе",
        "names-0-kind": "spelling",
        "names-0-language": "ru",
        "names-0-script": "",
    }


@pytest.mark.parametrize("role", ["Researcher", "Verifier"])
def test_a_researcher_adds_a_town_with_its_names_under_a_region(signed_in, demo, role):
    client = signed_in(role)
    mangistau = Place.objects.get(slug="mangghystau-oblysy")
    response = client.post(ADD, place_form("Shetpe", "city", mangistau))
    assert response.status_code == 302, response.content.decode()[:2000]
    town = Place.objects.get(name="Shetpe")
    assert town.path.startswith(mangistau.path) and town.names.get().name == "Шетпе"


def test_a_researcher_is_not_offered_and_cannot_add_a_region(signed_in, demo):
    client = signed_in("Researcher")
    form = client.get(ADD).content.decode()
    assert 'value="city"' in form and 'value="region"' not in form and 'value="country"' not in form
    kazakhstan = Place.objects.get(iso_code="KZ")
    response = client.post(ADD, place_form("New Region", "region", kazakhstan))
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not Place.objects.filter(name="New Region").exists()


def test_countries_and_regions_open_read_only_for_researchers_and_change_for_administrators(signed_in, demo):
    mangistau = Place.objects.get(slug="mangghystau-oblysy")
    change = reverse("admin:places_place_change", args=[mangistau.pk])
    researcher = signed_in("Researcher")
    page = researcher.get(change).content.decode()
    assert 'name="_save"' not in page
    researcher.post(change, {**place_form("Renamed", "region", mangistau.parent), "names-TOTAL_FORMS": "0"})
    mangistau.refresh_from_db()
    assert mangistau.name != "Renamed"

    administrator = signed_in("Administrator")
    assert 'name="_save"' in administrator.get(change).content.decode()
    assert 'value="region"' in administrator.get(ADD).content.decode()
