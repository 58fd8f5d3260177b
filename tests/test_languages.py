"""The site in English, Russian and Kazakh: chosen by the reader, complete, and grammatical."""

import datetime
import importlib.util
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

from core.dates import DatePrecision, format_date
from incidents.models import Incident, IncidentTranslation, IncidentType, LegalProvision

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
ARREST = "amirova-arrest-aktau-airport-2012"
TRANSLATED = ("ru", "kk")
CATALOGUES = [
    ROOT / folder / language / "LC_MESSAGES" / "django.po"
    for folder in ("locale", "locale-completions")
    for language in TRANSLATED
]


def read_catalogue(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def strings_of(message) -> tuple:
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(path):
    catalogue = read_catalogue(path)
    untranslated = [message.id for message in catalogue if message.id and not all(strings_of(message))]
    fuzzy = [message.id for message in catalogue if message.id and message.fuzzy]
    assert not untranslated, f"{len(untranslated)} untranslated in {path.name}: {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy in {path.name}: {fuzzy[:5]}"
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy: Babel would not compile it"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_translation_keeps_the_placeholders_of_its_message(path):
    problems = [(message.id, [str(error) for error in errors]) for message, errors in read_catalogue(path).check()]
    assert not problems, problems[:5]


def test_the_completions_cover_every_message_of_django_that_kazakh_lacks():
    """What scripts/complete_catalogues.py would list today is listed and translated: an upgrade of
    Django or of a package that adds messages fails here until they are translated."""
    spec = importlib.util.spec_from_file_location("complete_catalogues", ROOT / "scripts" / "complete_catalogues.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    for language in TRANSLATED:
        needed = script.complete(language)
        missing = [message.id for message in needed if message.id and not all(strings_of(message))]
        assert not missing, f"{language}: {len(missing)} messages of Django or its packages untranslated: {missing[:5]}"


def test_the_language_comes_from_the_browser_and_the_address_stays_the_same(client, demo):
    response = client.get(f"/incidents/{ARREST}/", headers={"accept-language": "ru,en;q=0.5"})
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    vary = {part.strip().lower() for part in response["Vary"].split(",")}
    assert {"accept-language", "cookie"} <= vary
    page = response.content.decode()
    assert '<html lang="ru">' in page
    with translation.override("ru"):
        heading = translation.gettext("Who was involved")
    assert heading != "Who was involved" and f"<h2>{heading}</h2>" in page


def test_the_switcher_sets_a_cookie_that_wins_over_the_browser(client, demo):
    home = client.get("/", headers={"accept-language": "ru"})
    assert 'action="/i18n/setlang/"' in home.content.decode()
    answer = client.post("/i18n/setlang/", {"language": "kk"}, headers={"referer": "http://testserver/people/"})
    assert answer.status_code == 302 and answer["Location"] == "http://testserver/people/"
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "kk"
    page = client.get("/people/", headers={"accept-language": "ru"})
    assert page["Content-Language"] == "kk"
    assert '<html lang="kk">' in page.content.decode()


def test_an_unknown_language_changes_nothing(client, demo):
    answer = client.post("/i18n/setlang/", {"language": "xx"})
    assert settings.LANGUAGE_COOKIE_NAME not in answer.cookies
    assert client.get("/")["Content-Language"] == "en"


DATES = [
    # (date, precision, approximate, relation, English, Russian, Kazakh)
    (datetime.date(2012, 1, 6), "day", False, None, "6 January 2012", "6 января 2012 г.", "2012 жылғы 6 қаңтар"),
    (datetime.date(2011, 5, 1), "month", False, None, "May 2011", "май 2011 г.", "2011 жылғы мамыр"),
    (datetime.date(2011, 1, 1), "year", False, None, "2011", "2011 г.", "2011 жыл"),
    (
        datetime.date(2011, 5, 1),
        "month",
        False,
        "since",
        "since May 2011",
        "с мая 2011 г.",
        "2011 жылғы мамырдан бастап",
    ),
    (
        datetime.date(2012, 1, 6),
        "day",
        True,
        None,
        "around 6 January 2012",
        "около 6 января 2012 г.",
        "шамамен 2012 жылғы 6 қаңтар",
    ),
    (
        datetime.date(2011, 12, 1),
        "month",
        False,
        "until",
        "until December 2011",
        "до декабря 2011 г.",
        "2011 жылғы желтоқсанға дейін",
    ),
    (datetime.date(2011, 1, 1), "year", False, "since", "since 2011", "с 2011 г.", "2011 жылдан бастап"),
]


@pytest.mark.parametrize(("value", "precision", "approximate", "relation", "en", "ru", "kk"), DATES)
def test_dates_read_as_each_language_writes_them(value, precision, approximate, relation, en, ru, kk):
    for language, expected in (("en", en), ("ru", ru), ("kk", kk)):
        with translation.override(language):
            assert format_date(value, DatePrecision(precision), approximate, relation=relation) == expected


def test_vocabularies_follow_the_reader(demo):
    arrest = IncidentType.objects.get(slug="arrest")
    provision = LegalProvision.objects.get(slug="kz-penal-code-1997-article-164")
    with translation.override("ru"):
        assert str(arrest) == "Арест или задержание"
        assert provision.title == provision.title_original  # the official title is Russian
        assert str(Incident.Status.VERIFIED.label) != "verified"
    with translation.override("kk"):
        assert str(arrest) == "Қамауға алу немесе ұстау"
    with translation.override("en"):
        assert str(arrest) == "Arrest or detention" and provision.title == provision.title_en


def test_a_translated_record_shows_the_readers_language_and_says_so(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    IncidentTranslation.objects.create(
        incident=incident, language="ru", title="Арест Айжангуль Амировой в аэропорту Актау", summary="Перевод."
    )
    russian = client.get(incident.get_absolute_url(), headers={"accept-language": "ru"}).content.decode()
    assert "<h1>Арест Айжангуль Амировой в аэропорту Актау</h1>" in russian
    with translation.override("ru"):
        note = translation.gettext("Title and summary translated from English.")
    assert note in russian
    assert incident.title in russian  # the original, one click away
    english = client.get(incident.get_absolute_url(), headers={"accept-language": "en"}).content.decode()
    assert "Арест Айжангуль" not in english


class VisibleText(HTMLParser):
    """The text a reader sees, node by node, with the attributes that are read out or shown.

    Text marked as written in another language (`lang`: a record's own text, each language's
    name in the switcher) is in that language on purpose, and left out.
    """

    SHOWN_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
    VOID = {"input", "img", "br", "meta", "link", "hr"}

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.nodes: list[str] = []
        self.open: list[bool] = []  # per open element: is its text left out?

    @property
    def hidden(self) -> bool:
        return any(self.open)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if not self.hidden:
            self.nodes += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]
        if tag in self.VOID:
            return
        foreign = attributes.get("lang") not in (None, self.language) and tag != "html"
        self.open.append(tag in ("script", "style", "code") or foreign)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.open:
            self.open.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.nodes += [part.strip(" ·—–:;,.()[]") for part in re.split(r"[\n]", data) if part.strip()]


def english_interface_strings() -> set[str]:
    """The project's own English messages, as they would appear untranslated on a page."""
    catalogue = read_catalogue(ROOT / "locale" / "ru" / "LC_MESSAGES" / "django.po")
    texts = set()
    for message in catalogue:
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            if text and "%(" not in text and "{{" not in text and "<" not in text:
                texts.add(text.strip(" .:"))
    return texts


WALKED_PAGES = [
    "/",
    "/incidents/",
    "/incidents/?q=amirova&type=arrest",
    "/incidents/?date_from=2012-02-30",
    f"/incidents/{ARREST}/",
    "/people/",
    "/people/ajzhangul-amirova/",
    "/organisations/",
    "/organisations/halyk-maidan/",
    "/charges/",
    "/charges/kz-penal-code-1997-article-164/",
    "/regions/",
    "/regions/mangghystau-oblysy/",
    "/incidents/?region=mangghystau-oblysy&region=almaty&charge=kz-penal-code-1997-article-164",
    "/incidents/no-such-incident/",
    "/people/?page=99",
    "/cases/ajzhangul-amirova-article-164/",
    "/detained/",
    "/detained/?status=unknown",
    "/detained/?on=2012-01-07",
]


@pytest.mark.parametrize("address", ["/incidents/", "/detained/", "/api/incidents/", "/api/detained/"])
def test_an_address_that_names_nothing_is_refused_in_the_readers_language(client, demo, address):
    response = client.get(f"{address}?region=atlantis", headers={"accept-language": "ru"})
    assert response.status_code == 400
    assert "Не найдено: место с адресом «atlantis»." in response.content.decode()


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_interface_string_is_left_on_any_public_page(client, demo, language):
    english = english_interface_strings() - {"Vigil", "API"}
    for url in WALKED_PAGES:
        response = client.get(url, headers={"accept-language": language})
        parser = VisibleText(language)
        parser.feed(response.content.decode())
        left = sorted({node for node in parser.nodes if node in english})
        assert not left, f"{url} in {language} still shows {left}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_project_string_is_left_in_the_admin(admin_client, demo, language):
    english = english_interface_strings() - {"Vigil", "API"}
    arrest = Incident.objects.get(slug=ARREST)
    for url in (
        "/admin/",
        "/admin/incidents/incident/",
        f"/admin/incidents/incident/{arrest.pk}/change/",
        "/admin/incidents/incidenttype/",
        "/admin/people/person/",
        "/admin/two-factor/",
    ):
        response = admin_client.get(url, headers={"accept-language": language}, follow=True)
        parser = VisibleText(language)
        parser.feed(response.content.decode())
        left = sorted({node for node in parser.nodes if node in english})
        assert not left, f"{url} in {language} still shows {left}"
