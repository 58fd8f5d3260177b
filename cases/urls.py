from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("<uuid:public_id>/", views.CasePermanentAddressView.as_view(), name="permanent"),
    path("<slug:slug>/", views.CaseDetailView.as_view(), name="detail"),
]
