from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("<uuid:public_id>/", views.PersonPermanentAddressView.as_view(), name="permanent"),
    path("<slug:slug>/", views.PersonDetailView.as_view(), name="detail"),
]
