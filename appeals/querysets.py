"""Which interventions the public learns of: how many appeals were sent about a public incident,
and the responses staff marked public. Everything else about an intervention is staff-only."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class InterventionQuerySet(models.QuerySet):
    def about_incident(self, incident):
        return self.filter(incident=incident)

    def public_responses(self):
        """Responses staff marked public, and received."""
        return self.filter(response_is_public=True, response_received_on__isnull=False)

    def due_for_follow_up(self, day=None):
        """Interventions whose follow-up date has come and whose outcome is still open."""
        day = day or timezone.localdate()
        return self.filter(follow_up_on__lte=day).filter(Q(outcome__in=self.model.OPEN_OUTCOMES))
