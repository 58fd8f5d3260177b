from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from .feeds import NewlyVerifiedIncidentsFeed
from .sitemaps import SITEMAPS

app_name = "exchange"

urlpatterns = [
    path("incidents/feed.atom", NewlyVerifiedIncidentsFeed(), name="atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "exchange:sitemap"},
        name="sitemap_index",
    ),
    path("sitemap-<section>.xml", sitemap_views.sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
