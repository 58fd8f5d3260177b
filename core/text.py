"""The one name normalisation of Vigil.

Names arrive spelled many ways: Latin or Cyrillic script, with or without accents, in any case,
transliterated by different conventions. Every stored name keeps a normalised copy made by
`normalise_name`, and every search query goes through the same function, so that a match
depends only on the letters, never on how someone happened to type them. `words_begin` is the one
matching rule of every public `q`: incidents, people and organisations alike.
"""

import re

from anyascii import anyascii
from django.db.models import Q, QuerySet

_APOSTROPHES = re.compile(r"['`\u02bc\u02b9]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")


def normalise_name(text: str) -> str:
    """Romanise (Cyrillic, Kazakh letters included), strip accents, casefold, keep words.

    Apostrophes vanish rather than split a word, because transliteration writes the Cyrillic
    soft sign as one ("Айжангуль" becomes "Ayzhangul'") and "People's" should match "Peoples".
    """
    romanised = anyascii(text or "").casefold()
    return _NOT_ALPHANUMERIC.sub(" ", _APOSTROPHES.sub("", romanised)).strip()


def search_words(text: str) -> list[str]:
    """The distinct normalised words of a query, in the order typed: each one must match."""
    return list(dict.fromkeys(normalise_name(text).split()))


def starts_a_word(field: str, word: str) -> Q:
    """The normalised text in `field` has a word that begins with `word` (normalised too)."""
    return Q(**{f"{field}__startswith": word}) | Q(**{f"{field}__contains": f" {word}"})


def words_begin(query: str, field: str, *, variants: QuerySet | None = None, owner: str = "") -> Q:
    """Each word of the query begins a word of the record's normalised `field`, or of one of its
    `variants` (name variants, aliases: rows whose `normalised` field names the record `owner`).

    The start of a word, not anywhere inside it: "mirova" finds no "Amirova", on every page.
    """
    condition = Q()
    for word in search_words(query):
        either = starts_a_word(field, word)
        if variants is not None:
            either |= Q(pk__in=variants.filter(starts_a_word("normalised", word)).values(owner))
        condition &= either
    return condition
