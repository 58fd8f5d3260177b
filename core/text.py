"""The one name normalisation of Vigil.

Names arrive spelled many ways: Latin or Cyrillic script, with or without accents, in any case,
transliterated by different conventions. Every stored name keeps a normalised copy made by
`normalise_name`, and every search query goes through the same function, so that a match
depends only on the letters, never on how someone happened to type them.
"""

import re

from anyascii import anyascii

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
