from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.partial_dates import PartialDatesForm

from .models import Incident
from .workflow import CORRECTABLE_FIELDS


def changes_since(incident: Incident, version: int) -> list[str]:
    """What was saved after `version`, field by field, with who and when, from the history."""
    records = list(incident.history.filter(version__gte=version).order_by("history_date", "history_id"))
    lines = []
    for previous, record in zip(records, records[1:], strict=False):
        delta = record.diff_against(previous, excluded_fields=["updated_at", "version", "period_start", "period_end"])
        who = record.history_user or _("someone")
        when = date_format(localtime(record.history_date), "j F Y, H:i")
        changed = "; ".join(
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {"field": Incident._meta.get_field(change.field).verbose_name, "old": change.old, "new": change.new}
            for change in delta.changes
        )
        changed = changed or _("related rows (involvements, charges, sources…)")
        # The reason is stored with the history, in the language it was written in.
        if record.history_change_reason:
            line = _("%(who)s, %(when)s (%(reason)s): %(changes)s") % {
                "who": who,
                "when": when,
                "reason": record.history_change_reason,
                "changes": changed,
            }
        else:
            line = _("%(who)s, %(when)s: %(changes)s") % {"who": who, "when": when, "changes": changed}
        lines.append(line)
    return lines


class IncidentAdminForm(PartialDatesForm):
    """The incident form, with the version it was opened at, so a stale form cannot overwrite newer work."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Incident
        fields = ["slug", *CORRECTABLE_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opened_version"].initial = self.instance.version

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        opened_at = cleaned_data.get("opened_version")
        current = Incident.objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if opened_at is None or current != opened_at:
            changes = changes_since(self.instance, opened_at or 1) if opened_at else []
            raise forms.ValidationError(
                _(
                    "Someone else saved this incident after you opened it, so your changes were not saved "
                    "(nothing of theirs was overwritten). What changed since: %(changes)s. Open the incident again "
                    "to see the current version, then make your changes again."
                ),
                code="stale",
                params={"changes": " | ".join(changes) or _("see the history")},
            )
        return cleaned_data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[
            ("verify", gettext_lazy("Verify: every fact checked against its sources")),
            ("reject", gettext_lazy("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Required. What you checked, or why you reject it. Kept in the history."),
    )


class RetractForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Public reason"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Shown to the public at the incident's address instead of its content."),
    )
