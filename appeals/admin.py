from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from cases.models import Case
from incidents.models import Incident
from people.models import Person

from . import documents
from .drafting import candidate_incidents, draft_text, gather_facts
from .forms import DraftForm
from .models import Appeal, Intervention

SUBJECTS = {"incident": Incident, "case": Case, "person": Person}
DOWNLOADS = {
    "pdf": ("application/pdf", documents.pdf_of),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", documents.docx_of),
    "md": ("text/markdown; charset=utf-8", lambda appeal: appeal.text.encode()),
}


class FollowUpFilter(admin.SimpleListFilter):
    """The interventions whose follow-up date has come while no final answer is in."""

    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return [("due", _("due now")), ("later", _("planned later"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.due_for_follow_up()
        if self.value() == "later":
            return queryset.filter(follow_up_on__gt=timezone.localdate())
        return queryset


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["sent_on", "subject", "recipient", "channel", "outcome", "follow_up_on"]
    list_filter = [FollowUpFilter, "outcome", "channel"]
    list_select_related = ["recipient_organisation", "recipient_person"]
    search_fields = ["subject", "text_sent", "response_text"]
    date_hierarchy = "sent_on"
    autocomplete_fields = ["appeal", "incident", "case", "person", "recipient_organisation", "recipient_person"]
    readonly_fields = ["text_sha256", "response_file_download"]
    # The file's own address is never served (MEDIA_URL has no route): it is downloaded through
    # `response_file_view`, which checks permissions.
    formfield_overrides = {models.FileField: {"widget": forms.FileInput}}
    fieldsets = [
        (_("About"), {"fields": ["appeal", "incident", "case", "person"]}),
        (
            _("Sent"),
            {
                "fields": [
                    "recipient_organisation",
                    "recipient_person",
                    "sent_on",
                    "channel",
                    "subject",
                    "text_sent",
                    "text_sha256",
                ]
            },
        ),
        (
            _("Response"),
            {
                "fields": [
                    "response_received_on",
                    "response_text",
                    "response_file",
                    "response_file_download",
                    "response_is_public",
                    "outcome",
                ]
            },
        ),
        (_("Follow-up"), {"fields": ["follow_up_on", "notes"]}),
    ]

    @admin.display(description=_("sent to"))
    def recipient(self, intervention: Intervention):
        return intervention.recipient

    @admin.display(description=_("file received"))
    def response_file_download(self, intervention: Intervention):
        if not intervention.response_file:
            return "—"
        address = reverse("admin:appeals_intervention_response_file", args=[intervention.pk])
        return format_html('<a href="{}">{}</a>', address, Path(intervention.response_file.name).name)

    def get_changeform_initial_data(self, request):
        """Recording the sending of a final appeal (`?appeal=`): what it is about, its title and
        its exact text are filled in from it."""
        initial = super().get_changeform_initial_data(request)
        appeal = Appeal.objects.filter(pk=initial.get("appeal") or None, status=Appeal.Status.FINAL).first()
        if appeal is not None:
            initial.update(
                incident=appeal.incident_id,
                case=appeal.case_id,
                person=appeal.person_id,
                subject=appeal.title,
                text_sent=appeal.text,
                sent_on=timezone.localdate(),
            )
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.response_file_view)
        return [path("<int:pk>/response-file/", view, name="appeals_intervention_response_file"), *super().get_urls()]

    def response_file_view(self, request, pk: int):
        """The response's file, for staff who may see the intervention; it has no address of its own."""
        intervention = get_object_or_404(Intervention, pk=pk)
        if not self.has_view_permission(request, intervention) or not intervention.response_file:
            raise Http404
        return documents.file_response(intervention.response_file)


@admin.register(Appeal)
class AppealAdmin(admin.ModelAdmin):
    """Appeals are drafted from a record (`draft_view`), edited here, made final, then sent."""

    list_display = ["title", "template", "language", "status", "created_at"]
    list_filter = ["status", "template", "language"]
    search_fields = ["title", "text"]
    date_hierarchy = "created_at"
    fields = ["title", "text", "template", "language", "drafted_from", "included", "status", "finalised_at"]
    readonly_fields = ["template", "language", "drafted_from", "included", "status", "finalised_at"]
    search_help_text = _("Title and text.")
    formfield_overrides = {
        models.TextField: {"widget": forms.Textarea(attrs={"rows": 30, "class": "vLargeTextField appeal-text"})}
    }

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.is_final:
            return ["title", "text", *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not obj.is_final)

    @admin.display(description=_("drafted from"))
    def drafted_from(self, appeal: Appeal):
        return appeal.drafted_from

    @admin.display(description=_("incidents included"))
    def included(self, appeal: Appeal):
        return "; ".join(str(incident) for incident in appeal.incidents.all())

    def get_urls(self):
        own = [
            path("draft/", self.admin_site.admin_view(self.draft_view), name="appeals_appeal_draft"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view), name="appeals_appeal_preview"),
            path(
                "<int:pk>/download.<str:extension>",
                self.admin_site.admin_view(self.download_view),
                name="appeals_appeal_download",
            ),
            path(
                "<int:pk>/make-final/",
                self.admin_site.admin_view(require_POST(self.make_final_view)),
                name="appeals_appeal_make_final",
            ),
        ]
        return own + super().get_urls()

    def add_view(self, request, form_url="", extra_context=None):
        """An appeal begins as a draft written from a record's verified facts, never as a blank form."""
        query = request.GET.urlencode()
        return HttpResponseRedirect(reverse("admin:appeals_appeal_draft") + (f"?{query}" if query else ""))

    def draft_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Draft an appeal")}
        subject_field = next((name for name in SUBJECTS if request.GET.get(name)), None)
        if subject_field is None:
            return TemplateResponse(request, "admin/appeals/appeal/draft.html", context)
        try:
            subject = SUBJECTS[subject_field].objects.get(pk=request.GET[subject_field])
        except (SUBJECTS[subject_field].DoesNotExist, ValueError):
            raise Http404 from None
        candidates = candidate_incidents(**{subject_field: subject})
        form = DraftForm(request.POST or None, candidates=candidates, language=get_language())
        if request.method == "POST" and form.is_valid():
            appeal = self.write_draft(request, subject_field, subject, form.cleaned_data)
            messages.success(request, _("Drafted from verified facts. Edit the text, then make it final."))
            return HttpResponseRedirect(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
        context.update(form=form, subject=subject, has_candidates=candidates.exists())
        return TemplateResponse(request, "admin/appeals/appeal/draft.html", context)

    @transaction.atomic
    def write_draft(self, request, subject_field: str, subject, choices: dict) -> Appeal:
        today = timezone.localdate()
        lead = subject if subject_field == "incident" else None
        facts = gather_facts(choices["incidents"], choices["language"], today, lead=lead)
        title, text = draft_text(template=choices["template"], language=choices["language"], facts=facts, today=today)
        appeal = Appeal.objects.create(
            template=choices["template"],
            language=choices["language"],
            title=title,
            text=text,
            created_by=request.user,
            **{subject_field: subject},
        )
        appeal.incidents.set(choices["incidents"])
        return appeal

    def viewable(self, request, pk: int) -> Appeal:
        appeal = get_object_or_404(Appeal, pk=pk)
        if not self.has_view_permission(request, appeal):
            raise PermissionDenied
        return appeal

    def preview_view(self, request, pk: int):
        appeal = self.viewable(request, pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": appeal,
            "title": appeal.title,
            "html": documents.html_of(appeal.text),
        }
        return TemplateResponse(request, "admin/appeals/appeal/preview.html", context)

    def download_view(self, request, pk: int, extension: str):
        appeal = self.viewable(request, pk)
        if extension not in DOWNLOADS:
            raise Http404
        content_type, build = DOWNLOADS[extension]
        response = HttpResponse(build(appeal), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{documents.file_stem(appeal)}.{extension}"'
        return response

    def make_final_view(self, request, pk: int):
        appeal = get_object_or_404(Appeal, pk=pk)
        if not self.has_change_permission(request, appeal):
            raise PermissionDenied
        if appeal.is_final:
            messages.error(request, _("This appeal is already final."))
        else:
            appeal.status = Appeal.Status.FINAL
            appeal.finalised_at = timezone.now()
            appeal.finalised_by = request.user
            appeal.save()
            messages.success(request, _("The appeal is final: its text no longer changes. Record each sending."))
        return HttpResponseRedirect(reverse("admin:appeals_appeal_change", args=[appeal.pk]))
