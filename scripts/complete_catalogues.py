"""Write the entries that the catalogues of Django and of the packages Vigil uses lack in Russian or
Kazakh into locale-completions/, keeping the translations already there.

Django's Kazakh catalogues leave part of the admin, sign-in and form messages untranslated, and
django-simple-history and django-filter ship no Kazakh (simple-history's Russian is filed under
ru_RU, which a site in "ru" never loads). An entry is listed when Russian has it and the language
does not; its Russian translation comes along as a comment, for the translator. Run it after
upgrading Django or one of these packages, translate the new entries, then
`make compile-messages`.
"""

import importlib
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "locale-completions"

# (package, folder of its catalogues) whose strings the admin and the public pages show.
SOURCES = [
    ("django", "contrib/admin/locale"),
    ("django", "contrib/auth/locale"),
    ("django", "contrib/contenttypes/locale"),
    ("django", "conf/locale"),
    ("simple_history", "locale"),
    ("django_filters", "locale"),
]
# Django's conf catalogue names every language Django knows; Vigil's pages show none of them.
LANGUAGE_NAME_SOURCE = "django/conf/global_settings.py"
PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "kk": "nplurals=2; plural=(n!=1);",
}


def catalogue(package: str, folder: str, locale_name: str) -> Catalog | None:
    path = Path(importlib.import_module(package).__file__).parent / folder / locale_name / "LC_MESSAGES" / "django.po"
    if not path.exists():
        return None
    with path.open("rb") as file:
        return read_po(file)


def translated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and all(strings) and not message.fuzzy


def is_language_name(message) -> bool:
    return any(LANGUAGE_NAME_SOURCE in location for location, _line in message.locations)


def complete(language: str) -> Catalog:
    path = TARGET / language / "LC_MESSAGES" / "django.po"
    kept = {}
    if path.exists():
        with path.open("rb") as file:
            kept = {(message.id, message.context): message for message in read_po(file) if message.id}
    result = Catalog(
        locale=language,
        project="Vigil",
        fuzzy=False,
        header_comment="# Entries that Django's and its packages' catalogues lack: scripts/complete_catalogues.py.",
    )
    result._set_mime_headers([("Plural-Forms", PLURAL_FORMS[language])])
    for package, folder in SOURCES:
        russian = catalogue(package, folder, "ru") or catalogue(package, folder, "ru_RU")
        own = catalogue(package, folder, language)  # the one Django loads for this language
        if russian is None:
            continue
        for message in russian:
            if not message.id or is_language_name(message) or not translated(message):
                continue
            existing = own.get(message.id, message.context) if own is not None else None
            if existing is not None and translated(existing):
                continue
            key = (message.id, message.context)
            if key in {(m.id, m.context) for m in result}:
                continue
            previous = kept.get(key)
            if language == "ru":
                string = message.string
            elif previous is not None:
                string = previous.string
            else:
                string = ("", "") if isinstance(message.id, tuple) else ""
            ru_text = " | ".join(message.string) if isinstance(message.string, tuple) else message.string
            comments = [] if language == "ru" else [f"ru: {ru_text}"]
            result.add(message.id, string, context=message.context, auto_comments=comments, locations=[(package, None)])
    return result


def main() -> None:
    for language in ("ru", "kk"):
        catalogue_ = complete(language)
        path = TARGET / language / "LC_MESSAGES" / "django.po"
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as file:
            write_po(file, catalogue_, width=100, include_lineno=False)
        missing = sum(1 for message in catalogue_ if message.id and not translated(message))
        print(f"{path.relative_to(ROOT)}: {len(catalogue_)} entries, {missing} to translate")


if __name__ == "__main__":
    main()
