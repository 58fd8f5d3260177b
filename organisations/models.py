from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_date, truncate_to_precision
from core.models import SluggedRecord
from core.text import normalise_name

from .querysets import OrganisationQuerySet


class Organisation(SluggedRecord):
    class Kind(models.TextChoices):
        PARTY = "party", _("political party")
        MOVEMENT = "movement", _("movement or campaign")
        NGO = "ngo", _("non-governmental organisation")
        TRADE_UNION = "union", _("trade union")
        MEDIA = "media", _("media outlet")
        STATE_BODY = "state", _("state body")
        LAW_ENFORCEMENT = "police", _("law enforcement or security agency")
        COURT = "court", _("court")
        COMPANY = "company", _("company")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=200)
    name_normalised = models.CharField(max_length=200, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("branch or part of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="branches",
    )
    area = models.ForeignKey(
        "places.Place",
        verbose_name=_("area covered"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        help_text=_("For a branch: the region or city it covers."),
    )
    description = models.TextField(_("description"), blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    citations = GenericRelation("sources.Citation")

    objects = OrganisationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="organisation_by_name"),  # the organisations list reads in this order
            # The few confidential organisations, for `OrganisationQuerySet.public_through()`.
            models.Index(fields=["id"], condition=Q(confidential=True), name="organisation_confidential"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organisation_not_its_own_branch",
                violation_error_message=_("An organisation cannot be a branch of itself."),
            )
        ]

    def __str__(self):
        return self.name

    @property
    def kind_label(self) -> str:
        """`get_kind_display()` read from the choices' enumeration: with translation on, far cheaper than
        building the dict of every translated label, and a list shows it on every row."""
        return self.Kind(self.kind).label

    def is_public(self) -> bool:
        """The Python twin of `OrganisationQuerySet.public()`, for an organisation already read."""
        return not self.confidential

    def clean(self):
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("An organisation cannot be a branch of one of its own branches.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent

    def save(self, *args, **kwargs):
        self.name_normalised = normalise_name(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("organisations:detail", kwargs={"slug": self.slug})

    def get_permanent_url(self):
        """The address that never changes, for citations: it answers with a redirect to the page."""
        return reverse("organisations:permanent", kwargs={"public_id": self.public_id})


class OrganisationAlias(models.Model):
    """Another name of an organisation: a translation, an abbreviation, an informal or former name."""

    class Kind(models.TextChoices):
        TRANSLATION = "translation", _("translation")
        TRANSLITERATION = "transliteration", _("transliteration")
        ABBREVIATION = "abbreviation", _("abbreviation")
        INFORMAL = "informal", _("informal name")
        FORMER = "former", _("former name")
        SPELLING = "spelling", _("spelling variant")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.INFORMAL)
    language = models.CharField(_("language"), max_length=10, blank=True)
    normalised = models.CharField(max_length=200, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        ordering = ["organisation_id", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="alias_unique_per_organisation")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        super().save(*args, **kwargs)


class Membership(models.Model):
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=200, help_text=_("For example: head of the branch, member."))
    start_date = models.DateField(_("from"), null=True, blank=True)
    start_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    citations = GenericRelation("sources.Citation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["person", "organisation", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="membership_ends_after_start",
                violation_error_message=_("A membership cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.person}: {self.role}, {self.organisation}"

    def save(self, *args, **kwargs):
        if self.start_date:
            self.start_date = truncate_to_precision(self.start_date, self.start_precision)
        if self.end_date:
            self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        super().save(*args, **kwargs)

    @property
    def period_display(self) -> str:
        if self.start_date and self.end_date:
            start = format_date(self.start_date, self.start_precision)
            return f"{start} – {format_date(self.end_date, self.end_precision)}"
        if self.start_date:
            return format_date(self.start_date, self.start_precision, relation="since")
        return format_date(self.end_date, self.end_precision, relation="until")
