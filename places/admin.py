from django.contrib import admin

from core.admin import HistoryAdmin, LabelsItsColumns, NormalisedNameSearchMixin

from .models import Place, PlaceName


class PlaceNameInline(LabelsItsColumns, admin.TabularInline):
    model = PlaceName
    extra = 1
    fields = ["name", "kind", "language", "script"]


@admin.register(Place)
class PlaceAdmin(NormalisedNameSearchMixin, HistoryAdmin):
    list_display = ["name", "kind", "parent", "iso_code", "slug"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "iso_code", "slug"]
    normalised_search_fields = ("names_normalised", "names__normalised")
    autocomplete_fields = ["parent"]
    readonly_fields = ["public_id"]
    fields = [
        "name",
        "name_en",
        "name_ru",
        "name_kk",
        "kind",
        "parent",
        "slug",
        "iso_code",
        "latitude",
        "longitude",
        "public_id",
    ]
    inlines = [PlaceNameInline]

    def has_change_permission(self, request, obj=None):
        """Countries and first-level regions open read-only for anyone but administrators."""
        allowed = super().has_change_permission(request, obj)
        if obj is not None and obj.is_administrative_area:
            return allowed and request.user.has_perm("places.change_administrative_area")
        return allowed

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [("", "---------"), *Place.kinds_for(request.user)]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(PlaceName)
class PlaceNameAdmin(NormalisedNameSearchMixin, HistoryAdmin):
    list_display = ["name", "place", "kind", "language", "script"]
    list_filter = ["kind", "script", "language"]
    list_select_related = ["place"]
    search_fields = ["name", "place__name"]
    normalised_search_fields = ("normalised",)
    autocomplete_fields = ["place"]
