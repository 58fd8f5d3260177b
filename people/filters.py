import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import SearchTextFilter

from .models import Person


class PersonFilter(django_filters.FilterSet):
    q = SearchTextFilter(
        label=_("Name"),
        method="filter_name",
        help_text=_("Any spelling, in any script."),
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_name(self, queryset, name, value):
        return queryset.matching(value)
