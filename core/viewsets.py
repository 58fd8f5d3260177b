"""The base of the API's views: a parameter a view does not take is an error, as a bad value is."""

from rest_framework import routers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.settings import api_settings

from .parameters import Parameters


class ParametersChecked:
    """For an API view: a parameter it does not take, or a second value of one that takes one, is
    a 400 naming it (core.parameters), as a bad value is.

    The parameters are the view's FilterSet's, its page number's and `format`. A record's own
    address takes its list's parameters too and reads none of them (ListFilterBackend).
    """

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        parameters = self.parameters()
        problems = parameters.problems(request.query_params)
        if problems:
            raise ValidationError(parameters.messages(problems))

    def parameters(self) -> Parameters:
        pagination = getattr(self, "pagination_class", None)
        page = [pagination.page_query_param] if pagination is not None else []
        return Parameters.of(getattr(self, "filterset_class", None), api_settings.URL_FORMAT_OVERRIDE, *page)


class APIRootView(ParametersChecked, routers.APIRootView):
    """The API's index, which takes `format` alone."""


class ReadOnlyViewSet(ParametersChecked, viewsets.ReadOnlyModelViewSet):
    """The base of every list and record endpoint of the API."""
