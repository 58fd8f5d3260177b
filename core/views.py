import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, View

from .counting import EXACT_COUNT_LIMIT, BoundedPaginator
from .filters import YesNoField
from .merging import kept_by_merge
from .parameters import Parameters, repeated_message


def filter_errors(filterset) -> list[dict]:
    """Each problem of a FilterSet's input: the parameter at fault, why, in words, and the value at
    fault when there is one (one of several of `region=a&region=b`)."""
    return [
        {
            "parameter": "" if name == "__all__" else name,
            "message": error.messages[0],
            "value": (error.params or {}).get("value") if error.code == "invalid_choice" else None,
        }
        for name, errors in filterset.form.errors.as_data().items()
        for error in errors
    ]


def export_problems(query: QueryDict, filterset) -> list[str]:
    """Why an export of a search cannot be made, one line per problem: a parameter it does not
    take, a value it cannot read, or a `bom` that is neither yes nor no. A file is never made
    from a search other than the one asked for."""
    parameters = Parameters.of(type(filterset), "bom")
    problems = [
        f"{name}: {message}"
        for name, messages in parameters.messages(parameters.problems(query)).items()
        for message in messages
    ]
    problems += [f"{error['parameter']}: {error['message']}" for error in filter_errors(filterset)]
    try:
        YesNoField(required=False).clean(query.get("bom"))
    except ValidationError as error:
        problems += [f"bom: {message}" for message in error.messages]
    return problems


def export_refused(problems: list[str]) -> HttpResponse:
    message = _("The export was not made:") + "\n" + "\n".join(problems) + "\n"
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def query_without(query: QueryDict, *names: str) -> str:
    """The current query string minus some parameters (and the page, which no longer applies)."""
    remaining = query.copy()
    for name in (*names, "page"):
        remaining.pop(name, None)
    return f"?{remaining.urlencode()}"


def query_without_value(query: QueryDict, name: str, value: str, *with_the_last: str) -> str:
    """The current query string minus one value of a parameter (and the page). Without its last
    value, the parameters that only qualify it (`with_the_last`) go too."""
    remaining = query.copy()
    values = [other for other in remaining.getlist(name) if other != value]
    if values:
        remaining.setlist(name, values)
    else:
        for parameter in (name, *with_the_last):
            remaining.pop(parameter, None)
    remaining.pop("page", None)
    return f"?{remaining.urlencode()}"


class FilteredListView(ListView):
    """A public list narrowed by a FilterSet, answering bad input instead of ignoring it.

    Invalid parameters, and a second value of a parameter that takes one, get the page with a
    message naming each parameter and the reason, and HTTP 400; a page number that does not exist
    gets a message and HTTP 404. Neither shows an empty list as if nothing matched. A parameter
    the list does not know is named above the results, which are still shown: a person who
    followed a link with one gets the list, told what was left out (core.parameters).
    """

    filterset_class = None
    paginator_class = BoundedPaginator
    page_problem = ""

    def get_base_queryset(self):
        raise NotImplementedError

    def get_filterset(self):
        if not hasattr(self, "filterset"):
            self.filterset = self.filterset_class(
                self.request.GET, queryset=self.get_base_queryset(), request=self.request
            )
        return self.filterset

    def get(self, request, *args, **kwargs):
        problems = Parameters.of(self.filterset_class, "page").problems(request.GET)
        self.ignored = [{"parameter": name, "without": query_without(request.GET, name)} for name in problems.unknown]
        self.understood_query = request.GET.copy()
        for name in problems.unknown:
            self.understood_query.pop(name)
        filterset = self.get_filterset()
        errors = [{"parameter": name, "message": repeated_message(), "value": None} for name in problems.repeated]
        if not filterset.is_valid():
            errors += filter_errors(filterset)
        if errors:
            self.object_list = filterset.queryset.none()
            for error in errors:
                if error["value"] is None:
                    error["without"] = query_without(request.GET, error["parameter"])
                else:
                    error["without"] = query_without_value(request.GET, error["parameter"], error["value"])
            context = self.get_invalid_context_data(filterset=filterset, errors=errors, ignored=self.ignored)
            return self.render_to_response(context, status=400)
        response = super().get(request, *args, **kwargs)
        if self.page_problem:
            response.status_code = 404
        return response

    def get_invalid_context_data(self, **kwargs) -> dict:
        return kwargs

    def get_queryset(self):
        return self.get_filterset().qs

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        number = self.request.GET.get("page") or 1
        try:
            page = paginator.page(number)
        except InvalidPage:
            self.page_problem = f"page: {paginator.no_such_page(number)}"
            return paginator, None, queryset.none(), False
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            filterset=self.get_filterset(), ignored=self.ignored, understood_query=self.understood_query, **kwargs
        )
        context["page_problem"] = self.page_problem  # set while paginating, inside super()
        return context


class PagedListMixin:
    """For a long list shown without a total: a record's incidents or cases, newest first, or the
    people and organisations from A to Z.

    Counting every incident of the busiest person, or every person in a public case (each one
    an index lookup), would cost more than showing a page of them. Offsets stay within
    EXACT_COUNT_LIMIT rows.
    """

    per_page = settings.INCIDENTS_PER_PAGE
    previous_label = gettext_lazy("Newer")
    next_label = gettext_lazy("Older")

    def paged(self, rows) -> dict:
        number = self.request.GET.get("page") or "1"
        last_page = EXACT_COUNT_LIMIT // self.per_page
        # ASCII digits only, and no more of them than the last page has: "²" passes isdigit(),
        # and int() refuses numbers of over 4,300 digits.
        well_formed = number.isascii() and number.isdigit() and len(number) <= len(str(last_page))
        if not well_formed or not 1 <= int(number) <= last_page:
            raise Http404(
                _("There is no page “%(number)s” of this list; pages run from 1 to %(last)s.")
                % {"number": number, "last": last_page}
            )
        number = int(number)
        start = (number - 1) * self.per_page
        items = list(rows[start : start + self.per_page + 1])
        if number > 1 and not items:
            raise Http404(_("There is no page “%(number)s” of this list.") % {"number": number})
        return {
            "items": items[: self.per_page],
            "pager": {
                "previous_label": self.previous_label,
                "next_label": self.next_label,
                "number": number,
                "newer": number - 1 or None,
                "older": number + 1 if len(items) > self.per_page else None,
            },
        }


class UncountedListMixin(PagedListMixin):
    """A FilteredListView whose pages go from A to Z with Previous and Next, and no total."""

    previous_label = gettext_lazy("Previous")
    next_label = gettext_lazy("Next")

    def get_context_data(self, **kwargs):
        pages = self.paged(self.object_list)
        return super().get_context_data(**{self.context_object_name: pages["items"]}, pager=pages["pager"], **kwargs)


def page_not_found(request, exception):
    """The 404 page, with the view's reason when it gave one in words ("There is no page “9” of
    this list…"): a person whose list has no such page still exists, and the page says so.
    Under the API's address the answer is JSON, like every other answer of the API."""
    message = exception.args[0] if exception.args else ""
    reason = message if isinstance(message, str) else ""
    if request.path.startswith(reverse("api:api-root")):
        return JsonResponse({"detail": reason or _("There is nothing at this address of the API.")}, status=404)
    return render(request, "404.html", {"reason": reason}, status=404)


def last_verified(incidents) -> "datetime.datetime | None":
    """When a verifier last checked one of the incidents a page lists: what the citation of a
    person's or an organisation's page is dated by. Read off the rows shown, newest first, rather
    than counted over all of a busy person's incidents."""
    return max((incident.last_verified_at for incident in incidents if incident.last_verified_at), default=None)


class PermanentAddressView(View):
    """A record's permanent address, `/<kind>/<public_id>/`: a 301 to its current address.

    Slugs follow titles and names, which get corrected; the public identifier never changes, so
    citations use it. Only a record its own page would show is found: the queryset is the
    page's public rule, and anything else is the same 404 as an unknown identifier.
    """

    queryset = None

    def get_queryset(self):
        return self.queryset.all()

    def get(self, request, public_id):
        queryset = self.get_queryset()
        record = queryset.filter(public_id=public_id).first() or merged_into(queryset, public_id=public_id)
        if record is None:
            raise Http404
        return HttpResponsePermanentRedirect(record.get_absolute_url())


def merged_into(queryset, **address):
    """The record of `queryset` that the record at this address (slug or public_id) was merged
    into (`core.merging`), or None: only a record the page's own rule shows is ever named."""
    kept = kept_by_merge(queryset.model, **address)
    return kept if kept is not None and queryset.filter(pk=kept.pk).exists() else None


class FollowsMerges:
    """A record page whose old address, once the record was merged into another, answers 301 with
    the kept record's page. `merge_target_queryset`: the records whose page exists."""

    def merge_target_queryset(self):
        return self.get_queryset()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            kept = merged_into(self.merge_target_queryset(), slug=kwargs["slug"])
            if kept is None:
                raise
            return HttpResponsePermanentRedirect(kept.get_absolute_url())
