"""/api/detained/: who is held on a day, as on /detained/, with the same filters."""

from django_filters.utils import translate_validation
from rest_framework import viewsets

from core.api import ListFilterBackend
from core.viewsets import ParametersChecked

from .detained import HeldOnDay, detail
from .filters import DetainedFilter
from .models import CustodyPeriod
from .serializers import DetaineeSerializer


class DetainedViewSet(ParametersChecked, viewsets.GenericViewSet):
    """Everyone publicly known to be held on a day (`on`, today by default), longest held first.
    `status=unknown` lists instead those still held at the last news, which is over 12 months old."""

    serializer_class = DetaineeSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = DetainedFilter
    # The schema reads the filters off the model; the rows are read by `cases.detained`.
    queryset = CustodyPeriod.objects.none()

    def list(self, request):
        filterset = DetainedFilter(request.query_params, queryset=CustodyPeriod.objects.all(), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        page = self.paginate_queryset(HeldOnDay(filterset).rows)
        return self.get_paginated_response(self.get_serializer(detail(page), many=True).data)
