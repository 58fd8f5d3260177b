"""Counts that stay cheap on large result sets, and say so when they are not exact.

A result set is counted exactly up to EXACT_COUNT_LIMIT rows (the database stops reading at the
limit). Beyond it, a queryset that can estimate its size (`estimated_count()`) gives an estimate,
shown as "about 120,000"; otherwise the page says "more than 10,000". Paging goes as far as the
exact limit: past it, a narrower search or the CSV export reaches the rest.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

EXACT_COUNT_LIMIT = 10_000


def rounded(number: int) -> int:
    """An estimate to two significant digits: 883,412 becomes 880,000."""
    if number < 100:
        return number
    scale = 10 ** (len(str(number)) - 2)
    return round(number / scale) * scale


def grouped(number: int) -> str:
    """A count with the reader's thousands separator: "120,000", "120 000"."""
    return number_format(number, force_grouping=True)


def estimated(number: int) -> str:
    """An estimate in words: "about 880,000"."""
    return _("about %(count)s") % {"count": grouped(rounded(number))}


@dataclass(frozen=True)
class ResultSize:
    """An exact count, or (exact=False) an estimate of a size known to exceed EXACT_COUNT_LIMIT."""

    count: int
    exact: bool = True

    def __str__(self) -> str:
        if self.exact:
            return grouped(self.count)
        if self.count > EXACT_COUNT_LIMIT:
            return estimated(self.count)
        return _("more than %(count)s") % {"count": grouped(EXACT_COUNT_LIMIT)}


def size_of(queryset, estimate: int | None = None, count_rows: Callable[[], int] | None = None) -> ResultSize:
    """The estimate first, when the queryset has one: far above the limit it is the answer, and
    the exact count, which would read 10,001 rows, is not taken. A caller that has already
    read the sample passes its estimate, and one that reads the rows themselves (at most
    EXACT_COUNT_LIMIT + 1 of them) passes `count_rows` to count them instead.

    "Far above" is 1.5 times the limit. With a sample of one in a hundred, an estimate of 15,000
    for a result set of at most 10,000 would be five standard deviations off.
    """
    if estimate is None:
        estimate = queryset.estimated_count() if hasattr(queryset, "estimated_count") else 0
    if estimate > 1.5 * EXACT_COUNT_LIMIT:
        return ResultSize(estimate, exact=False)
    exact = count_rows() if count_rows else queryset.order_by().values("pk")[: EXACT_COUNT_LIMIT + 1].count()
    if exact <= EXACT_COUNT_LIMIT:
        return ResultSize(exact)
    return ResultSize(estimate, exact=False)


class BoundedPaginator(Paginator):
    """Page numbers over the first EXACT_COUNT_LIMIT results, whatever the size of the result set.

    `size`: the result set's size when the caller has it already (`incidents.results`).
    """

    def __init__(self, object_list, per_page, *args, size: ResultSize | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if size is not None:
            self.size = size

    @property
    def reach(self) -> str:
        """How many results the pages reach."""
        return grouped(EXACT_COUNT_LIMIT)

    @cached_property
    def size(self) -> ResultSize:
        if not isinstance(self.object_list, QuerySet):  # rows already read (`cases.detained`): all counted
            return ResultSize(len(self.object_list))
        return size_of(self.object_list)

    @cached_property
    def count(self) -> int:
        return self.size.count if self.size.exact else EXACT_COUNT_LIMIT

    def no_such_page(self, number) -> str:
        """Why a page number asked for does not exist, with the pages that do."""
        pages = self.num_pages
        if self.size.exact:
            results = ngettext("the %(size)s result", "the %(size)s results", self.count) % {"size": self.size}
            return ngettext(
                "there is no page “%(number)s”; %(results)s fit on %(pages)d page.",
                "there is no page “%(number)s”; %(results)s fit on %(pages)d pages.",
                pages,
            ) % {"number": number, "results": results, "pages": pages}
        return _(
            "there is no page “%(number)s”; pages go up to %(pages)d, the first %(reach)s of %(size)s results."
            " Narrow the search to reach the others."
        ) % {"number": number, "pages": pages, "reach": self.reach, "size": self.size}
