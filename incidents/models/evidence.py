"""Evidence records of an incident; their files are the `evidence_files` app's."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import PublicRecord

from ..querysets import EvidenceQuerySet
from .incident import Incident


class Evidence(PublicRecord):
    class Kind(models.TextChoices):
        MEDICAL = "medical", _("medical record")
        PHOTO = "photo", _("photograph")
        VIDEO = "video", _("video")
        AUDIO = "audio", _("audio recording")
        DOCUMENT = "document", _("document")
        TESTIMONY = "testimony", _("testimony")
        SEIZED_PROPERTY = "seized", _("seized or damaged property")
        OTHER = "other", _("other")

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"))
    source = models.ForeignKey(
        "sources.Source",
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence",
    )
    obtained_by = models.CharField(_("obtained by"), max_length=200, blank=True)
    obtained_on = models.DateField(_("obtained on"), null=True, blank=True)
    obtained_how = models.TextField(
        _("how it was obtained"),
        blank=True,
        help_text=_("The chain of custody: handed over by whom, copied from where, kept how."),
    )
    confidential = models.BooleanField(_("confidential"), default=False)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["incident_id", "pk"]
        permissions = [("view_evidence_original", _("Can download the original of an evidence file"))]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def is_editable(self) -> bool:
        return self.incident.is_editable
