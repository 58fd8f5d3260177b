"""The read-only JSON API: the same public incidents and the same IncidentFilter as the pages."""

from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers, viewsets

from core.api import ListFilterBackend
from organisations.api import OrganisationViewSet
from people.api import PersonViewSet

from .filters import IncidentFilter
from .models import Incident, LegalProvision
from .querysets import public_case_counts
from .serializers import IncidentSerializer, ProvisionSerializer


class IncidentViewSet(viewsets.ReadOnlyModelViewSet):
    """Verified incidents, newest first, with the filters of the public search page."""

    serializer_class = IncidentSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = IncidentFilter
    lookup_field = "slug"

    def get_queryset(self):
        return Incident.objects.shown_in_lists().with_public_actors_and_charges()


class ProvisionViewSet(viewsets.ReadOnlyModelViewSet):
    """Legal provisions, each with its number of public cases; `/api/incidents/?charge=<slug>` lists them."""

    serializer_class = ProvisionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return LegalProvision.objects.select_related("jurisdiction")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "case_counts": public_case_counts()}


router = routers.DefaultRouter()
router.register("incidents", IncidentViewSet, basename="incident")
router.register("people", PersonViewSet, basename="person")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("charges", ProvisionViewSet, basename="provision")

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI (served from this site by drf-spectacular-sidecar) sets inline styles on its
    # elements; its scripts stay under the site-wide policy.
    path(
        "docs/",
        csp_update({"style-src": ["'self'", "'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
]
