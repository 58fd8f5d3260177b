"""Interventions: an appeal sent about an incident, a case or a person, to whom, when and how,
with the exact text sent and its SHA-256, the response, the outcome and the next follow-up."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
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
    appeal = models.ForeignKey(
        "Appeal",
        verbose_name=_("the appeal sent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="interventions",
        limit_choices_to={"status": "final"},
        help_text=_("A final appeal drafted here, when this is its sending."),
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
    response_file = models.FileField(
        _("response as a file"),
        upload_to="responses/%Y/",
        blank=True,
        help_text=_("A scan or the file received. Staff only: never shown in public."),
    )
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


class Appeal(models.Model):
    """An appeal drafted from verified facts, edited by staff, then made final and sent
    (an `Intervention` records each sending)."""

    class Template(models.TextChoices):
        UN_COMMUNICATION = "un", _("communication to the UN special procedures")
        PRESS_RELEASE = "press", _("press release or emergency announcement")
        AUTHORITY_LETTER = "letter", _("letter to an authority")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        FINAL = "final", _("final")

    template = models.CharField(_("template"), max_length=10, choices=Template.choices)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("drafted from the incident"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("drafted from the case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("drafted from the person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", verbose_name=_("incidents included"), related_name="appeals", blank=True
    )
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(
        _("text"),
        help_text=_("Markdown: # for a heading, 1. for a numbered list, **bold**. [1] cites the first source."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    finalised_at = models.DateTimeField(_("made final"), null=True, blank=True, editable=False)

    history = HistoricalRecords()

    class Meta:
        # In context: "appeal" alone is also a court's appeal stage (cases.CaseStage.Kind.APPEAL).
        verbose_name = pgettext_lazy("advocacy", "appeal")
        verbose_name_plural = pgettext_lazy("advocacy", "appeals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incident__isnull=False) | Q(case__isnull=False) | Q(person__isnull=False),
                name="appeal_is_drafted_from_something",
                violation_error_message=_("An appeal is drafted from an incident, a case or a person."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(finalised_at__isnull=False),
                name="appeal_final_has_a_date",
                violation_error_message=_("A final appeal has the date it was made final."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def drafted_from(self):
        return self.incident or self.case or self.person
