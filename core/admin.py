from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .text import normalise_name


class NormalisedNameSearchMixin:
    """Admin search and autocomplete that also match names the way public search does.

    The plain admin search compares raw text, so "Амирова" would miss "Amirova"; matching the
    normalised columns too finds a record under any spelling or script.
    """

    normalised_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        searched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalise_name(search_term)
        if not term or not self.normalised_search_fields:
            return searched, may_have_duplicates
        matches = Q(pk__in=searched.values("pk"))
        for field in self.normalised_search_fields:
            matches |= Q(**{f"{field}__contains": term})
        return queryset.filter(matches), True


class HistoryAdmin(SimpleHistoryAdmin):
    """An admin whose records show their full history: who changed which field, when, from what to what.

    History is evidence of how a record came to say what it says, so it is read only: the
    library's "revert" form is closed (a revert would also bypass the review workflow).
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied(_("History is read only."))
        return super().history_form_view(request, object_id, version_id, extra_context)


class LabelsItsColumns:
    """For tabular inlines: each field carries its column's name for screen readers. The table
    shows the name once, in its header, so the fields of each row have no label of their own."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            field.widget.attrs.setdefault("aria-label", str(field.label))

        def add_fields(self, form, index):
            formset.add_fields(self, form, index)
            if "DELETE" in form.fields:
                form.fields["DELETE"].widget.attrs.setdefault("aria-label", _("Delete"))

        return type(formset.__name__, (formset,), {"add_fields": add_fields})
