from django import forms
from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.admin import HistoryAdmin, LabelsItsColumns

from .models import Citation, Source


class CitationInline(LabelsItsColumns, GenericTabularInline):
    """The sources behind a record's claims, editable on the record's own page."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["claim", "source", "confidence", "locator"]


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    list_display = ["title", "kind", "publisher", "published_on", "confidential"]
    list_filter = ["kind", "confidential", "language"]
    search_fields = ["title", "publisher", "author", "url"]
    date_hierarchy = "published_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["public_id", "created_at", "updated_at"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "kind", "publisher", "author", "published_on", "place_of_publication", "language"]},
        ),
        (gettext_lazy("Where to find it"), {"fields": ["url", "archived_url", "file", "page"]}),
        (gettext_lazy("Staff only"), {"fields": ["contact_name", "contact_details", "notes", "confidential"]}),
        (pgettext_lazy("fieldset", "Record"), {"fields": ["public_id", "created_at", "updated_at"]}),
    ]


class CitationAdminForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ["content_type", "object_id", "claim", "source", "confidence", "locator"]

    def clean(self):
        cleaned_data = super().clean()
        content_type, object_id = cleaned_data.get("content_type"), cleaned_data.get("object_id")
        if content_type and object_id:
            record = content_type.model_class()._default_manager.filter(pk=object_id).first()
            if record is None:
                raise forms.ValidationError(
                    _("No %(kind)s has this id."), params={"kind": content_type}, code="missing"
                )
            if not getattr(record, "is_editable", True):
                raise forms.ValidationError(
                    _("“%(record)s” is published: its sources change through a correction of the incident."),
                    params={"record": record},
                    code="locked",
                )
        return cleaned_data


@admin.register(Citation)
class CitationAdmin(HistoryAdmin):
    form = CitationAdminForm
    list_display = ["__str__", "content_type", "object_id", "claim", "confidence"]
    list_filter = ["claim", "confidence", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["source__title", "locator"]
    autocomplete_fields = ["source"]

    # A citation is part of the record it cites: while that record is locked (a published
    # incident changes only through a verified correction), so is the citation.
    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _cited_record_is_editable(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _cited_record_is_editable(obj)


def _cited_record_is_editable(citation: Citation | None) -> bool:
    return citation is None or getattr(citation.cited_record, "is_editable", True)
