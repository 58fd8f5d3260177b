from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Vigil administration"
admin.site.site_title = "Vigil"
admin.site.index_title = "Entry and verification"

handler404 = "core.views.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("incidents.api")),
    path("people/", include("people.urls")),
    path("organisations/", include("organisations.urls")),
    path("", include("evidence_files.urls")),
    path("", include("incidents.urls")),
]
