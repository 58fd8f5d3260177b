from core.api import ListFilterBackend
from core.viewsets import ReadOnlyViewSet
from incidents.querysets import people_in_public_cases

from .filters import PersonFilter
from .serializers import PersonSerializer


class PersonViewSet(ReadOnlyViewSet):
    """People who consented to publication of their name; `q` matches any name variant."""

    serializer_class = PersonSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = PersonFilter
    lookup_field = "slug"

    def get_queryset(self):
        return people_in_public_cases().prefetch_related("name_variants")
