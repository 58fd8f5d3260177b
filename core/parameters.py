"""Which query parameters an address understands: the one rule of the pages, the CSV and the API.

A parameter that an address does not understand, or a second value of one that takes a single
value, is never silently dropped: someone who typed `?tpye=arrest` or built `?type=a&type=b`
would otherwise read a result that is not the one they asked for. The pages name such a
parameter above their results and still answer (a second value refuses the search); the CSV and
the API refuse the request, naming it. Only the tracking parameters that other sites add to
shared links go without a word, so that a shared link never breaks.

The accepted names are read off the FilterSet of the list (its filters, and which of them take
several values) plus the few parameters of the address itself (`page`, `bom`, `format`), so that
no list of names is kept twice.
"""

from dataclasses import dataclass

import django_filters
from django.http import QueryDict
from django.utils.translation import gettext as _

# Added to links by social networks, advertising and newsletter tools, never by Vigil.
TRACKING_PARAMETERS = frozenset(
    {
        "fbclid",
        "gclid",
        "gbraid",
        "wbraid",
        "dclid",
        "msclkid",
        "yclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_ga",
        "_gl",
        "ref",
    }
)
TRACKING_PREFIXES = ("utm_",)


def is_tracking(name: str) -> bool:
    return name in TRACKING_PARAMETERS or name.startswith(TRACKING_PREFIXES)


@dataclass(frozen=True)
class ParameterProblems:
    """What an address could not take from a query string, each list in the query's order."""

    unknown: list[str]
    repeated: list[str]

    def __bool__(self) -> bool:
        return bool(self.unknown or self.repeated)


@dataclass(frozen=True)
class Parameters:
    """The query parameters of one address: those that take one value and those that take several."""

    single: frozenset[str]
    several: frozenset[str]

    @classmethod
    def of(cls, filterset_class: type[django_filters.FilterSet] | None, *single: str) -> "Parameters":
        """A FilterSet's parameters (a multiple-choice filter takes several values) and the address's own."""
        filters = filterset_class.base_filters if filterset_class is not None else {}
        several = {name for name, field in filters.items() if isinstance(field, django_filters.MultipleChoiceFilter)}
        return cls(single=frozenset({*filters, *single} - several), several=frozenset(several))

    @property
    def names(self) -> list[str]:
        return sorted(self.single | self.several)

    def problems(self, query: QueryDict) -> ParameterProblems:
        known = self.single | self.several
        return ParameterProblems(
            unknown=[name for name in query if name not in known and not is_tracking(name)],
            repeated=[name for name in query if name in self.single and len(query.getlist(name)) > 1],
        )

    def messages(self, problems: ParameterProblems) -> dict[str, list[str]]:
        """Each parameter at fault with why, in words: the shape of every other bad-input answer."""
        return {
            **{name: [self.unknown_message()] for name in problems.unknown},
            **{name: [repeated_message()] for name in problems.repeated},
        }

    def unknown_message(self) -> str:
        return _("There is no such parameter; this address takes %(names)s.") % {"names": ", ".join(self.names)}


def repeated_message() -> str:
    return _("It takes one value; give it once.")
