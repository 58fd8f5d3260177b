from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("cases/<uuid:public_id>/", views.CasePermanentAddressView.as_view(), name="permanent"),
    path("cases/<slug:slug>/", views.CaseDetailView.as_view(), name="detail"),
    path("detained/", views.DetainedListView.as_view(), name="detained"),
    path("detained/export.csv", views.export_detained_csv, name="detained_csv"),
]
