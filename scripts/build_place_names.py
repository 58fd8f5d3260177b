"""Write places/data/place_names.json: the names of the ISO 3166 countries and first-level regions in
the languages Vigil's records are written in, from the data that pycountry ships.

pycountry carries the Debian iso-codes catalogues: the ISO 3166-1 names of countries translated
into Russian, Kazakh, Belarusian and Ukrainian (gettext domain iso3166-1), and the ISO 3166-2 names
of subdivisions translated into Russian, Belarusian and Ukrainian (domain iso3166-2; there is no
Kazakh catalogue of subdivisions). A name its catalogue leaves untranslated is left out rather than
repeated under another language. English comes from the ISO data itself: a country's common name
("Bolivia" for "Bolivia, Plurinational State of") is its English label, and its official name
("Republic of Kazakhstan") is one more of its names.

The Unicode CLDR subdivision names were considered as a second source: for Kazakhstan and Russia
they hold only the ISO romanisations ("Mangghystaū oblysy"), no Kazakh or Russian names, so they
would add nothing here.

The migration `places.0006_iso_place_names` and `places.iso.ensure_iso_places` load the file. Run
this after upgrading pycountry, review the diff, and add a migration that loads the file again:

    python scripts/build_place_names.py
"""

import gettext
import json
from importlib.metadata import version
from pathlib import Path

import pycountry

TARGET = Path(__file__).resolve().parent.parent / "places" / "data" / "place_names.json"
# The languages records are written in besides English (`incidents.models.RECORD_LANGUAGES`).
LANGUAGES = ["ru", "kk", "be", "uk"]
# Those with a label column on Place (`name_ru`, `name_kk`): the interface languages.
LABEL_LANGUAGES = ["ru", "kk"]
ISO, LANGUAGE = "iso", "language"


def catalogues(domain: str) -> dict[str, gettext.GNUTranslations]:
    """The languages that have a catalogue for this domain, each with its catalogue."""
    found = {}
    for language in LANGUAGES:
        try:
            found[language] = gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language])
        except FileNotFoundError:
            continue
    return found


def translations(catalogue: gettext.GNUTranslations, english: list[str]) -> list[str]:
    """The translated ones of these English names, without repeats, in the order given."""
    names = [catalogue.gettext(name) for name in english]
    return list(dict.fromkeys(name for name, source in zip(names, english, strict=True) if name != source))


def entry(iso_name: str, english: list[str], label_en: str, translated: dict[str, list[str]]) -> dict:
    """One place: its label per language and every name as [name, kind, language]."""
    names = [[iso_name, ISO, "en" if english else ""]]
    names += [[name, LANGUAGE, "en"] for name in english if name != iso_name]
    labels = {"name_en": label_en}
    for language, found in translated.items():
        names += [[name, LANGUAGE, language] for name in found]
        if language in LABEL_LANGUAGES:
            labels[f"name_{language}"] = found[0] if found else ""
    for language in LABEL_LANGUAGES:
        labels.setdefault(f"name_{language}", "")
    return {**labels, "names": names}


def build() -> dict:
    places = {}
    country_catalogues = catalogues("iso3166-1")
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        common = getattr(country, "common_name", "")
        # The common name first: it is the label, in English and translated alike.
        english = list(
            dict.fromkeys(name for name in (common, country.name, getattr(country, "official_name", "")) if name)
        )
        translated = {language: translations(catalogue, english) for language, catalogue in country_catalogues.items()}
        places[country.alpha_2] = entry(country.name, english, common, translated)
    subdivision_catalogues = catalogues("iso3166-2")
    for subdivision in sorted(pycountry.subdivisions, key=lambda s: s.code):
        if subdivision.parent_code is not None:
            continue
        translated = {
            language: translations(catalogue, [subdivision.name])
            for language, catalogue in subdivision_catalogues.items()
        }
        # A subdivision's ISO name is in a romanisation of a local language that pycountry does not name.
        places[subdivision.code] = entry(subdivision.name, [], "", translated)
    return places


def write(places: dict) -> None:
    """One place per line, so that a pycountry upgrade shows as a readable diff."""
    lines = [f"  {json.dumps(code)}: {json.dumps(place, ensure_ascii=False)}" for code, place in places.items()]
    about = f"Built by scripts/build_place_names.py from pycountry {version('pycountry')}; do not edit by hand."
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(
        "{\n" + f' "about": {json.dumps(about)},\n "places": {{\n' + ",\n".join(lines) + "\n }\n}\n", encoding="utf-8"
    )


if __name__ == "__main__":
    write(build())
