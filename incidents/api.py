"""The read-only JSON API: the same public incidents and the same IncidentFilter as the pages."""

from functools import cached_property

from csp.decorators import csp_update
from django.db.models import F
from django.http import Http404
from django.urls import include, path
from drf_spectacular.utils import extend_schema, extend_schema_view
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.response import Response

from cases.api import DetainedViewSet
from core.api import ListFilterBackend
from core.lookups import AnyOf
from core.viewsets import APIRootView, ReadOnlyViewSet
from exchange.api import ChangeFeedViewSet, popolo
from organisations.api import OrganisationViewSet
from people.api import PersonViewSet
from places.models import Place

from .filters import IncidentFilter
from .models import Incident, LegalProvision
from .querysets import public_case_counts
from .results import SearchResults
from .serializers import (
    IncidentDetailSerializer,
    IncidentSerializer,
    PlaceWithIncidentsSerializer,
    ProvisionSerializer,
    RetractedIncidentSerializer,
)


@extend_schema_view(retrieve=extend_schema(responses={200: IncidentDetailSerializer, 410: RetractedIncidentSerializer}))
class IncidentViewSet(ReadOnlyViewSet):
    """Verified incidents, newest first, with the filters of the public search page."""

    serializer_class = IncidentSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = IncidentFilter
    lookup_field = "slug"

    def get_queryset(self):
        return Incident.objects.shown_in_lists().with_public_actors_and_charges()

    def get_serializer_class(self):
        return IncidentDetailSerializer if self.action == "retrieve" else IncidentSerializer

    def get_object(self):
        incident = super().get_object()
        incident.cite_public_rows()
        return incident

    def retrieve(self, request, *args, **kwargs):
        """A retracted incident is gone, with the reason, as on its page: those who cited it learn why."""
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            retracted = Incident.objects.publicly_retracted().filter(slug=kwargs["slug"]).first()
            if retracted is None:
                raise
            return Response(RetractedIncidentSerializer(retracted).data, status=410)


class ProvisionViewSet(ReadOnlyViewSet):
    """Legal provisions, each with its number of public cases; `/api/incidents/?charge=<slug>` lists them."""

    serializer_class = ProvisionSerializer
    lookup_field = "slug"

    def get_queryset(self):
        return LegalProvision.objects.select_related("jurisdiction")

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "case_counts": public_case_counts()}


class PlaceViewSet(ReadOnlyViewSet):
    """Countries, regions and smaller places with public incidents, each after the place it lies
    in, with all their names and the public incidents inside each; `/api/incidents/?region=<slug>`
    lists them."""

    serializer_class = PlaceWithIncidentsSerializer
    lookup_field = "slug"

    @cached_property
    def results(self) -> SearchResults:
        return SearchResults.of(Incident.objects.public())

    @cached_property
    def place_counts(self):
        return self.results.place_counts()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema reads the model only
            return Place.objects.none()
        return (
            Place.objects.filter(AnyOf(F("pk"), list(self.place_counts)))
            .select_related("parent")
            .prefetch_related("names")
            .order_by("path")
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "place_counts": self.place_counts,
            "place_counts_are_exact": self.results.size.exact,
        }


router = routers.DefaultRouter()
router.APIRootView = APIRootView
router.register("incidents", IncidentViewSet, basename="incident")
router.register("people", PersonViewSet, basename="person")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("charges", ProvisionViewSet, basename="provision")
router.register("places", PlaceViewSet, basename="place")
router.register("detained", DetainedViewSet, basename="detained")
router.register("changes", ChangeFeedViewSet, basename="change")

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("popolo/", popolo, name="popolo"),
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
