from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("incidents/", views.IncidentListView.as_view(), name="list"),
    path("incidents/<slug:slug>/", views.IncidentDetailView.as_view(), name="detail"),
]
