"""The incident itself: what happened, when and where, and where it stands in review."""

import datetime
import string
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_date, format_time, period_of, truncate_to_precision
from core.models import SluggedRecord
from core.translation import in_reader_language, reader_language
from sources.models import attach_public_citations

from ..querysets import PUBLIC, IncidentQuerySet, draw_sample_bucket
from ..search import search_text_of


class IncidentType(SluggedRecord):
    name = models.CharField(_("name"), max_length=100, unique=True, help_text=_("In English."))
    name_ru = models.CharField(_("name in Russian"), max_length=100, blank=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=100, blank=True)
    description = models.TextField(_("description"), blank=True, help_text=_("In English."))
    description_ru = models.TextField(_("description in Russian"), blank=True)
    description_kk = models.TextField(_("description in Kazakh"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        ordering = ["name"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The name in the reader's language."""
        return in_reader_language(self, "name")


# The languages records are written in: the interface languages and those of neighbouring
# countries whose groups document cases.
RECORD_LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("kk", _("Kazakh")),
    ("be", _("Belarusian")),
    ("uk", _("Ukrainian")),
]
# Whole sentences: the language's name takes a different case in each translation.
TRANSLATED_FROM = {
    "en": _("Title and summary translated from English."),
    "ru": _("Title and summary translated from Russian."),
    "kk": _("Title and summary translated from Kazakh."),
    "be": _("Title and summary translated from Belarusian."),
    "uk": _("Title and summary translated from Ukrainian."),
}


class Incident(SluggedRecord):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted for review")
        VERIFIED = "verified", _("verified")
        REJECTED = "rejected", _("rejected")
        RETRACTED = "retracted", _("retracted")

    slug_source_field = "title"

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(
        _("language of the record"),
        max_length=10,
        choices=RECORD_LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the title and summary are written in; translations go below."),
    )
    incident_type = models.ForeignKey(
        IncidentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="incidents"
    )
    start_date = models.DateField(_("date"), help_text=_("For a month or a year, any day inside it."))
    start_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    dates_approximate = models.BooleanField(_("dates are approximate"), default=False)
    ongoing = models.BooleanField(_("still ongoing at the latest source"), default=False)
    local_time = models.TimeField(_("local time"), null=True, blank=True)
    local_time_approximate = models.BooleanField(_("time is approximate"), default=False)
    period_start = models.DateField(editable=False, db_index=True)
    period_end = models.DateField(editable=False, db_index=True)
    search_text = models.TextField(
        editable=False,
        blank=True,
        default="",
        help_text=_("Normalised title, summary and public actors' names, for public search."),
    )
    place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="incidents",
    )
    place_path = models.CharField(
        max_length=255,
        editable=False,
        db_index=True,
        default="",
        help_text=_("The place's path, kept here so that a region search reads the incidents' own index."),
    )
    location_detail = models.CharField(
        _("exact location"),
        max_length=300,
        blank=True,
        help_text=_("Staff only: street address, building, flat."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("A confidential incident is never published.")
    )
    private_notes = models.TextField(_("private notes"), blank=True, help_text=_("Staff only."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    review_note = models.TextField(_("note of the last review"), blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last verified by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    last_verified_at = models.DateTimeField(_("last verified"), null=True, blank=True, editable=False)
    retraction_reason = models.TextField(
        _("public reason for the retraction"), blank=True, editable=False, help_text=_("Shown to the public.")
    )
    retracted_at = models.DateTimeField(_("retracted"), null=True, blank=True, editable=False)
    revision_of = models.OneToOneField(
        "self",
        verbose_name=_("proposed correction of"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        editable=False,
        related_name="pending_correction",
        help_text=_("A correction is a private copy; verifying it applies it to the published incident."),
    )
    revision_rows = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text=_("For a correction: which of its rows stand for which rows of the published incident."),
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    sample_bucket = models.PositiveSmallIntegerField(default=draw_sample_bucket, editable=False)
    citations = GenericRelation("sources.Citation")

    objects = IncidentQuerySet.as_manager()
    # Both are derived: the search text from other records, the bucket by chance.
    history = HistoricalRecords(excluded_fields=["search_text", "sample_bucket", "place_path"])

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-period_start", "-pk"]
        permissions = [
            ("submit_incident", "Can submit an incident for review"),
            ("verify_incident", "Can verify or reject an incident entered by someone else"),
            ("retract_incident", "Can retract a verified incident"),
        ]
        # Public lists read newest first; the partial indexes hold only what the public may see,
        # so a page of results or a facet sample is a short index range at any table size.
        indexes = [
            models.Index(fields=["-period_start", "-id"], name="incident_public_newest", condition=PUBLIC),
            models.Index(
                fields=["incident_type", "-period_start", "-id"], name="incident_public_type", condition=PUBLIC
            ),
            # Holds every column the facets count, so counting the sample never reads the table.
            models.Index(
                fields=["sample_bucket", "period_start", "period_end", "place_path", "incident_type", "id"],
                name="incident_public_sample_facets",
                condition=PUBLIC,
            ),
            # The sample's incidents of given places (a `q` naming a place) or of a region are
            # one range of this index per place, not a walk over the sample's dates.
            models.Index(
                fields=["sample_bucket", "place_path"],
                opclasses=["", "varchar_pattern_ops"],
                name="incident_public_sample_place",
                condition=PUBLIC,
            ),
            # A type within a region is one range of this index, so counting such a search up to
            # the exact limit reads only its own rows.
            # With the id, the facet rows read to count it come from the index alone.
            models.Index(
                fields=["incident_type", "place_path", "period_start", "period_end", "id"],
                opclasses=["", "varchar_pattern_ops", "", "", ""],
                name="incident_public_type_region",
                condition=PUBLIC,
            ),
            # The Atom feed of newly verified incidents reads them in the order of verification.
            models.Index(fields=["-last_verified_at", "-id"], name="incident_public_verified", condition=PUBLIC),
            # The review queue, counted on every admin page: the few submitted incidents, in the
            # queue's order, rather than a scan of the whole table.
            models.Index(fields=["submitted_at", "id"], name="incident_review_queue", condition=Q(status="submitted")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revision_of__isnull=True) | ~Q(status="verified"),
                name="incident_correction_is_never_published",
                violation_error_message=_("A proposed correction is applied to its incident, never published itself."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="incident_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(local_time__isnull=True) | Q(start_precision=DatePrecision.DAY),
                name="incident_time_needs_a_day",
                violation_error_message=_("A local time needs a date known to the day."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(ongoing=False),
                name="incident_ongoing_has_no_end",
                violation_error_message=_("An ongoing incident has no end date."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("incidents:detail", kwargs={"slug": self.slug})

    def get_permanent_url(self):
        """The address that never changes, for citations: it answers with a redirect to the page."""
        return reverse("incidents:permanent", kwargs={"public_id": self.public_id})

    def cite_public_rows(self) -> list[models.Model]:
        """Give the incident and its public involvements and charges (prefetched by
        `with_public_actors_and_charges()`) their citations from public sources, as
        `public_citations`, in one query; the rows, incident excluded."""
        rows = [*self.public_involvements, *self.public_charges]
        attach_public_citations([self, *rows])
        return rows

    def place_trail(self) -> list:
        """The incident's place and every place around it, from the country down, in one query."""
        return self.place.ancestors() if self.place_id else []

    def save(self, *args, expected_version: int | None = None, **kwargs):
        """Save, and count the version; with `expected_version`, refuse to overwrite a newer save.

        The check and the count are one conditional UPDATE, so two editors who opened the same
        version cannot both succeed, whatever the database.
        """
        if self.pk is not None and expected_version is not None:
            claimed = Incident.objects.filter(pk=self.pk, version=expected_version).update(version=expected_version + 1)
            if not claimed:
                raise StaleEditError(self, expected_version)
            self.version = expected_version + 1
        elif self.pk is not None and not self._state.adding:
            self.version += 1
        self.derive_fields()
        self.search_text = search_text_of(self)
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        """Work out the fields kept from others (the dating's period, the place's path), as a save
        does: code that creates incidents in bulk calls it before `bulk_create`."""
        self.start_date = truncate_to_precision(self.start_date, self.start_precision)
        if self.end_date:
            self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        self.period_start = period_of(self.start_date, self.start_precision)[0]
        if self.end_date:
            self.period_end = period_of(self.end_date, self.end_precision)[1]
        elif self.ongoing:
            self.period_end = datetime.date.max
        else:
            self.period_end = period_of(self.start_date, self.start_precision)[1]
        self.place_path = self.place.path if self.place_id else ""

    @property
    def date_display(self) -> str:
        """The dating as the sources give it: "8 October 2011, around 22:00", "since May 2011"."""
        return dating_text(*(getattr(self, field) for field in DATING_FIELDS))

    def translation_for_reader(self) -> "IncidentTranslation | None":
        """The title and summary in the reader's language, when the record is in another one."""
        language = reader_language()
        if language == self.language:
            return None
        return self.translations.filter(language=language).first()

    EDITABLE_STATES = (Status.DRAFT, Status.SUBMITTED, Status.REJECTED)
    DELETABLE_STATES = (Status.DRAFT, Status.REJECTED)

    @property
    def is_editable(self) -> bool:
        """Published and retracted incidents change only through a verified correction."""
        return self.status in self.EDITABLE_STATES

    def delete(self, *args, **kwargs):
        if self.status not in self.DELETABLE_STATES:
            raise ProtectedIncidentError(
                _("A %(status)s incident is kept: retract it instead of deleting it.")
                % {"status": self.get_status_display()}
            )
        return super().delete(*args, **kwargs)

    @cached_property
    def public_person_names(self) -> dict[int, str]:
        """The name each person of this incident goes by in public: their name, or a pseudonym.

        People who did not consent are "Person A", "Person B"… in the order they first appear
        among this incident's public involvements, then its public charges. Only public rows
        count, so adding a staff-only record never shifts anyone's letter, and the order of
        rows is the order of their creation, so a pseudonym is the same on every visit.
        """
        return public_names(
            (row.person_id, row.person.name, row.person.consent_to_publish)
            for rows in self.public_actor_rows()
            for row in sorted(rows, key=lambda row: row.pk)
            if row.person_id
        )

    def public_actor_rows(self):
        """This incident's public involvements and charges, from a prefetch when a list made one."""
        if hasattr(self, "public_involvements") and hasattr(self, "public_charges"):
            return self.public_involvements, self.public_charges
        return (
            self.involvements.public().select_related("person"),
            self.charges.public().select_related("person"),
        )


# What an incident's dating is made of, in the order `dating_text` takes it.
DATING_FIELDS = (
    "start_date",
    "start_precision",
    "end_date",
    "end_precision",
    "dates_approximate",
    "ongoing",
    "local_time",
    "local_time_approximate",
)


def dating_text(
    start_date: datetime.date,
    start_precision: str,
    end_date: datetime.date | None,
    end_precision: str,
    approximate: bool,
    ongoing: bool,
    local_time: datetime.time | None,
    local_time_approximate: bool,
) -> str:
    """`Incident.date_display` from the values of DATING_FIELDS, for rows read without a model
    instance (the exports)."""
    since = "since" if ongoing and not end_date else None
    start = format_date(start_date, start_precision, approximate, relation=since)
    if local_time:
        start = f"{start}, {format_time(local_time, local_time_approximate)}"
    if end_date:
        return f"{start} – {format_date(end_date, end_precision, approximate)}"
    return start


def public_names(appearances: Iterable[tuple[int, str, bool]]) -> dict[int, str]:
    """`Incident.public_person_names` from its people's (id, name, consent to publish), in the order
    they appear, for rows read without a model instance (the exports)."""
    names: dict[int, str] = {}
    pseudonyms = 0
    for person_id, name, consents in appearances:
        if person_id in names:
            continue
        if consents:
            names[person_id] = name
        else:
            names[person_id] = pseudonym(pseudonyms)
            pseudonyms += 1
    return names


def pseudonym(index: int) -> str:
    """ "Person A" … "Person Z", then "Person 27" onwards."""
    letters = string.ascii_uppercase
    return _("Person %(mark)s") % {"mark": letters[index] if index < len(letters) else index + 1}


class IncidentTranslation(models.Model):
    """The title and summary of an incident in one more interface language, for its readers."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("incident"), on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["incident", "language"], name="incident_translation_one_per_language")
        ]

    def __str__(self):
        return f"{self.incident} ({self.get_language_display()})"

    @property
    def note(self) -> str:
        """What the page says above a translation."""
        return TRANSLATED_FROM[self.incident.language]


class StaleEditError(Exception):
    """Someone else saved the incident after this edit began; saving would overwrite their work."""

    def __init__(self, incident: "Incident", expected_version: int):
        super().__init__(f"Incident {incident.pk} changed since version {expected_version}.")
        self.incident = incident
        self.expected_version = expected_version


class ProtectedIncidentError(Exception):
    """A published or retracted incident cannot be deleted; its history must stay."""


class SubmittedIncident(Incident):
    """The verifiers' view of the incidents that wait for review (the admin's review queue)."""

    class Meta:
        proxy = True
        verbose_name = _("incident awaiting review")
        verbose_name_plural = _("review queue")
