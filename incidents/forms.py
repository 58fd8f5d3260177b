from django import forms
from django.utils.formats import date_format
from django.utils.timezone import localtime

from .models import Incident
from .workflow import CORRECTABLE_FIELDS


def changes_since(incident: Incident, version: int) -> list[str]:
    """What was saved after `version`, field by field, with who and when, from the history."""
    records = list(incident.history.filter(version__gte=version).order_by("history_date", "history_id"))
    lines = []
    for previous, record in zip(records, records[1:], strict=False):
        delta = record.diff_against(previous, excluded_fields=["updated_at", "version", "period_start", "period_end"])
        who = record.history_user or "someone"
        when = date_format(localtime(record.history_date), "j F Y, H:i")
        changed = "; ".join(
            f"{Incident._meta.get_field(change.field).verbose_name}: “{change.old}” → “{change.new}”"
            for change in delta.changes
        )
        reason = f" ({record.history_change_reason})" if record.history_change_reason else ""
        lines.append(f"{who}, {when}{reason}: {changed or 'related rows (involvements, charges, sources…)'}")
    return lines


class IncidentAdminForm(forms.ModelForm):
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
                "Someone else saved this incident after you opened it, so your changes were not saved "
                "(nothing of theirs was overwritten). What changed since: %(changes)s. Open the incident again "
                "to see the current version, then make your changes again.",
                code="stale",
                params={"changes": " | ".join(changes) or "see the history"},
            )
        return cleaned_data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("verify", "Verify: every fact checked against its sources"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Required. What you checked, or why you reject it. Kept in the history.",
    )


class RetractForm(forms.Form):
    reason = forms.CharField(
        label="Public reason",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown to the public at the incident's address instead of its content.",
    )
