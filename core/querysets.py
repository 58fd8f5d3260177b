"""Querysets that every request builds the same way."""

from collections.abc import Callable
from functools import cache, wraps

from django.db.models import QuerySet


def built_once(build: Callable[[], QuerySet]) -> Callable[[], QuerySet]:
    """Build the queryset on the first call, and hand out clones of it from then on.

    Building resolves each filter and subquery in Python: 0.3 to 1.3 ms for the querysets of
    the public rule, on every request; a clone takes 8 µs. Only clones leave, so the kept
    queryset is never evaluated and never holds rows. It must not hold Prefetch objects either:
    clones share those, and Django writes to a prefetch's queryset when it runs it.
    """
    kept = cache(build)

    @wraps(build)
    def clone() -> QuerySet:
        return kept().all()

    return clone
