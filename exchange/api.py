"""/api/changes/: every change to what the public can see, in order, for re-users to stay in sync;
/api/popolo/: the public people and organisations in Popolo JSON."""

from django.conf import settings
from django.http import JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api import ListFilterBackend
from core.parameters import Parameters
from core.schema import VigilAutoSchema
from core.viewsets import ParametersChecked

from .filters import ChangeFilter
from .models import PublicChange
from .popolo import popolo_chunks
from .serializers import PublicChangeSerializer


class OnePageSchema(VigilAutoSchema):
    """The feed answers one object (a page of changes and the cursor), not a list of records."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class ChangeFeedViewSet(ParametersChecked, viewsets.GenericViewSet):
    """Changes to public incidents, people and organisations, oldest first: created and updated
    records with their public content, and removed ones (retracted, merged, made confidential or
    no longer public) as tombstones with their `public_id` and no content.

    Start without `since` (or with `since=0`), then give the `cursor` of the last change read:
    a change is never skipped nor repeated, whatever is written meanwhile. An empty page means
    the reader is up to date; come back later with the same cursor.
    """

    serializer_class = PublicChangeSerializer
    filter_backends = [ListFilterBackend]
    filterset_class = ChangeFilter
    pagination_class = None
    queryset = PublicChange.objects.all()
    schema = OnePageSchema()

    @extend_schema(
        responses=inline_serializer(
            "ChangePage",
            {
                "changes": PublicChangeSerializer(many=True),
                "cursor": serializers.IntegerField(help_text="The cursor to give as `since` next time."),
                "next": serializers.URLField(allow_null=True, help_text="The next page, while there is more."),
            },
        )
    )
    def list(self, request):
        filterset = ChangeFilter(request.query_params, queryset=PublicChange.objects.order_by("id"), request=request)
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        size = settings.CHANGES_PER_PAGE
        changes = list(filterset.qs[: size + 1])
        more = len(changes) > size
        changes = changes[:size]
        cursor = changes[-1].id if changes else int(filterset.form.cleaned_data.get("since") or 0)
        next_page = replace_query_param(request.build_absolute_uri(), "since", cursor) if more else None
        data = PublicChangeSerializer(changes, many=True, context={"request": request}).data
        return Response({"changes": data, "cursor": cursor, "next": next_page})


@require_safe
def popolo(request):
    """Public persons, organisations and memberships as one Popolo JSON document, streamed."""
    parameters = Parameters.of(None)
    problems = parameters.problems(request.GET)
    if problems:
        return JsonResponse(parameters.messages(problems), status=400)
    response = StreamingHttpResponse(popolo_chunks(request.build_absolute_uri), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="vigil-popolo.json"'
    return response
