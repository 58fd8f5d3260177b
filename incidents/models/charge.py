"""Legal provisions and the charges brought under them."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, override
from simple_history.models import HistoricalRecords

from core.counting import estimated, grouped
from core.dates import DatePrecision, format_date, truncate_to_precision
from core.models import PublicRecord, SluggedRecord
from core.translation import in_reader_language, reader_language

from ..querysets import ChargeQuerySet, LegalProvisionQuerySet
from .incident import Incident


class LegalProvision(SluggedRecord):
    """An article of a code in one edition, e.g. Article 164 of Kazakhstan's 1997 Penal Code.

    Codes get replaced and offences renumbered; `equivalents` ties an article to the same
    offence in other editions so that a case can be found under either number.
    """

    slug_source_field = "reference_in_english"

    jurisdiction = models.ForeignKey(
        "places.Place",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="legal_provisions",
        limit_choices_to={"kind": "country"},
    )
    code = models.CharField(_("code or law"), max_length=200, help_text=_("For example: Penal Code."))
    code_ru = models.CharField(_("code or law in Russian"), max_length=200, blank=True)
    code_kk = models.CharField(_("code or law in Kazakh"), max_length=200, blank=True)
    edition = models.CharField(_("edition"), max_length=50, blank=True, help_text=_("For example: 1997."))
    article = models.CharField(_("article"), max_length=20)
    part = models.CharField(_("part or paragraph"), max_length=20, blank=True)
    title_original = models.CharField(_("official title"), max_length=300, blank=True)
    title_original_language = models.CharField(_("language of the official title"), max_length=10, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300)
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    title_kk = models.CharField(_("title in Kazakh"), max_length=300, blank=True)
    equivalents = models.ManyToManyField("self", verbose_name=_("equivalent provisions in other editions"), blank=True)
    history = HistoricalRecords()

    objects = LegalProvisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        ordering = ["jurisdiction__name", "code", "edition", "article", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "edition", "article", "part"], name="legal_provision_unique"
            )
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def title(self) -> str:
        """The title in the reader's language: the official one when it is in that language."""
        language = reader_language()
        if self.title_original and self.title_original_language == language:
            return self.title_original
        return getattr(self, f"title_{language}", "") or self.title_en

    def get_absolute_url(self):
        return reverse("incidents:provision", kwargs={"slug": self.slug})

    @property
    def case_count_text(self) -> str:
        """The `case_count` set by `with_public_case_counts()`, in words."""
        if self.case_count_is_exact:
            return ngettext("%(count)s case", "%(count)s cases", self.case_count) % {"count": grouped(self.case_count)}
        if self.case_count:
            return _("%(count)s cases") % {"count": estimated(self.case_count)}
        return _("too few cases for the sample to estimate")

    @property
    def reference(self) -> str:
        return f"{self.code_reference}, {self.article_reference}"

    @property
    def code_reference(self) -> str:
        """The jurisdiction and the code, with its edition, in the reader's language:
        "Kazakhstan, Penal Code (1997)"."""
        code = in_reader_language(self, "code")
        if self.edition:
            code = f"{code} ({self.edition})"
        return f"{self.jurisdiction.label}, {code}"

    @property
    def article_reference(self) -> str:
        if self.part:
            return _("Article %(article)s, part %(part)s") % {"article": self.article, "part": self.part}
        return _("Article %(article)s") % {"article": self.article}

    @property
    def reference_in_english(self) -> str:
        """What the slug is made from: an address must not depend on the language of whoever saved."""
        with override("en"):
            return self.reference


class Charge(PublicRecord):
    class Status(models.TextChoices):
        CHARGED = "charged", _("charged")
        INDICTED = "indicted", _("indicted")
        CONVICTED = "convicted", _("convicted")
        ACQUITTED = "acquitted", _("acquitted")
        DROPPED = "dropped", _("dropped")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="charges"
    )
    provision = models.ForeignKey(
        LegalProvision, verbose_name=_("legal provision"), on_delete=models.PROTECT, related_name="charges"
    )
    incident = models.ForeignKey(Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="charges")
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # A sentence is not a charge's: it belongs to a defendant in a judgment (`cases.Sentence`).
    # The incident's sample bucket, copied on save: the charges of the estimation sample then
    # have an index of their own (`charge_sample`), so the charge facet of a large search reads
    # them directly instead of probing the charges of each sample incident one by one.
    sample_bucket = models.PositiveSmallIntegerField(default=1, editable=False)
    citations = GenericRelation("sources.Citation")

    objects = ChargeQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["sample_bucket"])

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["incident_id", "person__name", "pk"]
        indexes = [
            models.Index(fields=["provision", "incident"], name="charge_provision_incident"),
            models.Index(fields=["person", "incident"], name="charge_person_incident"),
            # The charge facet reads a search's charges from the index alone.
            models.Index(fields=["incident", "provision", "person"], name="charge_incident_provision"),
            models.Index(
                fields=["incident", "provision", "person"], name="charge_sample", condition=Q(sample_bucket=0)
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.provision.reference} ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        if self.date:
            self.date = truncate_to_precision(self.date, self.date_precision)
        self.sample_bucket = self.incident.sample_bucket
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        return format_date(self.date, self.date_precision)

    @property
    def is_editable(self) -> bool:
        return self.incident.is_editable

    @property
    def public_person_name(self) -> str:
        return self.incident.public_person_names.get(self.person_id, "")
