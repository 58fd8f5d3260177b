from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import viewsets

from .filters import PersonFilter
from .models import Person
from .serializers import PersonSerializer


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """People who consented to publication of their name; `q` matches any name variant."""

    serializer_class = PersonSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = PersonFilter
    lookup_field = "slug"

    def get_queryset(self):
        return Person.objects.publicly_named().prefetch_related("name_variants")
