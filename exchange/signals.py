"""Saves and deletions that can change what the public sees mark what they touched, for the
change feed to work out once they are committed (`exchange.changes`)."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from incidents.models import Charge, Incident, IncidentType, Involvement, LegalProvision
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person, Relationship
from places.models import Place
from sources.models import Citation, Source

from .changes import mark
from .models import RecordKind


@receiver(post_save, sender=Incident, dispatch_uid="feed_incident_saved")
@receiver(post_save, sender=Person, dispatch_uid="feed_person_saved")
@receiver(post_save, sender=Organisation, dispatch_uid="feed_organisation_saved")
def record_saved(sender, instance, **kwargs):
    mark(sender._meta.model_name, instance.pk)


@receiver(post_delete, sender=Incident, dispatch_uid="feed_incident_deleted")
@receiver(post_delete, sender=Person, dispatch_uid="feed_person_deleted")
@receiver(post_delete, sender=Organisation, dispatch_uid="feed_organisation_deleted")
def record_deleted(sender, instance, **kwargs):
    mark(f"gone-{sender._meta.model_name}", instance.public_id)


@receiver([post_save, post_delete], sender=Involvement, dispatch_uid="feed_involvement")
@receiver([post_save, post_delete], sender=Charge, dispatch_uid="feed_charge")
def actor_row_changed(sender, instance, **kwargs):
    """The incident's row changes, and its actors may become public (or stop being)."""
    mark(RecordKind.INCIDENT, instance.incident_id)
    if instance.person_id:
        mark(RecordKind.PERSON, instance.person_id)
    if getattr(instance, "organisation_id", None):
        mark(RecordKind.ORGANISATION, instance.organisation_id)


@receiver([post_save, post_delete], sender=NameVariant, dispatch_uid="feed_name_variant")
def name_variant_changed(sender, instance, **kwargs):
    mark(RecordKind.PERSON, instance.person_id)


@receiver([post_save, post_delete], sender=Relationship, dispatch_uid="feed_relationship")
def relationship_changed(sender, instance, **kwargs):
    mark(RecordKind.PERSON, instance.person_id)
    mark(RecordKind.PERSON, instance.relative_id)


@receiver([post_save, post_delete], sender=OrganisationAlias, dispatch_uid="feed_alias")
def alias_changed(sender, instance, **kwargs):
    mark(RecordKind.ORGANISATION, instance.organisation_id)


@receiver(post_save, sender=Place, dispatch_uid="feed_place")
@receiver(post_save, sender=LegalProvision, dispatch_uid="feed_provision")
@receiver(post_save, sender=IncidentType, dispatch_uid="feed_incident_type")
@receiver(post_save, sender=Source, dispatch_uid="feed_source")
def vocabulary_changed(sender, instance, **kwargs):
    """A name or a source's confidentiality shows in the rows of the incidents that use them."""
    kind = {Place: "place", LegalProvision: "provision", IncidentType: "incident_type", Source: "source"}[sender]
    mark(kind, instance.pk)


@receiver([post_save, post_delete], sender=Citation, dispatch_uid="feed_citation")
def citation_changed(sender, instance, **kwargs):
    if instance.content_type_id == ContentType.objects.get_for_model(Incident).pk:
        mark(RecordKind.INCIDENT, instance.object_id)
