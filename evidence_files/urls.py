from django.urls import path

from . import views

app_name = "evidence_files"

urlpatterns = [
    path("evidence/<uuid:public_id>/image/", views.public_image, name="image"),
    path("evidence/<uuid:public_id>/thumbnail/", views.public_thumbnail, name="thumbnail"),
    path("evidence/<uuid:public_id>/original/", views.original, name="original"),
]
