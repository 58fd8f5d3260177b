"""sitemap.xml: every public record's page, for search engines, one section per kind of record.

Each section reads its records through the public rule of its kind, in id order so that the
numbered parts of a large section stay stable between reads.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from cases.models import Case
from incidents.models import Incident
from incidents.querysets import people_in_public_cases
from organisations.models import Organisation


class PublicRecordSitemap(Sitemap):
    """The pages of one kind of public record, as dated as their last change."""

    def lastmod(self, record):
        return record.updated_at


class IncidentSitemap(PublicRecordSitemap):
    def items(self):
        return Incident.objects.public().order_by("pk").only("slug", "updated_at")


class PersonSitemap(PublicRecordSitemap):
    def items(self):
        return people_in_public_cases().order_by("pk").only("slug", "updated_at")


class OrganisationSitemap(PublicRecordSitemap):
    def items(self):
        return Organisation.objects.public().order_by("pk").only("slug", "updated_at")


class CaseSitemap(PublicRecordSitemap):
    def items(self):
        return Case.objects.public().order_by("pk").only("slug", "updated_at")


class ListPageSitemap(Sitemap):
    """The public lists, where every search starts."""

    def items(self):
        return [
            "incidents:home",
            "incidents:list",
            "incidents:provision_list",
            "incidents:region_list",
            "people:list",
            "organisations:list",
            "cases:detained",
        ]

    def location(self, name: str) -> str:
        return reverse(name)


SITEMAPS = {
    "pages": ListPageSitemap,
    "incidents": IncidentSitemap,
    "people": PersonSitemap,
    "organisations": OrganisationSitemap,
    "cases": CaseSitemap,
}
