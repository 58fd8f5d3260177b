"""Text kept in several languages on one row: a vocabulary term, a provision's title.

The English text is the field itself (`name`); each other interface language has a sibling
field (`name_ru`, `name_kk`), left blank until someone translates it. Readers get their
language's text where it exists, else the English one. Plain columns rather than a translation
package: a handful of vocabulary fields, readable in the admin and the database as they are.
"""

from django.conf import settings
from django.utils.translation import get_language


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def in_reader_language(record, field: str) -> str:
    """The field's text in the reader's language where someone entered it, else the base text."""
    language = reader_language()
    if language != settings.LANGUAGE_CODE:
        text = getattr(record, f"{field}_{language}", "")
        if text:
            return text
    return getattr(record, field)
