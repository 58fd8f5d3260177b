"""The search of who is held: one FilterSet for /detained/, its CSV and /api/detained/.

Its filters read as on /incidents/ (the same region, charge, organisation and `q` parameters, the
same messages for bad input); `on` and `status` choose the day and which of the people covered
that day are listed (`cases.detained`).
"""

import datetime
from functools import cached_property

import django_filters
from django import forms
from django.db import connections
from django.db import models as db_models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import IsoDateFilter, SearchTextFilter, SlugsFilter
from incidents.filters import unknown_slug
from incidents.models import LegalProvision
from organisations.models import Organisation
from places.models import Place

from .models import CustodyPeriod


class Status(db_models.TextChoices):
    HELD = "held", _("held, as a source confirmed in the last 12 months")
    UNKNOWN = "unknown", _("status unknown: no source for over 12 months")


class DetainedFilterForm(forms.Form):
    def clean_on(self):
        day = self.cleaned_data.get("on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(
                _("%(day)s is still to come; give today or a day before it.") % {"day": day.isoformat()},
                code="future_day",
            )
        return day


class DetainedFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label=_("Name"),
        method="filter_name",
        help_text=_("Every known spelling of the person's name, in any script."),
    )
    region = SlugsFilter(
        label=_("Region"),
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_region",
        error_messages=unknown_slug(_("place")),
        help_text=_("Several values mean any of these places: where the case is, or where the person is held."),
    )
    charge = SlugsFilter(
        label=_("Charge"),
        queryset=LegalProvision.objects.all(),
        to_field_name="slug",
        method="filter_charge",
        error_messages=unknown_slug(_("legal provision")),
        help_text=_("Several values mean charged under any of these provisions."),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.public(),
        to_field_name="slug",
        method="filter_organisation",
        error_messages=unknown_slug(_("organisation")),
        help_text=_("The address of an organisation the person belongs to."),
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind of custody"),
        choices=CustodyPeriod.Kind.choices,
        empty_label=_("Any kind"),
        help_text=_("Police custody, pre-trial detention, house arrest, serving a sentence, psychiatric detention."),
    )
    on = IsoDateFilter(
        label=_("On the day"),
        method="read_by_the_list",
        help_text=_("Who was held on that day (YYYY-MM-DD); today when left out."),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=Status.choices,
        empty_label=None,
        method="read_by_the_list",
        help_text=_("held (the default), or unknown: still held at the last news, which is over 12 months old."),
    )

    class Meta:
        model = CustodyPeriod
        fields: list[str] = []
        form = DetainedFilterForm

    @property
    def day(self) -> datetime.date:
        return self.form.cleaned_data.get("on") or timezone.localdate()

    @property
    def listed_status(self) -> str:
        return self.form.cleaned_data.get("status") or Status.HELD

    def filter_queryset(self, queryset):
        """The periods that cover the day, then the filters."""
        return super().filter_queryset(queryset.held_on(self.day))

    def filter_name(self, queryset, name, value):
        if self.found_only_by_similar_spelling:
            return queryset.naming_alike(value)
        return queryset.naming(value)

    @cached_property
    def found_only_by_similar_spelling(self) -> bool:
        """As on /incidents/: a name that no one held that day bears as typed is read by similar
        spelling, on PostgreSQL. Decided on everyone held, whatever the other filters."""
        held = self.queryset.held_on(self.day)
        return connections[held.db].vendor == "postgresql" and not held.naming(self.form.cleaned_data["q"]).exists()

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        return queryset.in_regions(value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_charge(self, queryset, name, value):
        return queryset.charged_under(value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_organisation(self, queryset, name, value):
        return queryset.of_members_of(value)

    def read_by_the_list(self, queryset, name, value):
        """Chooses the day or the status, which `cases.detained` reads; narrows nothing here."""
        return queryset
