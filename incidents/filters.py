"""The public incident search. One FilterSet serves the HTML list, the CSV export and the JSON API.

Every filter narrows with a subquery on the incident's primary key rather than a join, so that a
filtered queryset never repeats an incident and counts stay exact.
"""

from functools import cached_property

import django_filters
from django import forms
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from core.filters import IsoDateFilter, SearchTextFilter, SlugsFilter, YesNoFilter
from organisations.models import Organisation
from places.models import Place

from .models import Incident, IncidentType, LegalProvision
from .querysets import people_in_public_cases


def unknown_slug(what: str) -> dict[str, str]:
    """The message for an address that names no record, put together when it is shown: made once,
    when the filters are defined, it would stay in the language of that moment."""

    def message() -> str:
        return gettext("There is no %(what)s with the address “%%(value)s”.") % {"what": what}

    return {"invalid_choice": lazy(message, str)()}


class IncidentFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", forms.ValidationError(_("It is before date_from."), code="reversed_range"))
        return cleaned


class IncidentFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label=_("Words"),
        method="filter_text",
        help_text=_("Titles, summaries and every known spelling of the names of people and organisations."),
    )
    region = SlugsFilter(
        label=_("Region"),
        queryset=Place.objects.all(),
        to_field_name="slug",
        method="filter_region",
        error_messages=unknown_slug(_("place")),
        help_text=_("Several values mean any of these places, each with every place inside it."),
    )
    charge = SlugsFilter(
        label=_("Charge"),
        queryset=LegalProvision.objects.all(),
        to_field_name="slug",
        method="filter_charge",
        error_messages=unknown_slug(_("legal provision")),
        help_text=_("Several values mean a charge under any of these provisions."),
    )
    charge_equivalents = YesNoFilter(
        label=_("Include equivalent provisions of other editions"),
        method="read_with_charge",
    )
    type = django_filters.ModelChoiceFilter(
        label=_("Type"),
        queryset=IncidentType.objects.all(),
        to_field_name="slug",
        field_name="incident_type",
        error_messages=unknown_slug(_("incident type")),
        help_text=_("The address of an incident type, such as arrest."),
    )
    person = django_filters.ModelChoiceFilter(
        label=_("Person"),
        queryset=people_in_public_cases(),
        to_field_name="slug",
        method="filter_person",
        error_messages=unknown_slug(_("person")),
        help_text=_("The address of a person named in public cases."),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.public(),
        to_field_name="slug",
        method="filter_organisation",
        error_messages=unknown_slug(_("organisation")),
        help_text=_("The address of an organisation."),
    )
    date_from = IsoDateFilter(
        label=_("From"),
        field_name="period_end",
        lookup_expr="gte",
        help_text=_("Incidents whose period reaches this day or later."),
    )
    date_to = IsoDateFilter(
        label=_("Until"),
        field_name="period_start",
        lookup_expr="lte",
        help_text=_("Incidents whose period starts on this day or earlier."),
    )

    class Meta:
        model = Incident
        fields: list[str] = []
        form = IncidentFilterForm

    def filter_text(self, queryset, name, value):
        if self.found_only_by_similar_spelling:
            return queryset.spelled_like(value)
        return queryset.matching(value)

    @cached_property
    def found_only_by_similar_spelling(self) -> bool:
        """Decided once, on all the incidents searched, so that the search and its sample (see
        `incidents.results`) read `q` the same way."""
        return self.queryset.found_only_by_similar_spelling(self.form.cleaned_data["q"])

    @extend_schema_field(OpenApiTypes.STR)
    def filter_region(self, queryset, name, value):
        return queryset.in_regions(value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_charge(self, queryset, name, value):
        chosen = [provision.pk for provision in value]
        provisions = LegalProvision.objects.filter(pk__in=chosen)
        if self.form.cleaned_data.get("charge_equivalents"):
            provisions = LegalProvision.objects.filter(Q(pk__in=chosen) | Q(equivalents__in=chosen))
        return queryset.charged_under(provisions)

    def read_with_charge(self, queryset, name, value):
        """Only changes what `charge` matches; on its own it narrows nothing."""
        return queryset

    @extend_schema_field(OpenApiTypes.STR)
    def filter_person(self, queryset, name, value):
        return queryset.involving(person=value)

    @extend_schema_field(OpenApiTypes.STR)
    def filter_organisation(self, queryset, name, value):
        return queryset.involving(organisation=value)
