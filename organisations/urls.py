from django.urls import path

from core.views import PermanentAddressView

from . import views
from .models import Organisation

app_name = "organisations"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="list"),
    path(
        "<uuid:public_id>/",
        PermanentAddressView.as_view(queryset=Organisation.objects.public()),
        name="permanent",
    ),
    path("<slug:slug>/", views.OrganisationDetailView.as_view(), name="detail"),
]
