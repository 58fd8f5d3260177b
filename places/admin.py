from django.contrib import admin

from core.admin import HistoryAdmin

from .models import Place


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    list_display = ["name", "kind", "parent", "iso_code", "slug"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "iso_code", "slug"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["public_id"]
    fields = ["name", "kind", "parent", "slug", "iso_code", "latitude", "longitude", "public_id"]
