from django.db.models import Prefetch
from django.views.generic import DetailView

from core.views import FilteredListView, FollowsMerges, PagedListMixin, UncountedListMixin, last_verified
from incidents.maps import maps_of_incidents
from incidents.models import Incident
from incidents.querysets import shown_people

from .filters import OrganisationFilter
from .models import Membership, Organisation


class OrganisationListView(UncountedListMixin, FilteredListView):
    template_name = "organisations/organisation_list.html"
    context_object_name = "organisations"
    per_page = 50
    filterset_class = OrganisationFilter

    def get_base_queryset(self):
        return Organisation.objects.public().select_related("area")


class OrganisationDetailView(FollowsMerges, PagedListMixin, DetailView):
    template_name = "organisations/organisation_detail.html"
    context_object_name = "organisation"

    def get_queryset(self):
        return (
            Organisation.objects.public()
            .select_related("area")
            .prefetch_related(
                "aliases",
                Prefetch("branches", queryset=Organisation.objects.public().select_related("area")),
            )
        )

    def get_context_data(self, **kwargs):
        organisation = self.object
        parent = (
            Organisation.objects.public().filter(pk=organisation.parent_id).first() if organisation.parent_id else None
        )
        pages = self.paged(Incident.objects.shown_in_lists().involving(organisation=organisation))
        return super().get_context_data(
            parent=parent,
            members=public_members(organisation),
            incidents=pages["items"],
            pager=pages["pager"],
            last_verified=last_verified(pages["items"]),
            maps=maps_of_incidents(
                Incident.objects.public().involving(organisation=organisation), organisation=organisation.slug
            ),
            **kwargs,
        )


def public_members(organisation: Organisation) -> list[Membership]:
    """The memberships of people the public may read about."""
    memberships = list(organisation.memberships.select_related("person"))
    shown = shown_people({membership.person_id for membership in memberships})
    return [membership for membership in memberships if membership.person_id in shown]
