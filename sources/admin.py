from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db import models

from .models import Citation, Source


class CitationInline(GenericTabularInline):
    """The sources behind a record's claims, editable on the record's own page."""

    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["claim", "source", "confidence", "locator"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
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
        ("Where to find it", {"fields": ["url", "archived_url", "file", "page"]}),
        ("Staff only", {"fields": ["contact_name", "contact_details", "notes", "confidential"]}),
        ("Record", {"fields": ["public_id", "created_at", "updated_at"]}),
    ]


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "content_type", "object_id", "claim", "confidence"]
    list_filter = ["claim", "confidence", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["source__title", "locator"]
    autocomplete_fields = ["source"]
