"""Keep what `cases.publication` stores on custody periods in step with what it is read from.

A bulk `QuerySet.update()` sends no signal: code that changes incidents, cases, people or custody
periods in bulk calls `refresh_public_custody` itself (as `generate_custody` does).
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from incidents.models import Incident
from people.models import Person

from .models import Case, CustodyPeriod
from .publication import refresh_public_custody


@receiver(pre_save, sender=CustodyPeriod, dispatch_uid="custody_person_before")
def remember_person(sender, instance, **kwargs):
    """A period moved to another person leaves the first one's custody too."""
    before = CustodyPeriod.objects.filter(pk=instance.pk) if instance.pk else CustodyPeriod.objects.none()
    instance._person_before = before.values_list("person_id", flat=True).first()


@receiver([post_save, post_delete], sender=CustodyPeriod, dispatch_uid="custody_period_changed")
def period_changed(sender, instance, **kwargs):
    refresh_public_custody({instance.person_id, getattr(instance, "_person_before", None)} - {None})


@receiver(post_save, sender=Incident, dispatch_uid="custody_incident_changed")
def incident_changed(sender, instance, **kwargs):
    refresh_public_custody(CustodyPeriod.objects.filter(incident=instance).values_list("person_id", flat=True))


@receiver(post_save, sender=Case, dispatch_uid="custody_case_changed")
def case_changed(sender, instance, **kwargs):
    refresh_public_custody(CustodyPeriod.objects.filter(case=instance).values_list("person_id", flat=True))


@receiver(post_save, sender=Person, dispatch_uid="custody_person_changed")
def person_changed(sender, instance, **kwargs):
    if CustodyPeriod.objects.filter(person=instance).exists():
        refresh_public_custody([instance.pk])
