import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Person


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name"),
        method="filter_name",
        max_length=200,
        help_text=_("Any spelling, in any script."),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        return queryset.matching(value)
