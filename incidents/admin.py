from django.contrib import admin

from sources.admin import CitationInline

from .models import Charge, Evidence, Incident, IncidentLink, IncidentType, Involvement, LegalProvision


@admin.register(IncidentType)
class IncidentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class InvolvementInline(admin.TabularInline):
    model = Involvement
    extra = 1
    autocomplete_fields = ["person", "organisation"]
    fields = ["role", "person", "organisation", "unidentified_actor", "description", "confidential"]


class ChargeInline(admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["person", "provision"]
    fields = ["person", "provision", "date", "date_precision", "status", "sentence", "sentence_months"]


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["kind", "description", "file", "source", "obtained_by", "obtained_on", "confidential", "sha256"]
    readonly_fields = ["sha256"]


class IncidentLinkInline(admin.TabularInline):
    model = IncidentLink
    fk_name = "from_incident"
    extra = 0
    autocomplete_fields = ["to_incident"]
    fields = ["kind", "to_incident", "note"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ["title", "incident_type", "date_display", "place", "status", "confidential"]
    list_filter = ["status", "confidential", "incident_type", "start_precision"]
    list_select_related = ["incident_type", "place"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["incident_type", "place"]
    readonly_fields = ["public_id", "created_by", "created_at", "updated_at"]
    inlines = [InvolvementInline, ChargeInline, EvidenceInline, IncidentLinkInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "incident_type", "summary", "status"]}),
        (
            "When",
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                    ("dates_approximate", "ongoing"),
                    ("local_time", "local_time_approximate"),
                ]
            },
        ),
        ("Where", {"fields": ["place", "location_detail"]}),
        ("Staff only", {"fields": ["private_notes", "confidential"]}),
        ("Record", {"fields": ["public_id", "created_by", "created_at", "updated_at"]}),
    ]

    @admin.display(description="date", ordering="period_start")
    def date_display(self, incident):
        return incident.date_display

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LegalProvision)
class LegalProvisionAdmin(admin.ModelAdmin):
    list_display = ["reference", "title_en", "slug"]
    list_filter = ["jurisdiction", "code"]
    list_select_related = ["jurisdiction"]
    search_fields = ["article", "code", "title_en", "title_original", "slug"]
    autocomplete_fields = ["jurisdiction", "equivalents"]
    readonly_fields = ["public_id"]

    @admin.display(description="provision", ordering="article")
    def reference(self, provision):
        return provision.reference


@admin.register(Charge)
class ChargeAdmin(admin.ModelAdmin):
    list_display = ["person", "provision", "status", "date", "sentence"]
    list_filter = ["status", "provision__jurisdiction"]
    list_select_related = ["person", "provision__jurisdiction", "incident"]
    search_fields = ["person__name", "provision__article", "provision__title_en", "incident__title"]
    autocomplete_fields = ["person", "provision", "incident"]
    date_hierarchy = "date"
    readonly_fields = ["public_id"]
    inlines = [CitationInline]


@admin.register(Involvement)
class InvolvementAdmin(admin.ModelAdmin):
    list_display = ["__str__", "incident", "role", "confidential"]
    list_filter = ["role", "confidential"]
    list_select_related = ["incident", "person", "organisation"]
    search_fields = ["incident__title", "person__name", "organisation__name", "unidentified_actor"]
    autocomplete_fields = ["incident", "person", "organisation"]
    inlines = [CitationInline]


@admin.register(IncidentLink)
class IncidentLinkAdmin(admin.ModelAdmin):
    list_display = ["from_incident", "kind", "to_incident"]
    list_filter = ["kind"]
    list_select_related = ["from_incident", "to_incident"]
    search_fields = ["from_incident__title", "to_incident__title"]
    autocomplete_fields = ["from_incident", "to_incident"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "incident", "kind", "sha256", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["incident"]
    search_fields = ["description", "incident__title", "sha256"]
    autocomplete_fields = ["incident", "source"]
    readonly_fields = ["public_id", "original_filename", "sha256"]
