"""Possible duplicates of a person or an organisation being entered: the same name in another
spelling ("Aizhangul Amirova", "Ayzhangul Amirova", "Айжангуль Амирова").

Names are compared folded as the search folds them (`core.text.normalise_name`), then by
rapidfuzz's token-sort ratio, which forgives a letter or two and the order of the words. The
database is asked only for the records with a name or a variant near the new name (on PostgreSQL
by trigrams, elsewhere by the starts of its words); the comparison runs on those few in Python.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.postgres.search import TrigramDistance
from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy
from rapidfuzz import fuzz

from .text import normalise_name, starts_a_word

# Out of 100. Measured on tests/spelling_pairs.py (tests/test_duplicates.py): at 85, 98% of the
# spellings of one name are flagged and 97% of flags are true.
SIMILARITY = 85
# The letters of a word the database matches on: enough to narrow, few enough to forgive a
# misspelling further on.
PREFIX = 4
MOST_CANDIDATES_READ = 2000
# On PostgreSQL, the names (and, apart, the other spellings) nearest to the new one that are read.
NEAREST = 50
MOST_SHOWN = 5


def alike_on_postgresql(records: QuerySet, folded: str, *, field: str, variants: QuerySet, owner: str) -> set:
    """The records whose folded name, or a spelling of it, is among the NEAREST to the new name
    by trigrams (pg_trgm's distance, read nearest first through the names' GiST indexes): the start
    of a common first name would match tens of thousands of people, and only the few most alike
    are ever shown."""
    named = records.order_by(TrigramDistance(field, folded)).values_list("pk", flat=True)
    spelled = variants.order_by(TrigramDistance("normalised", folded)).values_list(owner, flat=True)
    return {*named[:NEAREST], *spelled[:NEAREST]}


def sharing_a_word_start(folded: str, *, field: str, variants: QuerySet, owner: str) -> Q:
    """Elsewhere (SQLite, a small database): the records with a name or a spelling that has a
    word beginning like one of the two longest words of the new name."""
    prefixes = Q()
    variant_prefixes = Q()
    for word in sorted(set(folded.split()), key=len, reverse=True)[:2]:
        prefixes |= starts_a_word(field, word[:PREFIX])
        variant_prefixes |= starts_a_word("normalised", word[:PREFIX])
    return prefixes | Q(pk__in=variants.filter(variant_prefixes).values(owner))


def similarity(first: str, second: str) -> float:
    """How alike two folded names are, 0 to 100, whatever the order of their words."""
    return fuzz.token_sort_ratio(first, second)


def likely_the_same(first: str, second: str) -> bool:
    return similarity(normalise_name(first), normalise_name(second)) >= SIMILARITY


@dataclass(frozen=True)
class Candidate:
    record: object
    # The stored name or spelling that resembles the new name most.
    matched: str
    score: float


def possible_duplicates(
    records: QuerySet, name: str, *, field: str, variants: QuerySet, owner: str, exclude=None
) -> list[Candidate]:
    """The records (people, organisations) whose name or one of whose variants resembles `name`,
    most alike first. `field` is the records' folded name; `variants` are rows of other
    spellings, with their folded `normalised` name and the record in `owner`."""
    folded = normalise_name(name)
    if not folded.split():
        return []
    if connections[records.db].vendor == "postgresql":
        found = records.filter(pk__in=alike_on_postgresql(records, folded, field=field, variants=variants, owner=owner))
    else:
        found = records.filter(sharing_a_word_start(folded, field=field, variants=variants, owner=owner))
    if exclude is not None:
        found = found.exclude(pk=exclude)
    found = list(found.order_by("pk")[:MOST_CANDIDATES_READ])
    names = {record.pk: [(getattr(record, field), str(record))] for record in found}
    spellings = variants.filter(**{f"{owner}__in": list(names)}).values_list(owner, "normalised", "name")
    for record_pk, folded_variant, variant in spellings:
        names[record_pk].append((folded_variant, variant))
    by_pk = {record.pk: record for record in found}
    candidates = []
    for pk, known in names.items():
        score, matched = max((similarity(folded, spelling), shown) for spelling, shown in known)
        if score >= SIMILARITY:
            candidates.append(Candidate(by_pk[pk], matched, score))
    return sorted(candidates, key=lambda candidate: -candidate.score)[:MOST_SHOWN]


class WarnsOfDuplicates(forms.ModelForm):
    """An admin form that, when a name is entered or changed, lists the records it may duplicate
    (`duplicates`, shown above the form) and saves only once the user confirms it is another one.

    Subclasses say where to look (`find_duplicates`) and what tells the records apart (`describe`).
    """

    not_a_duplicate = forms.BooleanField(
        required=False, label=gettext_lazy("Not the same as any listed above: save it as a new record")
    )

    def clean(self):
        cleaned = super().clean()
        self.duplicates = []
        name = cleaned.get("name")
        if name and "name" in self.changed_data and not cleaned.get("not_a_duplicate"):
            self.duplicates = [
                {"candidate": candidate, "details": self.describe(candidate.record)}
                for candidate in self.find_duplicates(name)
            ]
            if self.duplicates:
                self.add_error(
                    "name",
                    forms.ValidationError(
                        gettext_lazy(
                            "This name resembles records already entered (listed above). Open them to check; "
                            "if this is someone else, tick the box under the list and save again."
                        ),
                        code="possible_duplicate",
                    ),
                )
        return cleaned

    def find_duplicates(self, name: str) -> list[Candidate]:
        raise NotImplementedError

    def describe(self, record) -> list[str]:
        return []
