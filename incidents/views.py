from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.template.response import TemplateResponse
from django.views.generic import DetailView, ListView

from sources.models import Citation

from .models import Charge, Evidence, Incident, Involvement


def public_incidents():
    return Incident.objects.public().select_related("incident_type", "place")


class HomeView(ListView):
    template_name = "incidents/home.html"
    context_object_name = "latest_incidents"

    def get_queryset(self):
        return public_incidents()[:10]

    def get_context_data(self, **kwargs):
        return super().get_context_data(incident_count=Incident.objects.public().count(), **kwargs)


class IncidentListView(ListView):
    template_name = "incidents/incident_list.html"
    context_object_name = "incidents"
    paginate_by = settings.INCIDENTS_PER_PAGE

    def get_queryset(self):
        return public_incidents()


class IncidentDetailView(DetailView):
    template_name = "incidents/incident_detail.html"
    context_object_name = "incident"

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            retracted = Incident.objects.publicly_retracted().filter(slug=kwargs["slug"]).first()
            if retracted is None:
                raise
            # Gone, with the reason, rather than "not found": people who cited it learn why.
            return TemplateResponse(request, "incidents/incident_retracted.html", {"incident": retracted}, status=410)

    def get_queryset(self):
        return public_incidents().prefetch_related(
            Prefetch("citations", queryset=Citation.objects.public().select_related("source")),
            Prefetch(
                "involvements",
                queryset=Involvement.objects.public().select_related("person", "organisation"),
            ),
            Prefetch(
                "charges",
                queryset=Charge.objects.public().select_related("person", "provision__jurisdiction"),
            ),
            Prefetch("evidence", queryset=Evidence.objects.public()),
        )
