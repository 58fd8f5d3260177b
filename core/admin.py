from django.db.models import Q

from .text import normalise_name


class NormalisedNameSearchMixin:
    """Admin search and autocomplete that also match names the way public search does.

    The plain admin search compares raw text, so "Амирова" would miss "Amirova"; matching the
    normalised columns too finds a record under any spelling or script.
    """

    normalised_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        searched, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalise_name(search_term)
        if not term or not self.normalised_search_fields:
            return searched, may_have_duplicates
        matches = Q(pk__in=searched.values("pk"))
        for field in self.normalised_search_fields:
            matches |= Q(**{f"{field}__contains": term})
        return queryset.filter(matches), True
