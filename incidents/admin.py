from csp.decorators import csp_replace
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.clickjacking import xframe_options_sameorigin

from core.admin import HistoryAdmin, LabelsItsColumns
from core.partial_dates import PartialDatesForm
from evidence_files.files import accepted_kinds_text
from evidence_files.services import removing_unrecorded_files, store_evidence_file
from evidence_files.uploads import EvidenceFilesField
from sources.admin import CitationInline

from . import review, workflow
from .forms import IncidentAdminForm, RetractForm, ReviewForm
from .models import (
    Charge,
    Evidence,
    Incident,
    IncidentLink,
    IncidentTranslation,
    IncidentType,
    Involvement,
    LegalProvision,
    StaleEditError,
    SubmittedIncident,
)


class HidesInputOnlyFieldsWhenReadOnly:
    """Fields that only take input (the version the form was opened at, files to add) have
    nothing to show: a page that cannot be changed leaves them out rather than print "None"."""

    input_only_fields = ("opened_version", "add_files")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj) or (obj is None and self.has_add_permission(request, obj)):
            return fieldsets
        return [
            (name, {**options, "fields": [field for field in options["fields"] if field not in self.input_only_fields]})
            for name, options in fieldsets
        ]


class FollowsIncidentStateInline:
    """Rows shown on an incident's page can be changed only while the incident itself can."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_editable)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)


class IncidentRowAdmin(HistoryAdmin):
    """Admin of a row that belongs to an incident: editable only while its incident is."""

    incident_field = "incident"

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.incident_field:
            kwargs["queryset"] = Incident.objects.filter(status__in=Incident.EDITABLE_STATES)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class IncidentCitationInline(FollowsIncidentStateInline, CitationInline):
    pass


@admin.register(IncidentType)
class IncidentTypeAdmin(HistoryAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class InvolvementInline(LabelsItsColumns, FollowsIncidentStateInline, admin.TabularInline):
    model = Involvement
    extra = 1
    autocomplete_fields = ["person", "organisation"]
    fields = ["role", "person", "organisation", "unidentified_actor", "description", "confidential"]


class ChargeInline(LabelsItsColumns, FollowsIncidentStateInline, admin.TabularInline):
    model = Charge
    extra = 0
    autocomplete_fields = ["person", "provision"]
    form = PartialDatesForm
    fields = ["person", "provision", "date", "status"]


def _add_files_help() -> str:
    return _("Several at once if needed. Accepted: %(kinds)s. Stored files are never replaced.") % {
        "kinds": accepted_kinds_text()
    }


class EvidenceForm(forms.ModelForm):
    add_files = EvidenceFilesField(
        label=gettext_lazy("add files"),
        required=False,
        help_text=lazy(_add_files_help, str)(),
    )

    class Meta:
        model = Evidence
        fields = ["kind", "description", "source", "obtained_by", "obtained_on", "obtained_how", "confidential"]


class EvidenceFilesMixin:
    """The files of an evidence record, shown read-only: an original is added, never replaced."""

    @admin.display(description=gettext_lazy("files"))
    def stored_files(self, evidence):
        return review.describe_stored_files(evidence)


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
                    _(
                        "“%(name)s” has the same content as a file already stored "
                        "(SHA-256 %(sha256)s): it is linked to it, not stored twice."
                    )
                    % {"name": attachment.original_filename, "sha256": attachment.stored_file.sha256},
                )


class EvidenceInline(
    HidesInputOnlyFieldsWhenReadOnly, FollowsIncidentStateInline, EvidenceFilesMixin, admin.StackedInline
):
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


class IncidentLinkInline(LabelsItsColumns, FollowsIncidentStateInline, admin.TabularInline):
    model = IncidentLink
    fk_name = "from_incident"
    extra = 0
    autocomplete_fields = ["to_incident"]
    fields = ["kind", "to_incident", "note"]


class IncidentTranslationInline(FollowsIncidentStateInline, admin.StackedInline):
    model = IncidentTranslation
    extra = 0
    fields = ["language", "title", "summary"]


# What a reviewer is told after deciding: one sentence per state a review can leave an incident in.
DECIDED = {
    Incident.Status.VERIFIED: gettext_lazy("“%(incident)s” is now verified."),
    Incident.Status.REJECTED: gettext_lazy("“%(incident)s” is now rejected."),
}


SECTIONS_OF_A_SAVED_RECORD = (pgettext_lazy("fieldset", "Review"), pgettext_lazy("fieldset", "Record"))


@admin.register(Incident)
class IncidentAdmin(HidesInputOnlyFieldsWhenReadOnly, HistoryAdmin):
    form = IncidentAdminForm
    list_display = ["title", "incident_type", "date_display", "place", "status", "correction_of", "confidential"]
    list_filter = ["status", "confidential", "incident_type", "start_precision"]
    list_select_related = ["incident_type", "place", "revision_of"]
    search_fields = ["title", "summary", "slug"]
    date_hierarchy = "period_start"
    autocomplete_fields = ["incident_type", "place"]
    readonly_fields = [
        "status",
        "public_id",
        "created_by",
        "created_at",
        "updated_at",
        "last_edited_by",
        "revision_of",
        "submitted_by",
        "submitted_at",
        "reviewed_by",
        "review_note",
        "verified_by",
        "last_verified_at",
        "retraction_reason",
        "retracted_at",
    ]
    inlines = [
        InvolvementInline,
        ChargeInline,
        EvidenceInline,
        IncidentLinkInline,
        IncidentCitationInline,
        IncidentTranslationInline,
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "incident_type", "summary", "language", "status", "opened_version"]}),
        (
            gettext_lazy("When"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "ongoing",
                    ("local_time", "local_time_approximate"),
                ]
            },
        ),
        (gettext_lazy("Where"), {"fields": ["place", "location_detail"]}),
        (gettext_lazy("Staff only"), {"fields": ["private_notes", "confidential"]}),
        (
            SECTIONS_OF_A_SAVED_RECORD[0],
            {
                "fields": [
                    "revision_of",
                    ("submitted_by", "submitted_at"),
                    ("reviewed_by", "review_note"),
                    ("verified_by", "last_verified_at"),
                    ("retraction_reason", "retracted_at"),
                ]
            },
        ),
        (
            SECTIONS_OF_A_SAVED_RECORD[1],
            {"fields": ["public_id", "created_by", "last_edited_by", "created_at", "updated_at"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        """A new incident has not been reviewed or recorded yet: the add form leaves those
        read-only sections out rather than show them empty."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [(name, options) for name, options in fieldsets if name not in SECTIONS_OF_A_SAVED_RECORD]
        return fieldsets

    @admin.display(description=gettext_lazy("date"), ordering="period_start")
    def date_display(self, incident):
        return incident.date_display

    @admin.display(description=gettext_lazy("correction of"), ordering="revision_of")
    def correction_of(self, incident):
        return incident.revision_of or ""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        # A correction is discarded with its own button: its evidence rows would block a plain delete.
        deletable = obj is None or (obj.status in Incident.DELETABLE_STATES and not obj.revision_of_id)
        return super().has_delete_permission(request, obj) and deletable

    def get_actions(self, request):
        # The bulk delete would skip the rule that published incidents are kept.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.last_edited_by = request.user
        if change:
            obj.save(expected_version=form.cleaned_data["opened_version"])
        else:
            obj.save()

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            with removing_unrecorded_files():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except StaleEditError:
            # Another save won the race between the form's check and this save; the transaction
            # of this one was rolled back, so nothing of either is lost.
            messages.error(
                request,
                _(
                    "Someone else saved this incident at the same moment; your changes were not saved. "
                    "Open it again and make your changes on the current version."
                ),
            )
            return HttpResponseRedirect(request.path)

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Evidence:
            attach_uploaded_files(request, formset.forms)

    def get_urls(self):
        own = [
            path(
                f"<path:object_id>/{step}/",
                self.admin_site.admin_view(getattr(self, f"{step}_view")),
                name=f"incidents_incident_{step}",
            )
            for step in ("submit", "review", "retract", "correct", "discard", "preview")
        ]
        return own + super().get_urls()

    def _incident_for(self, request, object_id) -> Incident:
        incident = get_object_or_404(Incident, pk=object_id)
        if not self.has_view_permission(request, incident):
            raise PermissionDenied
        return incident

    def _change_url(self, incident: Incident) -> str:
        return reverse("admin:incidents_incident_change", args=[incident.pk])

    def _workflow_page(self, request, incident, form, title, template, **context):
        return TemplateResponse(
            request,
            f"admin/incidents/incident/{template}",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": title,
                "incident": incident,
                "form": form,
                **context,
            },
        )

    @staticmethod
    def _require(request, permission: str):
        if not request.user.has_perm(permission):
            raise PermissionDenied

    def submit_view(self, request, object_id):
        incident = self._incident_for(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(request, "incidents.submit_incident")
        try:
            workflow.submit(incident=incident, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Submitted for review: a verifier will check it against its sources."))
        return redirect(self._change_url(incident))

    def get_view_on_site_url(self, obj=None):
        """A record not yet public is viewed as the public will see it once verified: its preview."""
        if obj is not None and obj.pk and not Incident.objects.public().filter(pk=obj.pk).exists():
            return reverse("admin:incidents_incident_preview", args=[obj.pk])
        return super().get_view_on_site_url(obj)

    @method_decorator(xframe_options_sameorigin)
    @method_decorator(csp_replace({"frame-ancestors": ["'self'"]}))
    def preview_view(self, request, object_id):
        """Shown in a frame on the review page, and on its own from "View on site"."""
        return review.preview(request, self._incident_for(request, object_id))

    def review_view(self, request, object_id):
        incident = self._incident_for(request, object_id)
        self._require(request, "incidents.verify_incident")
        refusal = workflow.review_refusal(incident, by=request.user)
        form = ReviewForm(request.POST or None)
        if request.method == "POST" and not refusal and form.is_valid():
            action = workflow.verify if form.cleaned_data["decision"] == "verify" else workflow.reject
            try:
                result = action(incident=incident, by=request.user, note=form.cleaned_data["note"])
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, str(DECIDED[result.status]) % {"incident": result})
                return redirect("admin:incidents_submittedincident_changelist")
        return self._workflow_page(
            request,
            incident,
            form,
            _("Review “%(incident)s”") % {"incident": incident},
            "review.html",
            changes=workflow.describe_correction(incident) if incident.revision_of_id else None,
            refusal=refusal,
            **review.what_it_rests_on(incident),
        )

    def retract_view(self, request, object_id):
        incident = self._incident_for(request, object_id)
        self._require(request, "incidents.retract_incident")
        form = RetractForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                workflow.retract(incident=incident, by=request.user, reason=form.cleaned_data["reason"])
            except workflow.WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, _("Retracted: its public address now gives your reason instead of the content.")
                )
                return redirect(self._change_url(incident))
        title = _("Retract “%(incident)s”") % {"incident": incident}
        return self._workflow_page(request, incident, form, title, "retract.html")

    def correct_view(self, request, object_id):
        incident = self._incident_for(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(request, "incidents.change_incident")
        try:
            correction = workflow.propose_correction(incident=incident, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(self._change_url(incident))
        messages.info(
            request,
            _(
                "This is your private copy of the published incident. The public keeps seeing the published "
                "version until a verifier verifies this correction."
            ),
        )
        return redirect(self._change_url(correction))

    def discard_view(self, request, object_id):
        correction = self._incident_for(request, object_id)
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        self._require(request, "incidents.delete_incident")
        published = correction.revision_of
        try:
            workflow.discard_correction(incident=correction, by=request.user)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(self._change_url(correction))
        messages.success(request, _("The correction was discarded; the published incident is unchanged."))
        return redirect(self._change_url(published))


@admin.register(SubmittedIncident)
class ReviewQueueAdmin(admin.ModelAdmin):
    """Verifiers' queue: submitted incidents and corrections, oldest submission first."""

    list_display = ["title", "kind", "submitted_by", "submitted_at", "created_by", "last_edited_by", "review"]
    list_select_related = ["submitted_by", "created_by", "last_edited_by", "revision_of"]
    ordering = ["submitted_at", "pk"]
    list_display_links = None

    def get_queryset(self, request):
        return super().get_queryset(request).review_queue()

    def has_module_permission(self, request):
        return request.user.has_perm("incidents.verify_incident")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("incidents.verify_incident")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("kind"))
    def kind(self, incident):
        if incident.revision_of_id:
            return _("correction of “%(incident)s”") % {"incident": incident.revision_of}
        return _("new incident")

    @admin.display(description="")
    def review(self, incident):
        url = reverse("admin:incidents_incident_review", args=[incident.pk])
        return format_html('<a href="{}">{}</a>', url, _("Review"))


@admin.register(LegalProvision)
class LegalProvisionAdmin(HistoryAdmin):
    list_display = ["reference", "title_en", "slug"]
    list_filter = ["jurisdiction", "code"]
    list_select_related = ["jurisdiction"]
    search_fields = ["article", "code", "title_en", "title_original", "slug"]
    autocomplete_fields = ["jurisdiction", "equivalents"]
    readonly_fields = ["public_id"]

    @admin.display(description=gettext_lazy("provision"), ordering="article")
    def reference(self, provision):
        return provision.reference


@admin.register(Charge)
class ChargeAdmin(IncidentRowAdmin):
    list_display = ["person", "provision", "status", "date"]
    list_filter = ["status", "provision__jurisdiction"]
    list_select_related = ["person", "provision__jurisdiction", "incident"]
    search_fields = ["person__name", "provision__article", "provision__title_en", "incident__title"]
    autocomplete_fields = ["person", "provision", "incident"]
    date_hierarchy = "date"
    readonly_fields = ["public_id"]
    inlines = [CitationInline]


@admin.register(Involvement)
class InvolvementAdmin(IncidentRowAdmin):
    list_display = ["__str__", "incident", "role", "confidential"]
    list_filter = ["role", "confidential"]
    list_select_related = ["incident", "person", "organisation"]
    search_fields = ["incident__title", "person__name", "organisation__name", "unidentified_actor"]
    autocomplete_fields = ["incident", "person", "organisation"]
    inlines = [CitationInline]


@admin.register(IncidentLink)
class IncidentLinkAdmin(IncidentRowAdmin):
    incident_field = "from_incident"

    list_display = ["from_incident", "kind", "to_incident"]
    list_filter = ["kind"]
    list_select_related = ["from_incident", "to_incident"]
    search_fields = ["from_incident__title", "to_incident__title"]
    autocomplete_fields = ["from_incident", "to_incident"]


@admin.register(Evidence)
class EvidenceAdmin(HidesInputOnlyFieldsWhenReadOnly, EvidenceFilesMixin, IncidentRowAdmin):
    form = EvidenceForm
    list_display = ["__str__", "incident", "kind", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["incident"]
    search_fields = ["description", "incident__title", "attachments__stored_file__sha256"]
    autocomplete_fields = ["incident", "source"]
    readonly_fields = ["public_id", "stored_files"]
    fieldsets = [
        (None, {"fields": ["incident", "kind", "description", "confidential", "public_id"]}),
        (gettext_lazy("Chain of custody"), {"fields": ["source", ("obtained_by", "obtained_on"), "obtained_how"]}),
        (gettext_lazy("Files"), {"fields": ["stored_files", "add_files"]}),
    ]

    def changeform_view(self, request, *args, **kwargs):
        with removing_unrecorded_files():
            return super().changeform_view(request, *args, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        attach_uploaded_files(request, [form])
