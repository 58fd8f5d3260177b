"""The demo places' other names, as researchers enter them in the admin: the spellings the demo
case's sources and readers use ("Mangistau"), and the Russian and Kazakh names that the ISO data
lacks for these places.

Loaded after the demo case by `manage.py load_demo`; safe to repeat.
"""

from django.db import transaction

from places.models import Place, PlaceName

SPELLING, LANGUAGE = PlaceName.Kind.SPELLING, PlaceName.Kind.LANGUAGE

# Place slug: (labels to set, [(name, kind, language)]).
DEMO_PLACE_NAMES = {
    "mangghystau-oblysy": (
        {"name_kk": "Маңғыстау облысы"},
        [
            ("Mangistau", SPELLING, "en"),
            ("Mangystau", SPELLING, "en"),
            ("Mangistau Region", LANGUAGE, "en"),
            ("Маңғыстау облысы", LANGUAGE, "kk"),
            ("Мангистау", SPELLING, "ru"),
        ],
    ),
    "astana": (
        {"name_ru": "Астана", "name_kk": "Астана"},
        [("Астана", LANGUAGE, "ru"), ("Астана", LANGUAGE, "kk")],
    ),
    "almaty": (
        {"name_kk": "Алматы"},
        [("Алматы", LANGUAGE, "kk"), ("Алматы", SPELLING, "ru")],
    ),
    "aktau": (
        {"name_ru": "Актау", "name_kk": "Ақтау"},
        [("Актау", LANGUAGE, "ru"), ("Ақтау", LANGUAGE, "kk"), ("Aqtau", SPELLING, "kk")],
    ),
    "aktau-airport": (
        {"name_ru": "Международный аэропорт Актау", "name_kk": "Ақтау халықаралық әуежайы"},
        [("Международный аэропорт Актау", LANGUAGE, "ru"), ("Ақтау халықаралық әуежайы", LANGUAGE, "kk")],
    ),
    "zhanaozen": (
        {"name_ru": "Жанаозен", "name_kk": "Жаңаөзен"},
        [("Жанаозен", LANGUAGE, "ru"), ("Жаңаөзен", LANGUAGE, "kk"), ("Janaozen", SPELLING, "en")],
    ),
}


@transaction.atomic
def add_demo_place_names() -> None:
    places = Place.objects.in_bulk(list(DEMO_PLACE_NAMES), field_name="slug")
    for slug, (labels, names) in DEMO_PLACE_NAMES.items():
        place = places[slug]
        if any(getattr(place, field) != text for field, text in labels.items()):
            for field, text in labels.items():
                setattr(place, field, text)
            place.save()
        for name, kind, language in names:
            PlaceName.objects.update_or_create(place=place, name=name, language=language, defaults={"kind": kind})
