from django import forms
from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from sources.admin import CitationInline

from .evidence import EvidenceAccess, removing_unrecorded_files, store_evidence_file
from .files import accepted_kinds_text
from .models import Charge, Evidence, Incident, IncidentLink, IncidentType, Involvement, LegalProvision
from .uploads import EvidenceFilesField


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


class EvidenceForm(forms.ModelForm):
    add_files = EvidenceFilesField(
        label="add files",
        required=False,
        help_text=f"Several at once if needed. Accepted: {accepted_kinds_text()}. Stored files are never replaced.",
    )

    class Meta:
        model = Evidence
        fields = ["kind", "description", "source", "obtained_by", "obtained_on", "obtained_how", "confidential"]


class EvidenceFilesMixin:
    """The files of an evidence record, shown read-only: an original is added, never replaced."""

    @admin.display(description="files")
    def stored_files(self, evidence):
        attachments = evidence.attachments.select_related("stored_file", "uploaded_by") if evidence.pk else []
        rows = format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}, {}; SHA-256 <code>{}</code>; uploaded by {} on {}</li>',
            (
                (
                    reverse("incidents:evidence-original", args=[attachment.public_id]),
                    attachment.original_filename,
                    attachment.stored_file.content_type,
                    filesizeformat(attachment.stored_file.size),
                    attachment.stored_file.sha256,
                    attachment.uploaded_by or "unknown",
                    f"{attachment.uploaded_at:%Y-%m-%d %H:%M} UTC",
                )
                for attachment in attachments
            ),
        )
        return format_html("<ul>{}</ul>", rows) if rows else "—"


def attach_uploaded_files(request, evidence_forms) -> None:
    for form in evidence_forms:
        if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
            continue
        for inspected in form.cleaned_data.get("add_files") or []:
            attachment, already_stored = store_evidence_file(
                evidence=form.instance, upload=inspected.file, kind=inspected.kind, uploaded_by=request.user
            )
            if already_stored:
                messages.info(
                    request,
                    f"“{attachment.original_filename}” has the same content as a file already stored "
                    f"(SHA-256 {attachment.stored_file.sha256}): it is linked to it, not stored twice.",
                )


class EvidenceInline(EvidenceFilesMixin, admin.StackedInline):
    model = Evidence
    form = EvidenceForm
    extra = 0
    autocomplete_fields = ["source"]
    fields = [
        "kind",
        "description",
        "source",
        ("obtained_by", "obtained_on"),
        "obtained_how",
        "confidential",
        "stored_files",
        "add_files",
    ]
    readonly_fields = ["stored_files"]


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

    def changeform_view(self, request, *args, **kwargs):
        with removing_unrecorded_files():
            return super().changeform_view(request, *args, **kwargs)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Evidence:
            attach_uploaded_files(request, formset.forms)


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
class EvidenceAdmin(EvidenceFilesMixin, admin.ModelAdmin):
    form = EvidenceForm
    list_display = ["__str__", "incident", "kind", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["incident"]
    search_fields = ["description", "incident__title", "attachments__stored_file__sha256"]
    autocomplete_fields = ["incident", "source"]
    readonly_fields = ["public_id", "stored_files"]
    fieldsets = [
        (None, {"fields": ["incident", "kind", "description", "confidential", "public_id"]}),
        ("Chain of custody", {"fields": ["source", ("obtained_by", "obtained_on"), "obtained_how"]}),
        ("Files", {"fields": ["stored_files", "add_files"]}),
    ]

    def changeform_view(self, request, *args, **kwargs):
        with removing_unrecorded_files():
            return super().changeform_view(request, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        attach_uploaded_files(request, [form])


@admin.register(EvidenceAccess)
class EvidenceAccessAdmin(admin.ModelAdmin):
    """The log of who opened which original: written by the system, read here, never edited."""

    list_display = ["accessed_at", "user", "attachment", "evidence", "was_public"]
    list_filter = ["was_public", "accessed_at"]
    list_select_related = ["user", "attachment__evidence"]
    search_fields = ["user__username", "attachment__original_filename", "attachment__stored_file__sha256"]
    date_hierarchy = "accessed_at"

    @admin.display(description="evidence")
    def evidence(self, access):
        return access.attachment.evidence

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
