from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from cases.pages import custody_of
from core.views import (
    FilteredListView,
    FollowsMerges,
    PagedListMixin,
    PermanentAddressView,
    UncountedListMixin,
    last_verified,
)
from incidents.maps import maps_of_incidents
from incidents.models import Charge, Incident
from incidents.querysets import people_in_public_cases, shown_people
from organisations.models import Membership, Organisation

from .filters import PersonFilter
from .models import Person, Relationship


class PersonListView(UncountedListMixin, FilteredListView):
    """Only people who consented to publication are listed or searchable by name."""

    template_name = "people/person_list.html"
    context_object_name = "people"
    per_page = 50
    filterset_class = PersonFilter

    def get_base_queryset(self):
        return people_in_public_cases()


class PersonPermanentAddressView(PermanentAddressView):
    """Only for a person whose page exists: a named person the people rule shows. Anyone else's
    identifier must not lead to an address made from their name."""

    def get_queryset(self):
        return Person.objects.publicly_named().filter(pk__in=people_in_public_cases().values("pk"))


class PersonDetailView(FollowsMerges, PagedListMixin, DetailView):
    """A person page exists only for people who may be named: its address is made from the name."""

    template_name = "people/person_detail.html"
    context_object_name = "person"

    def get_queryset(self):
        return Person.objects.publicly_named().prefetch_related(
            "name_variants", Prefetch("memberships", queryset=memberships_of_public_organisations())
        )

    def merge_target_queryset(self):
        return PersonPermanentAddressView().get_queryset()

    def get_object(self, queryset=None):
        """A named person with a public incident on the page is in a public case, which is what the
        people rule asks; only a person without one (a relative of someone in a case) is checked by
        the whole rule, whose fourteen subqueries are the costliest part of planning the page."""
        person = super().get_object(queryset)
        charges = Charge.objects.of_public_person(person).select_related("provision__jurisdiction", "case_link")
        incidents = (
            Incident.objects.shown_in_lists()
            .involving(person=person)
            .prefetch_related(Prefetch("charges", queryset=charges, to_attr="charges_of_person"))
        )
        self.pages = self.paged(incidents)
        if not self.pages["items"] and not people_in_public_cases().filter(pk=person.pk).exists():
            raise Http404(_("No public person has this address."))
        return person

    def get_context_data(self, **kwargs):
        relatives, related_to = public_relationships(self.object)
        return super().get_context_data(
            relatives=relatives,
            related_to=related_to,
            incidents=self.pages["items"],
            pager=self.pages["pager"],
            last_verified=last_verified(self.pages["items"]),
            maps=maps_of_incidents(Incident.objects.public().involving(person=self.object), person=self.object.slug),
            **custody_of(self.object, self.pages["items"]),
            **kwargs,
        )


def memberships_of_public_organisations():
    return Membership.objects.filter(organisation__in=Organisation.objects.public()).select_related("organisation")


def public_relationships(person: Person) -> tuple[list[Relationship], list[Relationship]]:
    """The person's relationships, each way, with people the public may read about.

    By the people rule, not only "not confidential": a relative entered for a case still in draft
    would otherwise be named, and linked to a page that does not exist.
    """
    rows = list(Relationship.objects.filter(Q(person=person) | Q(relative=person)).select_related("person", "relative"))
    relatives = [row for row in rows if row.person_id == person.pk]
    related_to = [row for row in rows if row.relative_id == person.pk]
    shown = shown_people({row.relative_id for row in relatives} | {row.person_id for row in related_to})
    return [row for row in relatives if row.relative_id in shown], [row for row in related_to if row.person_id in shown]
