"""What every endpoint of the JSON API shares: filters that narrow lists only, and a clear answer
to a format it does not serve, and record addresses built once per view. (Imported while DRF's
views are being defined, as the content negotiation: the views' own base is in core.viewsets.)"""

from django.http import Http404
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation


class ListFilterBackend(DjangoFilterBackend):
    """The search filters narrow a list; a record's own address answers whatever its query string
    says (`/api/incidents/<slug>/?type=statement` is the incident, not a 404)."""

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", "list") != "list":
            return queryset
        return super().filter_queryset(request, queryset, view)


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `format` is a 400 naming the formats there are, not a 404 for the address."""

    def filter_renderers(self, renderers, format):
        try:
            return super().filter_renderers(renderers, format)
        except Http404:
            formats = ", ".join(renderer.format for renderer in renderers)
            message = _("There is no format “%(format)s”; use one of: %(formats)s.") % {
                "format": format,
                "formats": formats,
            }
            raise ValidationError({"format": [message]}) from None
