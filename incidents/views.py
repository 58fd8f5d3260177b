from anyascii import anyascii
from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from appeals.pages import appeals_of
from cases.detained import HeldTrend
from cases.models import Case
from cases.pages import attach_public_cases
from core.filters import YesNoField
from core.views import (
    FilteredListView,
    PagedListMixin,
    PermanentAddressView,
    export_problems,
    export_refused,
    query_without,
    query_without_value,
)
from evidence_files.models import EvidenceFile
from places.models import Place
from sources.models import Citation, number_sources

from .export import TooManyRows, incident_csv, incident_xlsx, involvement_csv, involvement_xlsx
from .filters import IncidentFilter
from .maps import maps_of, maps_of_incidents, narrowed_to_region, search_link
from .models import Charge, Evidence, Incident, IncidentLink, IncidentType, LegalProvision
from .pickers import picker_choices
from .results import SearchResults


class HomeView(ListView):
    template_name = "incidents/home.html"
    context_object_name = "latest_incidents"

    def get_queryset(self):
        return Incident.objects.shown_in_lists()[:10]

    def get_context_data(self, **kwargs):
        results = SearchResults.of(Incident.objects.public())
        return super().get_context_data(
            incident_count=results.size,
            incident_types=results.types(),
            held=HeldTrend.up_to(timezone.localdate()),
            **kwargs,
        )


class SearchResultsMixin:
    """A list of incidents paged by its `SearchResults` (`self.results`), which the facets read too."""

    def get_paginator(self, queryset, per_page, *args, **kwargs):
        return self.results.paginator(per_page)


class IncidentListView(SearchResultsMixin, FilteredListView):
    template_name = "incidents/incident_list.html"
    context_object_name = "incidents"
    paginate_by = settings.INCIDENTS_PER_PAGE
    filterset_class = IncidentFilter

    def get_base_queryset(self):
        return Incident.objects.shown_in_lists()

    def get_queryset(self):
        self.results = SearchResults.of_filterset(self.get_filterset())
        return self.results.incidents

    def get_invalid_context_data(self, **kwargs):
        valid = self.get_filterset().form.cleaned_data
        return {
            "incident_types": IncidentType.objects.all(),
            "active": active_filters(valid, self.request.GET),
            **picker_choices(valid),
            **kwargs,
        }

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        cleaned = filterset.form.cleaned_data
        incident_types = list(IncidentType.objects.all())
        context = super().get_context_data(
            active=active_filters(cleaned, self.request.GET),
            incident_types=incident_types,
            **picker_choices(cleaned),
            **kwargs,
        )
        context["facets"] = self.results.facets(cleaned, incident_types)
        context["maps"] = maps_of(self.results.counted, narrowed_to_region(self.request.GET))
        return context


FILTER_LABELS = {
    "region": gettext_lazy("Region"),
    "charge": gettext_lazy("Charge"),
    "type": gettext_lazy("Type"),
    "person": gettext_lazy("Person"),
    "organisation": gettext_lazy("Organisation"),
}
# Filters that take several values (`region=a&region=b`), each shown and removed on its own.
MULTIPLE = {"region", "charge"}
# Parameters that only qualify a filter, dropped with it.
QUALIFIERS = {"charge": ["charge_equivalents"]}


def active_filters(cleaned: dict, query: QueryDict, labels: dict = FILTER_LABELS) -> list[dict]:
    """The narrowing filters in force, one entry per value, each with the address of the search
    without that value. `labels`: the filters shown, those of a search of records other than
    incidents."""
    active = []
    for name, label in labels.items():
        chosen = cleaned.get(name)
        if not chosen:
            continue
        qualifiers = QUALIFIERS.get(name, [])
        for value in chosen if name in MULTIPLE else [chosen]:
            without = (
                query_without_value(query, name, value.slug, *qualifiers)
                if name in MULTIPLE
                else query_without(query, name, *qualifiers)
            )
            active.append({"parameter": name, "label": label, "value": value, "without": without})
    return active


def export_search(request):
    """The search an export is made of, or the 400 that says why it cannot be made."""
    filterset = IncidentFilter(request.GET, queryset=Incident.objects.shown_in_lists(), request=request)
    problems = export_problems(request.GET, filterset)
    return filterset, export_refused(problems) if problems else None


def csv_export(download_of, stem: str):
    @require_safe
    def view(request):
        """The current search as CSV, sent a chunk of rows at a time so that a large export never
        sits in memory. X-Row-Count says how many rows the complete file holds: a file cut short
        (a server killed mid-way) has fewer, and a client can tell."""
        filterset, refusal = export_search(request)
        if refusal:
            return refusal
        byte_order_mark = bool(YesNoField(required=False).clean(request.GET.get("bom")))
        name = export_file_name(filterset, stem, "csv")
        download = download_of(filterset.qs, request.build_absolute_uri, byte_order_mark)
        response = StreamingHttpResponse(download.content, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        response["X-Row-Count"] = download.rows
        return response

    return view


def xlsx_export(file_of, stem: str):
    @require_safe
    def view(request):
        """The current search as a spreadsheet: the same rows as the CSV, dates as dates."""
        filterset, refusal = export_search(request)
        if refusal:
            return refusal
        try:
            spreadsheet = file_of(filterset.qs, request.build_absolute_uri)
        except TooManyRows:
            return export_refused([gettext("More rows than a spreadsheet holds: narrow the search or take the CSV.")])
        name = export_file_name(filterset, stem, "xlsx")
        return FileResponse(spreadsheet, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)

    return view


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
export_csv = csv_export(incident_csv, "vigil-incidents")
export_xlsx = xlsx_export(incident_xlsx, "vigil-incidents")
export_involvements_csv = csv_export(involvement_csv, "vigil-involvements")
export_involvements_xlsx = xlsx_export(involvement_xlsx, "vigil-involvements")


def export_file_name(filterset, stem: str, extension: str) -> str:
    """<stem>-<date>[-<filter>-<value>…].<extension>: several downloads keep apart on a disk."""
    parts = [stem, timezone.localdate().isoformat()]
    for name, value in filterset.form.cleaned_data.items():
        if value not in (None, "", False) and name in filterset.data:
            parts += [name, slugify(anyascii(named_by(value)))[:40]]
    return "-".join(part for part in parts if part) + f".{extension}"


def named_by(value) -> str:
    """A filter's value as its address names it: a record's slug, several of them, or the text."""
    if hasattr(value, "slug"):
        return value.slug
    if isinstance(value, list | tuple | QuerySet):
        return "-".join(named_by(item) for item in value)
    return str(value)


class IncidentPermanentAddressView(PermanentAddressView):
    """A retracted incident's permanent address leads to its page too, which says why it is gone."""

    def get_queryset(self):
        shown = Incident.objects.shown_in_lists().values("pk")
        retracted = Incident.objects.publicly_retracted().values("pk")
        return Incident.objects.filter(Q(pk__in=shown) | Q(pk__in=retracted))


class IncidentDetailView(DetailView):
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            retracted = Incident.objects.publicly_retracted().filter(slug=kwargs["slug"]).first()
            if retracted is None:
                raise
            # Gone, with the reason, rather than "not found": people who cited it learn why.
            return TemplateResponse(request, "incidents/incident_retracted.html", {"incident": retracted}, status=410)

    def get_queryset(self):
        return (
            Incident.objects.shown_in_lists()
            .with_public_actors_and_charges()
            .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.public()))
        )

    def get_context_data(self, **kwargs):
        incident = self.object
        rows = incident.cite_public_rows()
        sources = number_sources(
            [*incident.public_citations, *(citation for row in rows for citation in row.public_citations)]
        )
        claims: dict[str, list[Citation]] = {}
        for citation in incident.public_citations:
            claims.setdefault(citation.claim, []).append(citation)
        return super().get_context_data(
            timeline=timeline_of(incident),
            sources=sources,
            claims=claims,
            place_trail=incident.place_trail(),
            translation=incident.translation_for_reader(),
            evidence_images=EvidenceFile.objects.public_images().filter(evidence__incident=incident),
            cases=Case.objects.public().filter(incidents=incident),
            appeals=appeals_of(incident),
            **kwargs,
        )


def timeline_of(incident: Incident) -> list[dict]:
    """The incident and every public incident linked to it, oldest first.

    The links first, then the public incidents at their other end: most incidents have no link,
    and the page then needs one short query rather than a join of four tables.
    """
    links = IncidentLink.objects.filter(Q(from_incident=incident) | Q(to_incident=incident))
    other_ends = {
        link: link.to_incident_id if link.from_incident_id == incident.pk else link.from_incident_id for link in links
    }
    public = Incident.objects.public().select_related("incident_type").in_bulk(set(other_ends.values()))
    entries = [{"incident": incident, "current": True, "link": None}]
    for link, other_id in other_ends.items():
        if other_id in public:
            entries.append({"incident": public[other_id], "current": False, "link": link})
    return sorted(entries, key=lambda entry: (entry["incident"].period_start, entry["incident"].pk))


class ProvisionListView(ListView):
    template_name = "incidents/provision_list.html"
    context_object_name = "provisions"

    def get_queryset(self):
        return LegalProvision.objects.select_related("jurisdiction").with_public_case_counts()


class ProvisionDetailView(PagedListMixin, DetailView):
    template_name = "incidents/provision_detail.html"
    context_object_name = "provision"

    def get_queryset(self):
        return LegalProvision.objects.select_related("jurisdiction")

    def get_context_data(self, **kwargs):
        provision = self.object
        equivalents = list(provision.equivalents.select_related("jurisdiction"))
        # Only what a row shows: each table joined costs planning time.
        cases = (
            Charge.objects.public()
            .select_related("person", "incident", "case_link")
            .order_by("-incident__period_start", "-incident_id", "pk")
        )
        pages = self.paged(cases.filter(provision=provision))
        equivalent_cases = (
            list(cases.filter(provision__in=equivalents).select_related("provision")[: self.per_page + 1])
            if equivalents
            else []
        )
        attach_public_cases([*pages["items"], *equivalent_cases])
        return super().get_context_data(
            maps=maps_of_incidents(Incident.objects.public().charged_under([provision]), charge=provision.slug),
            equivalents=equivalents,
            cases=pages["items"],
            pager=pages["pager"],
            equivalent_cases=equivalent_cases,
            **kwargs,
        )


class RegionListView(TemplateView):
    """Countries with public incidents, the regions inside each, and how many incidents each holds."""

    template_name = "incidents/region_list.html"

    def get_context_data(self, **kwargs):
        results = SearchResults.of(Incident.objects.public())
        return super().get_context_data(countries=results.region_tree(), size=results.size, **kwargs)


class RegionDetailView(SearchResultsMixin, ListView):
    """A place, what lies inside it, and every public incident there."""

    template_name = "incidents/region_detail.html"
    context_object_name = "incidents"
    paginate_by = settings.INCIDENTS_PER_PAGE

    def get_queryset(self):
        self.region = get_object_or_404(Place, slug=self.kwargs["slug"])
        self.results = SearchResults.of(Incident.objects.shown_in_lists().in_region(self.region))
        return self.results.incidents

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            region=self.region,
            trail=self.region.ancestors(),
            subregions=self.results.subregions(self.region),
            maps=maps_of(self.results.counted, search_link()),
            **kwargs,
        )
