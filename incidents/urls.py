from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("incidents/", views.IncidentListView.as_view(), name="list"),
    path("incidents/export.csv", views.export_csv, name="export_csv"),
    path("incidents/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("incidents/involvements.csv", views.export_involvements_csv, name="export_involvements_csv"),
    path("incidents/involvements.xlsx", views.export_involvements_xlsx, name="export_involvements_xlsx"),
    path("incidents/<uuid:public_id>/", views.IncidentPermanentAddressView.as_view(), name="permanent"),
    path("incidents/<slug:slug>/", views.IncidentDetailView.as_view(), name="detail"),
    path("charges/", views.ProvisionListView.as_view(), name="provision_list"),
    path("charges/<slug:slug>/", views.ProvisionDetailView.as_view(), name="provision"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/<slug:slug>/", views.RegionDetailView.as_view(), name="region"),
]
