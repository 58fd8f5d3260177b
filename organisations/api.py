from core.api import ListFilterBackend
from core.viewsets import ReadOnlyViewSet

from .filters import OrganisationFilter
from .models import Organisation
from .serializers import OrganisationSerializer


class OrganisationViewSet(ReadOnlyViewSet):
    """Public organisations; `q` matches any of their names, translations or abbreviations."""

    serializer_class = OrganisationSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = OrganisationFilter
    lookup_field = "slug"

    def get_queryset(self):
        return Organisation.objects.public().prefetch_related("aliases")
