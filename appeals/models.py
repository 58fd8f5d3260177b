"""Interventions: an appeal sent about an incident, a case or a person, to whom, when and how,
with the exact text sent and its SHA-256, the response, the outcome and the next follow-up."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import InterventionQuerySet


class Intervention(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("email")
        LETTER = "letter", _("letter")
        ONLINE_FORM = "form", _("online form")
        FAX = "fax", _("fax")
        IN_PERSON = "in_person", _("in person")
        OTHER = "other", _("other")

    class Outcome(models.TextChoices):
        AWAITING = "awaiting", _("awaiting a response")
        ACKNOWLEDGED = "acknowledged", _("acknowledged")
        NO_ACTION = "no_action", _("answered, no action")
        ACTION_TAKEN = "action", _("action taken")
        REFUSED = "refused", _("refused")
        CLOSED = "closed", _("closed without a response")

    OPEN_OUTCOMES = (Outcome.AWAITING, Outcome.ACKNOWLEDGED)

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("incident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("about the person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
    )
    recipient_organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("sent to (organisation)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_person = models.ForeignKey(
        "people.Person",
        verbose_name=_("sent to (person)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_on = models.DateField(_("sent on"))
    channel = models.CharField(_("sent by"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    subject = models.CharField(_("subject"), max_length=300)
    text_sent = models.TextField(_("text sent"), help_text=_("Exactly as sent; its SHA-256 is kept with it."))
    text_sha256 = models.CharField(_("SHA-256 of the text sent"), max_length=64, editable=False)
    response_received_on = models.DateField(_("response received on"), null=True, blank=True)
    response_text = models.TextField(_("response"), blank=True)
    response_is_public = models.BooleanField(
        _("the response may be shown on the incident's public page"), default=False
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.AWAITING)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    notes = models.TextField(_("internal notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = InterventionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incident__isnull=False) | Q(case__isnull=False) | Q(person__isnull=False),
                name="intervention_is_about_something",
                violation_error_message=_("Say what the appeal is about: an incident, a case or a person."),
            ),
            models.CheckConstraint(
                condition=Q(recipient_organisation__isnull=False) | Q(recipient_person__isnull=False),
                name="intervention_has_a_recipient",
                violation_error_message=_("Say to whom it was sent: an organisation or a person."),
            ),
            models.CheckConstraint(
                condition=Q(response_received_on__isnull=True) | Q(response_received_on__gte=F("sent_on")),
                name="intervention_response_after_sending",
                violation_error_message=_("A response cannot arrive before the appeal was sent."),
            ),
            models.CheckConstraint(
                condition=Q(response_is_public=False) | ~Q(response_text=""),
                name="intervention_public_response_has_text",
                violation_error_message=_("Only a response with its text can be shown in public."),
            ),
        ]
        indexes = [models.Index(fields=["follow_up_on", "outcome"], name="intervention_follow_up")]

    def __str__(self):
        return f"{self.sent_on}: {self.subject}"

    def save(self, *args, **kwargs):
        self.text_sha256 = hashlib.sha256(self.text_sent.encode()).hexdigest()
        super().save(*args, **kwargs)

    @property
    def recipient(self):
        return self.recipient_organisation or self.recipient_person

    def is_public_response(self) -> bool:
        """The Python twin of `InterventionQuerySet.public_responses()`."""
        return self.response_is_public and self.response_received_on is not None
