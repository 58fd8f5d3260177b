from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Appeal


class DraftForm(forms.Form):
    """What a first draft is made of: a template, a language and the verified incidents to include."""

    template = forms.ChoiceField(label=_("Template"), choices=Appeal.Template.choices, widget=forms.RadioSelect)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, widget=forms.RadioSelect)
    incidents = forms.ModelMultipleChoiceField(
        label=_("Incidents to include"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only verified incidents the public may see; the draft states only what their public pages state."),
        error_messages={"required": _("Choose at least one incident.")},
    )

    def __init__(self, *args, candidates, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["incidents"].queryset = candidates.select_related("incident_type").order_by("period_start", "pk")
        self.fields["incidents"].label_from_instance = lambda incident: f"{incident.date_display}: {incident.title}"
        self.initial.setdefault("template", Appeal.Template.UN_COMMUNICATION)
        self.initial.setdefault("language", language)
        self.initial.setdefault("incidents", list(candidates.values_list("pk", flat=True)))
