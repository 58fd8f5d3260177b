from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView

from core.filters import YesNoField
from core.views import FilteredListView, PermanentAddressView, export_problems, export_refused
from incidents.pickers import picker_choices
from incidents.views import active_filters

from .detained import HeldOnDay, detail
from .export import detained_csv_rows
from .filters import DetainedFilter
from .models import Case, CustodyPeriod
from .pages import public_contents

DETAINEES_PER_PAGE = 50
DETAINED_FILTER_LABELS = {"region": _("Region"), "charge": _("Charge"), "organisation": _("Organisation")}


class CaseDetailView(DetailView):
    template_name = "cases/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        return Case.objects.public()

    def get_context_data(self, **kwargs):
        return super().get_context_data(**public_contents(self.object), **kwargs)


class CasePermanentAddressView(PermanentAddressView):
    def get_queryset(self):
        return Case.objects.public()


class DetainedListView(FilteredListView):
    """Everyone publicly known to be held on a day (today unless `on` says), longest held first."""

    template_name = "cases/detained_list.html"
    context_object_name = "detainees"
    paginate_by = DETAINEES_PER_PAGE
    filterset_class = DetainedFilter

    def get_base_queryset(self):
        return CustodyPeriod.objects.all()

    def get_queryset(self):
        self.held = HeldOnDay(self.get_filterset())
        return self.held.rows

    def search_context(self, cleaned: dict) -> dict:
        return {
            "kinds": CustodyPeriod.Kind.choices,
            "active": active_filters(cleaned, self.request.GET, DETAINED_FILTER_LABELS),
            **picker_choices(cleaned),
        }

    def get_invalid_context_data(self, **kwargs):
        return {**self.search_context(self.get_filterset().form.cleaned_data), **kwargs}

    def get_context_data(self, **kwargs):
        filterset = self.get_filterset()
        context = super().get_context_data(held=self.held, **self.search_context(filterset.form.cleaned_data), **kwargs)
        detail(context[self.context_object_name])
        searched_name = bool(filterset.form.cleaned_data.get("q"))
        context["similar_spelling"] = searched_name and filterset.found_only_by_similar_spelling
        return context


@require_safe
def export_detained_csv(request):
    """The people held on the search's day as CSV, with the search's filters."""
    filterset = DetainedFilter(request.GET, queryset=CustodyPeriod.objects.all(), request=request)
    problems = export_problems(request.GET, filterset)
    if problems:
        return export_refused(problems)
    byte_order_mark = bool(YesNoField(required=False).clean(request.GET.get("bom")))
    response = StreamingHttpResponse(
        detained_csv_rows(HeldOnDay(filterset), request.build_absolute_uri, byte_order_mark),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="vigil-detained-{filterset.day.isoformat()}.csv"'
    return response
