"""Spelling tolerance across transliterations, measured on real names (tests/spelling_pairs.py).

Each spelling is a person's name; one spelling finds another when the people list's `q`
(`PersonQuerySet.matching`, the one matching rule of every `q`) typed as the first returns the
second, on this database.

- recall: of the pairs of spellings of one name, the share that find each other both ways;
- precision: of the pairs of different names, the share of which neither finds the other.

`pytest -s tests/test_spelling.py` prints both, and the pairs missed.
"""

import itertools

import pytest

from people.models import Person

from .spelling_pairs import DIFFERENT_NAMES, SAME_NAME

pytestmark = pytest.mark.django_db

REQUIRED = 0.95


def test_recall_and_precision_of_the_folding_rule():
    spellings = sorted({spelling for names in [*SAME_NAME, *DIFFERENT_NAMES] for spelling in names})
    people = {
        spelling: Person.objects.create(name=spelling, slug=f"spelling-{number}")
        for number, spelling in enumerate(spellings)
    }
    found = {spelling: set(Person.objects.matching(spelling).values_list("pk", flat=True)) for spelling in spellings}

    def finds(typed: str, name: str) -> bool:
        return people[name].pk in found[typed]

    same = [pair for names in SAME_NAME for pair in itertools.combinations(names, 2)]
    missed = [(a, b) for a, b in same if not (finds(a, b) and finds(b, a))]
    confused = [(a, b) for a, b in DIFFERENT_NAMES if finds(a, b) or finds(b, a)]
    recall = 1 - len(missed) / len(same)
    precision = 1 - len(confused) / len(DIFFERENT_NAMES)
    print(
        f"\nrecall {recall:.1%}: {len(same) - len(missed)} of {len(same)} pairs of spellings of one name match"
        f"\nprecision {precision:.1%}: {len(DIFFERENT_NAMES) - len(confused)} of {len(DIFFERENT_NAMES)} pairs of"
        " different names do not"
        f"\nmissed: {missed}\nconfused: {confused}"
    )
    assert len(same) >= 60
    assert recall >= REQUIRED, missed
    assert precision >= REQUIRED, confused
