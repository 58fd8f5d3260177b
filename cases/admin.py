"""Entry of cases (with their charges, stages and sentences) and of a person's custody periods.

Stages, sentences and custody periods are rows of the incident that documents them: a row of a
published incident is changed only through a correction of that incident, and a change to a row
counts as an edit of its incident for the four-eyes rule (`incidents.workflow.check_four_eyes`).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.admin import HistoryAdmin, LabelsItsColumns
from core.partial_dates import PartialDatesForm
from incidents.admin import IncidentCitationInline, IncidentRowAdmin
from incidents.models import Incident
from people.admin import PersonAdmin
from people.models import Person
from sources.admin import CitationInline

from .models import Case, CaseCharge, CaseStage, CustodyPeriod, Sentence


def locked_message(incident: Incident) -> str:
    return _("“%(incident)s” is published: propose a correction of that incident to change what it documents.") % {
        "incident": incident
    }


class IncidentRowForm(PartialDatesForm):
    """A row that may be added to, or changed in, an incident that can still be edited, only."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "incident" in self.fields:
            editable = Q(status__in=Incident.EDITABLE_STATES)
            if self.instance.incident_id:
                editable |= Q(pk=self.instance.incident_id)
            self.fields["incident"].queryset = Incident.objects.filter(editable)

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.has_changed():
            saved = type(self.instance).objects.select_related("incident").get(pk=self.instance.pk)
            if not saved.incident.is_editable:
                raise ValidationError(locked_message(saved.incident), code="published")
        chosen = cleaned.get("incident")
        if self.has_changed() and chosen is not None and not chosen.is_editable:
            raise ValidationError(locked_message(chosen), code="published")
        return cleaned


class IncidentRowFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        for form in self.deleted_forms:
            if form.instance.pk and not form.instance.incident.is_editable:
                raise ValidationError(locked_message(form.instance.incident), code="published")


class CustodyFormSet(IncidentRowFormSet):
    def clean(self):
        super().clean()
        open_periods = 0
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or form in self.deleted_forms or not data.get("start_date") or data.get("end_date"):
                continue
            incident = data.get("incident")
            if incident is None or not incident.revision_of_id:
                open_periods += 1
        if open_periods > 1:
            raise ValidationError(
                _("A person has one open custody period at most: give the earlier ones an end date."),
                code="second_open_period",
            )


def note_edit_of_incidents(request, incident_ids) -> None:
    """A row changed is an edit of its incident: its editor may not verify it (four-eyes)."""
    incident_ids = {pk for pk in incident_ids if pk}
    if incident_ids:
        Incident.objects.filter(pk__in=incident_ids).update(last_edited_by=request.user, version=F("version") + 1)


class NotesIncidentEditsAdmin:
    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        rows = [*formset.new_objects, *(obj for obj, _fields in formset.changed_objects), *formset.deleted_objects]
        note_edit_of_incidents(request, [getattr(row, "incident_id", None) for row in rows])


class CaseChargeInline(LabelsItsColumns, admin.TabularInline):
    model = CaseCharge
    extra = 0
    autocomplete_fields = ["charge"]
    fields = ["charge"]
    verbose_name_plural = gettext_lazy("Charges in the case (entered on their incidents)")


class CaseStageInline(admin.StackedInline):
    model = CaseStage
    form = IncidentRowForm
    formset = IncidentRowFormSet
    extra = 0
    autocomplete_fields = ["incident", "court", "judge", "prosecutor"]
    fields = [
        ("kind", "incident"),
        ("start_date", "end_date"),
        "court",
        ("judge", "prosecutor"),
        ("outcome", "outcome_note"),
    ]


class SentenceInline(admin.StackedInline):
    model = Sentence
    form = IncidentRowForm
    formset = IncidentRowFormSet
    fk_name = "case"
    extra = 0
    autocomplete_fields = ["incident", "person", "court", "amends"]
    fields = [
        ("person", "incident"),
        ("judgment_date", "court"),
        ("kind", "term_months", "regime"),
        ("fine_amount", "fine_currency"),
        ("confiscation", "activity_ban", "activity_ban_months"),
        ("amends", "change_note"),
        "pronounced",
    ]


class CustodyPeriodInline(admin.StackedInline):
    model = CustodyPeriod
    form = IncidentRowForm
    formset = CustodyFormSet
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["incident", "case", "facility"]
    fields = [
        ("kind", "incident", "case"),
        ("start_date", "end_date", "end_reason"),
        ("facility", "last_confirmed"),
    ]


@admin.register(Case)
class CaseAdmin(NotesIncidentEditsAdmin, HistoryAdmin):
    list_display = ["title", "number", "confidential"]
    list_filter = ["confidential"]
    search_fields = ["title", "number", "slug", "summary"]
    autocomplete_fields = ["incidents"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [CaseChargeInline, CaseStageInline, SentenceInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", "number", "summary", "incidents"]}),
        (gettext_lazy("Staff only"), {"fields": ["private_notes", "confidential"]}),
        (pgettext_lazy("fieldset", "Record"), {"fields": ["public_id", "created_at", "updated_at"]}),
    ]


class CaseRowAdmin(IncidentRowAdmin):
    """A stage, sentence or custody period on its own page, with its citations per claim."""

    form = IncidentRowForm
    inlines = [IncidentCitationInline]

    def save_model(self, request, obj, form, change):
        previous = type(obj).objects.filter(pk=obj.pk).values_list("incident", flat=True).first()
        super().save_model(request, obj, form, change)
        note_edit_of_incidents(request, [obj.incident_id, previous])


@admin.register(CaseStage)
class CaseStageAdmin(CaseRowAdmin):
    list_display = ["__str__", "case", "incident", "start_date"]
    list_filter = ["kind", "outcome"]
    list_select_related = ["case", "incident"]
    search_fields = ["case__title", "case__number", "incident__title"]
    autocomplete_fields = ["case", "incident", "court", "judge", "prosecutor"]


@admin.register(Sentence)
class SentenceAdmin(CaseRowAdmin):
    list_display = ["person", "case", "kind", "term_months", "judgment_date"]
    list_filter = ["kind", "regime"]
    list_select_related = ["person", "case"]
    search_fields = ["person__name", "case__title", "case__number"]
    autocomplete_fields = ["case", "person", "incident", "court", "amends"]


@admin.register(CustodyPeriod)
class CustodyPeriodAdmin(CaseRowAdmin):
    list_display = ["person", "kind", "start_date", "end_date", "last_confirmed"]
    list_filter = ["kind", "end_reason"]
    list_select_related = ["person"]
    search_fields = ["person__name", "case__title"]
    autocomplete_fields = ["person", "case", "incident", "facility"]


admin.site.unregister(Person)


@admin.register(Person)
class PersonWithCustodyAdmin(NotesIncidentEditsAdmin, PersonAdmin):
    """The people admin, with the person's custody periods."""

    inlines = [*PersonAdmin.inlines, CustodyPeriodInline]
