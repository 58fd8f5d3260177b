from django.urls import path

from . import evidence_views, views

app_name = "incidents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("incidents/", views.IncidentListView.as_view(), name="list"),
    path("incidents/<slug:slug>/", views.IncidentDetailView.as_view(), name="detail"),
    path("evidence/<uuid:public_id>/image/", evidence_views.public_image, name="evidence-image"),
    path("evidence/<uuid:public_id>/thumbnail/", evidence_views.public_thumbnail, name="evidence-thumbnail"),
    path("evidence/<uuid:public_id>/original/", evidence_views.original, name="evidence-original"),
]
