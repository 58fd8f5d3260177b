import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchTextFilter

from .models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label=_("Name"),
        method="filter_name",
        help_text=_("Any of its names, translations or abbreviations."),
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        return queryset.matching(value)
