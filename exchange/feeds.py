"""An Atom feed of the incidents verified most recently, for re-users who follow new cases."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from incidents.models import Incident

NEWLY_VERIFIED = 50


class NewlyVerifiedIncidentsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Vigil: newly verified incidents")
    subtitle = _("Incidents checked against their sources and published, the most recently verified first.")

    def link(self):
        return reverse("incidents:list")

    def items(self):
        return Incident.objects.shown_in_lists().order_by("-last_verified_at", "-pk")[:NEWLY_VERIFIED]

    def item_title(self, incident: Incident) -> str:
        return incident.title

    def item_description(self, incident: Incident) -> str:
        return incident.summary

    def item_guid(self, incident: Incident) -> str:
        return f"urn:uuid:{incident.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, incident: Incident):
        return incident.last_verified_at

    def item_updateddate(self, incident: Incident):
        return incident.last_verified_at

    def item_categories(self, incident: Incident) -> list[str]:
        return [incident.incident_type.name]
