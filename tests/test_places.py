"""Places have names: the ISO name, names in other languages, common spellings. Pages show a place
in the reader's language, the regions page counts what lies inside each place, and a place's
name in a search finds everything inside it."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from core.text import normalise_name
from incidents.models import Incident
from places.iso import PLACE_NAMES, ensure_iso_places
from places.models import Place, PlaceName

from .factories import make_incident
from .search_helpers import found_everywhere

pytestmark = pytest.mark.django_db

MANGISTAU_INCIDENTS = [
    "amirov-flats-break-in-zhanaozen-2012",
    "halyk-maidan-aktau-office-search-2012",
    "amirova-arrest-aktau-airport-2012",
    "zhanaozen-events-16-december-2011",
    "shooting-amirova-saktaganova-zhanaozen-2011",
    "mangistau-oil-strike-2011",
    "natalia-sokolova-conviction",
]


def test_the_names_file_is_what_the_script_builds_from_pycountry():
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_place_names.py"
    spec = importlib.util.spec_from_file_location("build_place_names", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert json.loads(PLACE_NAMES.read_text(encoding="utf-8"))["places"] == module.build()


def test_iso_places_come_with_their_names_in_other_languages():
    kazakhstan = Place.objects.get(iso_code="KZ")
    assert (kazakhstan.name_ru, kazakhstan.name_kk) == ("Казахстан", "Қазақстан")
    mangistau = Place.objects.get(iso_code="KZ-47")
    assert mangistau.name_ru == "Мангистауская область"
    names = set(mangistau.names.values_list("name", "kind", "language", "script"))
    assert {
        ("Mangghystaū oblysy", "iso", "", "latin"),
        ("Мангистауская область", "language", "ru", "cyrillic"),
        ("Мангістаурська область", "language", "uk", "cyrillic"),
    } <= names
    assert Place.objects.get(iso_code="BO").name_en == "Bolivia"
    assert ("Republic of Kazakhstan", "language", "en") in kazakhstan.names.values_list("name", "kind", "language")


def test_a_database_emptied_and_filled_again_gets_the_names_back(without_demo):
    kazakh = Place.objects.filter(iso_code__startswith="KZ")
    PlaceName.objects.filter(place__in=kazakh)._raw_delete(PlaceName.objects.db)
    kazakh.update(name_ru="", name_kk="", names_normalised="")
    ensure_iso_places(Place)
    mangistau = Place.objects.get(iso_code="KZ-47")
    assert mangistau.name_ru == "Мангистауская область"
    assert normalise_name("Мангистауская") in mangistau.names_normalised
    assert mangistau.names.filter(language="ru").exists()
    created = PlaceName.history.filter(id__in=mangistau.names.values("id"), history_type="+")
    assert created.count() == mangistau.names.count()


def test_names_entered_by_someone_are_kept_when_the_iso_names_are_loaded_again():
    mangistau = Place.objects.get(iso_code="KZ-47")
    mangistau.name_ru = "Мангистау"
    mangistau.save()
    PlaceName.objects.create(place=mangistau, name="Mangyshlak", kind="spelling", language="en")
    ensure_iso_places(Place)
    mangistau.refresh_from_db()
    assert mangistau.name_ru == "Мангистау"
    assert mangistau.names.filter(name="Mangyshlak").exists()


def test_a_place_name_is_normalised_and_its_script_detected_on_save():
    name = PlaceName.objects.create(place=Place.objects.get(iso_code="RU-CE"), name="Чечня", language="ru")
    assert (name.normalised, name.script, name.kind) == (normalise_name("Chechnya"), "cyrillic", "spelling")
    assert name.normalised == normalise_name("Chechnia")  # any transliteration folds to the same key


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "Mangghystaū oblysy"), ("ru", "Мангистауская область"), ("kk", "Маңғыстау облысы")],
)
def test_a_place_is_shown_in_the_readers_language(demo, language, label):
    mangistau = Place.objects.get(iso_code="KZ-47")
    with translation.override(language):
        assert mangistau.label == label == str(mangistau)


def test_an_english_label_comes_before_the_iso_name_and_serves_languages_without_one():
    bolivia = Place.objects.get(iso_code="BO")
    bolivia.name_kk = ""
    with translation.override("en"):
        assert bolivia.label == "Bolivia"
    with translation.override("kk"):
        assert bolivia.label == "Bolivia"


def test_pages_show_places_in_the_readers_language(client, demo):
    russian = {"headers": {"accept-language": "ru"}}
    region = client.get("/regions/mangghystau-oblysy/", **russian).content.decode()
    assert "<h1>Мангистауская область</h1>" in region and ">Казахстан</a>" in region and ">Жанаозен</a>" in region
    detail = client.get("/incidents/amirova-arrest-aktau-airport-2012/", **russian).content.decode()
    trail = '>Международный аэропорт Актау</a>, <a href="/regions/aktau/">Актау</a>'
    assert trail in detail
    listing = client.get("/incidents/", {"q": "Amirova"}, **russian).content.decode()
    assert 'href="/regions/zhanaozen-microdistrict-5/">Microdistrict 5 (Orken), Zhanaozen</a>' in listing
    assert '<a href="/regions/aktau-airport/">Международный аэропорт Актау</a>' in listing


@pytest.mark.parametrize("typed", ["Mangistau", "mangystau", "Мангистау", "Маңғыстау", "Mangghystaū", "Мангістаурська"])
def test_any_name_of_a_region_finds_every_incident_inside_it(client, demo, typed):
    assert found_everywhere(client, {"q": typed}) == MANGISTAU_INCIDENTS


def test_a_name_added_in_the_admin_finds_the_incidents_inside_the_place(client, demo, signed_in):
    chechnya = Place.objects.get(iso_code="RU-CE")
    grozny = Place.objects.create(name="Grozny", kind="city", parent=chechnya)
    detention = make_incident(title="Blogger detained at home", place=grozny)
    assert found_everywhere(client, {"q": "Chechnya"}) == []
    researcher = signed_in("Researcher")
    response = researcher.post(
        reverse("admin:places_placename_add"),
        {"place": chechnya.pk, "name": "Chechnya", "kind": "spelling", "language": "en", "script": ""},
    )
    assert response.status_code == 302
    assert found_everywhere(client, {"q": "Chechnya"}) == [detention.slug]
    assert found_everywhere(client, {"q": "chechnya blogger"}) == [detention.slug]
    assert found_everywhere(client, {"q": "chechnya amirova"}) == []
    assert found_everywhere(client, {"q": "Grozny"}) == [detention.slug]


def test_a_place_name_finds_no_hidden_incident(client, demo):
    chechnya = Place.objects.get(iso_code="RU-CE")
    make_incident(title="Draft", place=chechnya, status="draft")
    make_incident(title="Secret", place=chechnya, confidential=True)
    assert found_everywhere(client, {"q": "Chechenskaya"}) == []


def test_the_search_counts_what_a_place_name_finds(client, demo):
    response = client.get("/incidents/", {"q": "Mangistau"})
    assert response.context["paginator"].count == 7
    assert [(bucket.slug, bucket.count) for bucket in response.context["facets"]["region"]] == [("kazakhstan", 7)]
    api = client.get("/api/incidents/", {"q": "Mangistau"}).json()
    assert api["count"] == 7


def test_the_place_admin_edits_names_inline(staff_client):
    mangistau = Place.objects.get(iso_code="KZ-47")
    html = staff_client.get(reverse("admin:places_place_change", args=[mangistau.pk])).content.decode()
    assert "Мангистауская область" in html and 'name="names-TOTAL_FORMS"' in html
    found = staff_client.get(reverse("admin:places_place_changelist"), {"q": "Мангистау"}).content.decode()
    assert "Mangghystaū oblysy" in found


def test_regions_page_lists_countries_and_regions_with_their_counts(client, demo):
    response = client.get("/regions/")
    assert response.status_code == 200
    countries = response.context["countries"]
    assert [(entry.country.slug, entry.country.count) for entry in countries] == [("kazakhstan", 9)]
    assert [(bucket.slug, bucket.count) for bucket in countries[0].regions] == [
        ("astana", 1),
        ("mangghystau-oblysy", 7),
    ]
    html = response.content.decode()
    assert 'href="/regions/kazakhstan/">Kazakhstan</a> <span class="count">(9)</span>' in html
    assert 'href="/regions/mangghystau-oblysy/">Mangghystaū oblysy</a> <span class="count">(7)</span>' in html
    for entry in countries:
        for bucket in [entry.country, *entry.regions]:
            assert client.get(f"/regions/{bucket.slug}/").context["paginator"].count == bucket.count


def test_regions_page_counts_only_public_incidents(client, demo):
    poland = Place.objects.get(iso_code="PL")
    make_incident(place=poland, status="draft")
    make_incident(place=poland, confidential=True)
    make_incident(place=None)
    assert [entry.country.slug for entry in client.get("/regions/").context["countries"]] == ["kazakhstan"]
    make_incident(place=Place.objects.get(iso_code="PL-14"))
    countries = client.get("/regions/").context["countries"]
    assert [(entry.country.slug, entry.country.count) for entry in countries] == [("kazakhstan", 9), ("poland", 1)]


def test_regions_page_is_linked_from_the_menu_and_the_home_page(client, demo):
    html = client.get("/").content.decode()
    assert html.count('href="/regions/"') == 2


def test_regions_page_in_russian_names_places_in_russian(client, demo):
    html = client.get("/regions/", headers={"accept-language": "ru"}).content.decode()
    assert ">Казахстан</a>" in html and ">Мангистауская область</a>" in html


def test_regions_page_query_count_does_not_grow(client, demo, django_assert_num_queries):
    # the sample's estimate, the public incidents' rows (their count and places), the places named
    with django_assert_num_queries(3):
        client.get("/regions/")
    for iso_code in ("PL-14", "UZ-TO", "KG-GB", "KZ-75"):
        for _ in range(3):
            make_incident(place=Place.objects.get(iso_code=iso_code))
    with django_assert_num_queries(3):
        response = client.get("/regions/")
    assert len(response.context["countries"]) == 4
    assert Incident.objects.public().count() == 21
