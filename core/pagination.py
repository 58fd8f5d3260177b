"""Page numbers for the JSON API, with the same bounded counts as the pages (core.counting)."""

from django.utils.text import capfirst
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from .counting import EXACT_COUNT_LIMIT, BoundedPaginator


class BoundedPageNumberPagination(PageNumberPagination):
    """`count` is exact when `count_is_exact` is true, an estimate otherwise (or null without one).

    Pages reach the first EXACT_COUNT_LIMIT results; past them the answer is a 404 that says so.
    """

    django_paginator_class = BoundedPaginator

    def paginate_queryset(self, queryset, request, view=None):
        """A page that does not exist is a 404 that says which pages do, as on the HTML pages."""
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound:
            paginator = self.django_paginator_class(queryset, self.get_page_size(request))
            number = request.query_params.get(self.page_query_param)
            raise NotFound(capfirst(paginator.no_such_page(number))) from None

    def get_schema_operation_parameters(self, view):
        """Pages are numbered from 1; an empty `page=` is the first, as no `page` is."""
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["allowEmptyValue"] = True
        return parameters

    def get_paginated_response(self, data):
        size = self.page.paginator.size
        return Response(
            {
                "count": size.count if size.exact or size.count > EXACT_COUNT_LIMIT else None,
                "count_is_exact": size.exact,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["nullable"] = True
        response["properties"]["count_is_exact"] = {
            "type": "boolean",
            "description": f"False beyond {EXACT_COUNT_LIMIT:,} results: `count` is then an estimate.",
        }
        response["required"].append("count_is_exact")
        return response
