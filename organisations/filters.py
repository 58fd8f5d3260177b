import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_name",
        max_length=200,
        help_text=_("Any of its names, translations or abbreviations."),
    )

    class Meta:
        model = Organisation
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        return queryset.matching(value)
