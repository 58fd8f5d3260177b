"""The one name normalisation of Vigil.

Names arrive spelled many ways: Latin or Cyrillic script, with or without accents, in any case,
transliterated by different conventions. Every stored name keeps a normalised copy made by
`normalise_name`, and every search query goes through the same function, so that a match
depends only on the letters, never on how someone happened to type them. `words_begin` is the one
matching rule of every public `q`: incidents, people and organisations alike. Only a `q` of the
incidents that it matches nowhere is read again, on PostgreSQL, by `words_begin_or_resemble`.

The normalised text is a key for matching, not for reading: after romanising, one folding rule
(`_SPELLING_RULES`) writes each sound the one way, whatever the convention that spelled it.
"Ajzhangul", "Ayzhangul", "Aizhangul" and "Айжангуль" all become "aizhangul"; "Janaozen",
"Zhanaozen" and "Жаңаөзен" become "zhanaozien"; "Kulibaev", "Kulibayev" and "Кулибаев" become
"kulibaiev". Stored texts made by an earlier rule are rebuilt by a data migration whenever the
rule changes: names with `renormalise_names`, incidents' search text with
`incidents.search.refresh_search_text`.
"""

import re

from anyascii import anyascii
from django.db.models import Q, QuerySet

RENORMALISE_BATCH = 2000

_APOSTROPHES = re.compile(r"['`\u02bc\u02b9]")
_NOT_ALPHANUMERIC = re.compile(r"[^a-z0-9]+")

# Kazakh letters, and the Russian ones that stand in for them when a keyboard or a document has
# none: "Жаңаөзен" is also written "Жанаозен", "Тоқаев" "Токаев".
_KAZAKH_LETTERS = str.maketrans("ңғқүұіәөһ", "нгкууиаох")
# Latin letters whose mark anyascii would drop, although the mark changes the sound: "Şymkent" is
# "Shymkent", "Żowtis" is "Zhovtis", "Statkievič" is "Statkevich".
_MARKED_LATIN_LETTERS = str.maketrans({"ş": "sh", "ç": "ch", "š": "sh", "č": "ch", "ž": "zh", "ż": "zh"})

_CONSONANT = "[b-df-hj-np-tv-z]"
# The folding rule, in order: each step reads what the steps before it wrote.
_SPELLING_RULES = [
    (re.compile(pattern), replacement)
    for pattern, replacement in [
        # German and Polish spellings of ш, щ and ч: Szczerbakow, Gorbatschow, Tchaikovsky, Czajkowski.
        ("szcz", "sh"),
        ("shch", "sh"),
        ("tsch", "ch"),
        ("sch", "sh"),
        ("tch", "ch"),
        ("sz", "sh"),
        ("cz", "ch"),
        # Kazakh has no ч: Russian "Чимкент" is Kazakh "Шымкент", so ч and ш are one sound.
        ("ch", "sh"),
        # ж: zh, dzh (Russian дж for Kazakh ж), and j at the start of a word before a vowel
        # (Kazakh Latin "Janaozen", "Jambyl"). Belarusian дз is Russian д: Dzmitry, Dmitry.
        ("dzh", "zh"),
        ("dz", "d"),
        (r"\bj(?=[aoui])", "zh"),
        # Every other j is й, as in Polish and German: Ajzhangul, Jewgienij, Nikolaj, Tatjana.
        ("j", "i"),
        # ғ and қ as Kazakh Latin and ISO write them: Mangghystau, Toqaev.
        ("gh", "g"),
        ("q", "k"),
        # х: kh, x at the start of a word (but Xenia is Ksenia; elsewhere x is ks, as in Alexei),
        # and h outside sh, zh and kh (Halyk, Khalyk).
        (r"\bx(?!e)", "kh"),
        ("x", "ks"),
        ("(?<![szk])h", "kh"),
        # w is v (Amirowa, Nazarbajew); y and i are one letter, for и, ы and й are written with
        # either (Mangystau, Mangistau; Ayzhangul, Aizhangul).
        ("w", "v"),
        ("y", "i"),
        # ц: ts and c (Niemcow); Belarusian ці is Russian ти (Tsikhanouskaya, Tikhanovskaya).
        ("c", "ts"),
        ("tsi", "ti"),
        # Belarusian ў before a consonant, where Russian has в: Tsikhanouskaya, Tikhanovskaya.
        (f"ou(?={_CONSONANT})", "ov"),
        # Endings: Smirnoff is Smirnov; Ukrainian -iv is Russian -ov (Kharkiv, Kharkov); Belarusian
        # -enka is -enko (Lukashenka, Lukashenko); -chov is -chev (Gorbachov, Gorbachev).
        (r"(?<=[oe])ff\b", "v"),
        (rf"(?<={_CONSONANT})iv\b", "ov"),
        (r"enka\b", "enko"),
        (r"(?<=sh|zh)ov(?=a?\b)", "ev"),
        # ё written yo, io or e between consonants: Fyodor, Fiodor, Fedor; Pyotr, Piotr, Petr.
        (f"(?<={_CONSONANT})io(?={_CONSONANT})", "e"),
        # ю after a consonant written yu, iu or u: Lyudmila, Liudmila, Ludmila.
        (f"(?<={_CONSONANT})iu", "u"),
        # е is e or ye, at the start of a word and after a vowel or a soft sign (Yevgeny, Evgeniy;
        # Tokayev, Tokaev; Solovyev, Solov'ev), so e is written ie everywhere: a query that stops
        # before the e, "Ali" for "Aliyev", still begins the word.
        ("e", "ie"),
        # Doubled letters, and doubled sounds once written in two letters: Kassym, Kasym;
        # Zaporizhzhia, Zaporizhia.
        (r"(zh|sh|kh|ts)\1+", r"\1"),
        (r"([a-z])\1+", r"\1"),
    ]
]


def normalise_name(text: str) -> str:
    """Romanise (Cyrillic, Kazakh letters included), strip accents, casefold, keep words, and fold
    the spellings of one sound into one.

    Apostrophes vanish rather than split a word, because transliteration writes the Cyrillic
    soft sign as one ("Айжангуль" becomes "Ayzhangul'") and "People's" should match "Peoples".
    """
    letters = (text or "").casefold().translate(_KAZAKH_LETTERS).translate(_MARKED_LATIN_LETTERS)
    romanised = anyascii(letters).casefold()
    words = _NOT_ALPHANUMERIC.sub(" ", _APOSTROPHES.sub("", romanised)).strip()
    for pattern, replacement in _SPELLING_RULES:
        words = pattern.sub(replacement, words)
    return words


def renormalise_names(records: QuerySet, field: str) -> None:
    """Write `normalise_name(name)` into `field` again for these records, where it differs.

    For a data migration after a change of the rule (a historical model's queryset will do): a
    batch of RENORMALISE_BATCH records at a time, in order of id, so that no table is read whole.
    """
    rows = records.order_by("pk").values_list("pk", "name", field)
    batch = list(rows[:RENORMALISE_BATCH])
    while batch:
        normalised = {pk: normalise_name(name) for pk, name, _stored in batch}
        changed = [
            records.model(pk=pk, **{field: normalised[pk]}) for pk, _name, stored in batch if stored != normalised[pk]
        ]
        records.bulk_update(changed, [field])
        if len(batch) < RENORMALISE_BATCH:
            break
        batch = list(rows.filter(pk__gt=batch[-1][0])[:RENORMALISE_BATCH])


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


def words_begin_or_resemble(query: str, field: str) -> Q:
    """Each word of the query begins a word of the normalised `field` or is spelled much like one:
    PostgreSQL's strict word similarity (pg_trgm, `%>>`, read through a trigram index on `field`).

    A looser rule than `words_begin`, for a query that it matches nowhere: "Kulibyev" and
    "Amirva" resemble "Kulibayev" and "Amirova" without beginning them.
    """
    condition = Q()
    for word in search_words(query):
        condition &= starts_a_word(field, word) | Q(**{f"{field}__trigram_strict_word_similar": word})
    return condition
