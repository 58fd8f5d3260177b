"""A URLconf that moves the incident pages, for tests of record addresses."""

from django.urls import include, path

from incidents import views

incident_patterns = ([path("cases/<slug:slug>/view/", views.IncidentDetailView.as_view(), name="detail")], "incidents")

urlpatterns = [path("archive/", include(incident_patterns))]
