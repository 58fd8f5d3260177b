from django.contrib import admin
from django.urls import include, path

handler404 = "core.views.page_not_found"

urlpatterns = [
    path("admin/", admin.site.urls),
    # Django's set_language view: the language switcher posts here; no language prefix anywhere.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("incidents.api")),
    path("", include("exchange.urls")),
    path("people/", include("people.urls")),
    path("organisations/", include("organisations.urls")),
    path("", include("cases.urls")),
    path("", include("evidence_files.urls")),
    path("", include("incidents.urls")),
]
