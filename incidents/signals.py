"""Keep `Incident.search_text` (and `Incident.place_path`) in step with every record that feeds it.

People and organisations know nothing of incidents (they sit lower in the dependency order), so
they cannot ask for the rebuild themselves; the incidents app listens to their saves and
deletions instead. Each receiver only picks the incidents concerned and calls the one explicit
rebuild, `incidents.search.refresh_search_text`. A bulk `QuerySet.update()` sends no signal:
after one, run `manage.py refresh_search_text`.
"""

from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person
from places.models import Place
from places.signals import place_moved

from .models import Charge, Incident, Involvement
from .search import refresh_search_text


def refresh_incidents_of(*, person_id: int | None = None, organisation_id: int | None = None) -> None:
    """Rebuild the search text of the incidents a person is involved or charged in, or an
    organisation is involved in."""
    if person_id is not None:
        concerned = Q(pk__in=Involvement.objects.filter(person_id=person_id).values("incident")) | Q(
            pk__in=Charge.objects.filter(person_id=person_id).values("incident")
        )
    else:
        concerned = Q(pk__in=Involvement.objects.filter(organisation_id=organisation_id).values("incident"))
    refresh_search_text(Incident.objects.filter(concerned))


@receiver([post_save, post_delete], sender=Involvement, dispatch_uid="search_text_involvement")
def involvement_changed(sender, instance: Involvement, raw: bool = False, **kwargs):
    if not raw:
        refresh_search_text(Incident.objects.filter(pk=instance.incident_id))


@receiver([post_save, post_delete], sender=Charge, dispatch_uid="search_text_charge")
def charge_changed(sender, instance: Charge, raw: bool = False, **kwargs):
    if not raw:
        refresh_search_text(Incident.objects.filter(pk=instance.incident_id))


@receiver(post_save, sender=Person, dispatch_uid="search_text_person")
def person_changed(sender, instance: Person, raw: bool = False, **kwargs):
    if not raw:
        refresh_incidents_of(person_id=instance.pk)


@receiver([post_save, post_delete], sender=NameVariant, dispatch_uid="search_text_name_variant")
def name_variant_changed(sender, instance: NameVariant, raw: bool = False, **kwargs):
    if not raw:
        refresh_incidents_of(person_id=instance.person_id)


@receiver(post_save, sender=Organisation, dispatch_uid="search_text_organisation")
def organisation_changed(sender, instance: Organisation, raw: bool = False, **kwargs):
    if not raw:
        refresh_incidents_of(organisation_id=instance.pk)


@receiver([post_save, post_delete], sender=OrganisationAlias, dispatch_uid="search_text_alias")
def alias_changed(sender, instance: OrganisationAlias, raw: bool = False, **kwargs):
    if not raw:
        refresh_incidents_of(organisation_id=instance.organisation_id)


@receiver(place_moved, dispatch_uid="place_path_of_incidents")
def place_moved_with_its_contents(sender, place: Place, **kwargs):
    """A place moved in the hierarchy moves everything inside it: incidents keep a copy of the path
    (`Incident.place_path`) for region searches, so rewrite the copies that no longer match."""
    Incident.objects.filter(place__path__startswith=place.path).exclude(place_path=F("place__path")).update(
        place_path=Subquery(Place.objects.filter(pk=OuterRef("place_id")).values("path")[:1])
    )
