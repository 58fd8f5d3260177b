"""The project's URLs plus a trivial view: the HTTP floor every page is compared with."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("bench-floor/", floor), path("", include("config.urls"))]
