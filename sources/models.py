from collections.abc import Iterable
from functools import reduce
from operator import or_

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import PublicRecord


class SourceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(confidential=False)


class Source(PublicRecord):
    """A document that states facts: an announcement, a news report, a court record."""

    class Kind(models.TextChoices):
        ANNOUNCEMENT = "announcement", _("announcement or appeal")
        NEWS = "news", _("news report")
        COURT = "court", _("court or official document")
        STATEMENT = "statement", _("statement or testimony")
        REPORT = "report", _("research report")
        OTHER = "other", _("other")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    author = models.CharField(_("author"), max_length=200, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    place_of_publication = models.CharField(_("place of publication"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("ISO 639-1, e.g. en, ru, kk."))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    archived_url = models.URLField(_("archived copy"), max_length=500, blank=True)
    file = models.FileField(_("file"), upload_to="sources/%Y/", blank=True)
    page = models.CharField(_("page or section"), max_length=50, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True, help_text=_("Staff only."))
    contact_details = models.CharField(_("contact details"), max_length=300, blank=True, help_text=_("Staff only."))
    notes = models.TextField(_("internal notes"), blank=True, help_text=_("Staff only."))
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("A confidential source is never named publicly.")
    )

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "title"]

    def __str__(self):
        if self.published_on:
            return f"{self.title} ({self.publisher or '?'}, {self.published_on:%Y-%m-%d})"
        return self.title


class CitationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(source__confidential=False)


class Citation(models.Model):
    """One source backing one claim of a record, with how far it can be trusted.

    Any record can carry citations through a generic relation, so a date, a place, a role or a
    sentence each shows which source says so and with what confidence.
    """

    class Confidence(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")

    class Claim(models.TextChoices):
        RECORD = "record", _("the record as a whole")
        DATE = "date", _("date and time")
        PLACE = "place", _("place")
        ROLE = "role", _("role or involvement")
        STATUS = "status", _("legal status")
        SENTENCE = "sentence", _("sentence")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    cited_record = GenericForeignKey("content_type", "object_id")
    claim = models.CharField(_("claim"), max_length=10, choices=Claim.choices, default=Claim.RECORD)
    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations")
    confidence = models.CharField(_("confidence"), max_length=6, choices=Confidence.choices, default=Confidence.MEDIUM)
    locator = models.CharField(_("page, paragraph or footnote"), max_length=100, blank=True)

    objects = CitationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["claim", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "claim", "source"], name="citation_unique_per_claim"
            )
        ]

    def __str__(self):
        return f"{self.get_claim_display()}: {self.source} ({self.get_confidence_display()})"


def attach_public_citations(records: Iterable[models.Model]) -> None:
    """Give each record the list `public_citations`: its citations from public sources.

    Records of any models are read in one query: a record page cites the record and its rows
    (an incident, its involvements, its charges), one query instead of one per model.
    """
    records = list(records)
    by_key: dict[tuple[int, int], models.Model] = {}
    for record in records:
        record.public_citations = []
        by_key[ContentType.objects.get_for_model(record).pk, record.pk] = record
    for citation in citations_of(records, Citation.objects.public()):
        by_key[citation.content_type_id, citation.object_id].public_citations.append(citation)


def citations_of(records: Iterable[models.Model], citations: models.QuerySet) -> list[Citation]:
    """Those of `citations` that cite one of the records (of any models), with their sources, in one query."""
    ids_by_type: dict[int, list[int]] = {}
    for record in records:
        ids_by_type.setdefault(ContentType.objects.get_for_model(record).pk, []).append(record.pk)
    if not ids_by_type:
        return []
    cited = reduce(or_, (Q(content_type=type_id, object_id__in=ids) for type_id, ids in ids_by_type.items()))
    return list(citations.filter(cited).select_related("source"))


def number_sources(citations: list[Citation]) -> list[Source]:
    """Number each cited source once, in order of first citation, and tag every citation with it."""
    numbers: dict[int, int] = {}
    sources = []
    for citation in citations:
        if citation.source_id not in numbers:
            numbers[citation.source_id] = len(numbers) + 1
            sources.append(citation.source)
        citation.number = numbers[citation.source_id]
    return sources
