"""Criminal cases, the sentences pronounced in them and the periods people spend in custody.

A case groups the incidents of one prosecution. Its stages, its sentences and a person's custody
periods are each documented by one incident (the trial, the verdict, the arrest): they are rows
of that incident, public through it and reviewed with it (`incidents.workflow`), like its charges.
"Held on a day" is derived from the custody periods (`CustodyPeriodQuerySet.held_on`), never stored.
"""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_date, period_of, truncate_to_precision
from core.models import SluggedRecord

from .querysets import CaseQuerySet, CaseStageQuerySet, CustodyPeriodQuerySet, SentenceQuerySet, twelve_months_before


class Case(SluggedRecord):
    """One prosecution of one or more defendants."""

    slug_source_field = "title"

    title = models.CharField(
        _("title"), max_length=300, help_text=_("For example: The case against Natalia Sokolova (Article 164).")
    )
    number = models.CharField(_("case number"), max_length=100, blank=True, help_text=_("As the court writes it."))
    summary = models.TextField(_("summary"), blank=True)
    incidents = models.ManyToManyField(
        "incidents.Incident",
        verbose_name=_("incidents"),
        related_name="cases",
        blank=True,
        help_text=_("The arrest, searches, trial, verdict, appeal… The case is public once one of them is."),
    )
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("A confidential case is never published.")
    )
    private_notes = models.TextField(_("private notes"), blank=True, help_text=_("Staff only."))
    citations = GenericRelation("sources.Citation")

    objects = CaseQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[incidents])

    class Meta:
        verbose_name = _("criminal case")
        verbose_name_plural = _("criminal cases")
        ordering = ["title"]

    def __str__(self):
        return f"{self.title} ({self.number})" if self.number else self.title

    def get_absolute_url(self):
        return reverse("cases:detail", kwargs={"slug": self.slug})

    def get_permanent_url(self):
        return reverse("cases:permanent", kwargs={"public_id": self.public_id})


class CaseCharge(models.Model):
    """A charge (an incident's row: person, article, status, date) as part of a case; a charge
    belongs to one case at most, and its person is a defendant of the case."""

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="case_charges")
    charge = models.OneToOneField(
        "incidents.Charge", verbose_name=_("charge"), on_delete=models.CASCADE, related_name="case_link"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge in the case")
        verbose_name_plural = _("charges in the case")
        ordering = ["case", "charge_id"]

    def __str__(self):
        return str(self.charge)


class IncidentRow(models.Model):
    """A row documented by one incident: public through it, editable while it is, and part of
    its review and corrections (see `CasesConfig.ready`)."""

    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name=_("documented by the incident"),
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Published, reviewed and corrected with this incident."),
    )
    citations = GenericRelation("sources.Citation")

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.incident.is_editable


def dated(value: datetime.date | None, precision: str, relation: str | None = None) -> str:
    return format_date(value, precision, relation=relation) if value else ""


class CaseStage(IncidentRow):
    class Kind(models.TextChoices):
        INVESTIGATION = "investigation", _("investigation")
        TRIAL = "trial", _("trial")
        APPEAL = "appeal", _("appeal")
        CASSATION = "cassation", _("cassation")
        PARDON_REQUEST = "pardon", _("pardon request")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("pending")
        SENT_TO_COURT = "sent_to_court", _("sent to court")
        CLOSED = "closed", _("closed")
        CONVICTED = "convicted", _("convicted")
        ACQUITTED = "acquitted", _("acquitted")
        UPHELD = "upheld", _("judgment upheld")
        CHANGED = "changed", _("judgment changed")
        QUASHED = "quashed", _("judgment quashed")
        RETRIAL = "retrial", _("sent back for a new trial")
        GRANTED = "granted", _("granted")
        REFUSED = "refused", _("refused")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="stages")
    kind = models.CharField(_("stage"), max_length=15, choices=Kind.choices)
    start_date = models.DateField(_("start"), null=True, blank=True, help_text=_("Left blank when no source dates it."))
    start_precision = models.CharField(
        _("precision of the start"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("end or decision"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_stages",
        limit_choices_to={"kind": "court"},
    )
    judge = models.ForeignKey(
        "people.Person",
        verbose_name=_("judge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stages_judged",
        help_text=_("Shown only when the person may be named publicly."),
    )
    prosecutor = models.ForeignKey(
        "people.Person",
        verbose_name=_("prosecutor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stages_prosecuted",
        help_text=_("Shown only when the person may be named publicly."),
    )
    outcome = models.CharField(_("outcome"), max_length=15, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_note = models.CharField(_("outcome in words"), max_length=300, blank=True)

    objects = CaseStageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("stage of a case")
        verbose_name_plural = _("stages of the case")
        ordering = ["case", "start_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="case_stage_ends_after_start",
                violation_error_message=_("A stage cannot end before it starts."),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.start_date:
            self.start_date = truncate_to_precision(self.start_date, self.start_precision)
        if self.end_date:
            self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        super().save(*args, **kwargs)
        self.case.incidents.add(self.incident_id)

    def clean(self):
        if self.court_id and self.court.kind != "court":
            raise ValidationError({"court": _("Choose an organisation of the kind “court”.")}, code="not_a_court")

    @property
    def date_display(self) -> str:
        start = dated(self.start_date, self.start_precision)
        end = dated(self.end_date, self.end_precision)
        return f"{start} – {end}" if start and end and start != end else start or end


class Sentence(IncidentRow):
    """What one judgment gave one defendant, as a whole: never summed from the charges."""

    class Kind(models.TextChoices):
        IMPRISONMENT = "imprisonment", _("imprisonment")
        RESTRICTION = "restriction", _("restriction of freedom")
        HOUSE_ARREST = "house_arrest", _("house arrest")
        SUSPENDED = "suspended", _("suspended sentence")
        FINE = "fine", _("fine")
        COMPULSORY_LABOUR = "labour", _("compulsory labour")
        PSYCHIATRIC = "psychiatric", _("compulsory psychiatric treatment")

    class Regime(models.TextChoices):
        GENERAL = "general", _("general regime")
        STRICT = "strict", _("strict regime")
        SPECIAL = "special", _("special regime")
        SETTLEMENT = "settlement", _("colony-settlement")
        PRISON = "prison", _("prison")

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="sentences")
    person = models.ForeignKey(
        "people.Person", verbose_name=_("defendant"), on_delete=models.PROTECT, related_name="sentences"
    )
    judgment_date = models.DateField(
        _("date of the judgment"), null=True, blank=True, help_text=_("Left blank when no source dates it.")
    )
    judgment_date_precision = models.CharField(
        _("precision of the date"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    court = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("court"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sentences",
        limit_choices_to={"kind": "court"},
    )
    kind = models.CharField(
        _("kind of sentence"),
        max_length=15,
        choices=Kind.choices,
        blank=True,
        help_text=_("Blank only for sentences carried over from charges, whose kind no one has recorded yet."),
    )
    term_months = models.PositiveIntegerField(
        _("total term in months"), null=True, blank=True, help_text=_("The term of the whole judgment.")
    )
    regime = models.CharField(_("regime"), max_length=10, choices=Regime.choices, blank=True)
    fine_amount = models.DecimalField(_("fine"), max_digits=14, decimal_places=2, null=True, blank=True)
    fine_currency = models.CharField(_("currency"), max_length=3, blank=True, help_text=_("ISO 4217, e.g. KZT."))
    confiscation = models.BooleanField(_("confiscation of property"), default=False)
    activity_ban = models.CharField(
        _("banned from"), max_length=200, blank=True, help_text=_("For example: public or political activity.")
    )
    activity_ban_months = models.PositiveIntegerField(_("ban in months"), null=True, blank=True)
    amends = models.ForeignKey(
        "self",
        verbose_name=_("replaces the sentence"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amended_by",
        help_text=_("For a sentence after an appeal or cassation: the sentence it changed."),
    )
    change_note = models.CharField(_("what the appeal changed"), max_length=300, blank=True)
    pronounced = models.CharField(_("as pronounced"), max_length=300, blank=True)

    objects = SentenceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sentence")
        verbose_name_plural = _("sentences")
        ordering = ["case", "judgment_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(regime="") | Q(kind="imprisonment"),
                name="sentence_regime_only_for_imprisonment",
                violation_error_message=_("Only imprisonment has a regime."),
            ),
            models.CheckConstraint(
                condition=Q(kind="fine") | Q(fine_amount__isnull=True, fine_currency=""),
                name="sentence_fine_amount_only_for_a_fine",
                violation_error_message=_("An amount and a currency belong to a fine."),
            ),
            models.CheckConstraint(
                condition=Q(fine_amount__isnull=True) | ~Q(fine_currency=""),
                name="sentence_fine_has_a_currency",
                violation_error_message=_("A fine's amount needs its currency."),
            ),
            models.CheckConstraint(
                condition=Q(activity_ban_months__isnull=True) | ~Q(activity_ban=""),
                name="sentence_ban_names_the_activity",
                violation_error_message=_("Say which activity is banned."),
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.description}"

    def save(self, *args, **kwargs):
        if self.judgment_date:
            self.judgment_date = truncate_to_precision(self.judgment_date, self.judgment_date_precision)
        self.fine_currency = self.fine_currency.upper()
        super().save(*args, **kwargs)
        self.case.incidents.add(self.incident_id)

    def clean(self):
        if self.court_id and self.court.kind != "court":
            raise ValidationError({"court": _("Choose an organisation of the kind “court”.")}, code="not_a_court")
        if self.case_id and self.person_id:
            statuses = set(
                self.case.case_charges.filter(charge__person=self.person_id).values_list("charge__status", flat=True)
            )
            if statuses and statuses <= {"acquitted", "dropped"}:
                raise ValidationError(
                    _("The defendant's charges in this case ended in acquittal or were dropped: there is no sentence."),
                    code="sentence_on_acquittal",
                )

    @property
    def judgment_date_display(self) -> str:
        return dated(self.judgment_date, self.judgment_date_precision)

    @property
    def term_display(self) -> str:
        return term_in_words(self.term_months)

    @property
    def description(self) -> str:
        """The sentence in words: "imprisonment, 6 years, strict regime; banned from … for 3 years"."""
        parts = [self.get_kind_display() if self.kind else (self.pronounced or str(_("sentence")))]
        if self.term_months:
            parts.append(self.term_display)
        if self.fine_amount is not None:
            parts.append(f"{self.fine_amount:,.2f} {self.fine_currency}".replace(",", "\u00a0"))
        if self.regime:
            parts.append(self.get_regime_display())
        text = ", ".join(str(part) for part in parts)
        if self.confiscation:
            text += "; " + str(_("confiscation of property"))
        if self.activity_ban:
            ban = _("banned from %(activity)s") % {"activity": self.activity_ban}
            if self.activity_ban_months:
                ban = _("banned from %(activity)s for %(term)s") % {
                    "activity": self.activity_ban,
                    "term": term_in_words(self.activity_ban_months),
                }
            text += "; " + str(ban)
        return text


def term_in_words(months: int | None) -> str:
    """72 → "6 years", 18 → "1 year 6 months", in the reader's language."""
    if not months:
        return ""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(ngettext("%(count)s year", "%(count)s years", years) % {"count": years})
    if rest:
        parts.append(ngettext("%(count)s month", "%(count)s months", rest) % {"count": rest})
    return " ".join(parts)


class CustodyPeriod(IncidentRow):
    """A stretch of time a person is held, from a start to an end or, while open, still held as
    far as the sources say (`last_confirmed`)."""

    class Kind(models.TextChoices):
        POLICE_CUSTODY = "police", _("police custody")
        PRE_TRIAL = "pre_trial", _("pre-trial detention")
        HOUSE_ARREST = "house_arrest", _("house arrest")
        SERVING_SENTENCE = "sentence", _("serving a sentence")
        PSYCHIATRIC = "psychiatric", _("psychiatric detention")

    class EndReason(models.TextChoices):
        SENTENCE_SERVED = "served", _("released: sentence served")
        ACQUITTAL = "acquittal", _("released: acquitted")
        PAROLE = "parole", _("released on parole")
        PARDON = "pardon", _("released: pardoned")
        AMNESTY = "amnesty", _("released under an amnesty")
        EXCHANGE = "exchange", _("released in an exchange")
        RELEASED_OTHER = "released", _("released, for another or an unknown reason")
        TRANSFERRED = "transferred", _("transferred to another kind of custody")
        DIED = "died", _("died in custody")

    person = models.ForeignKey(
        "people.Person", verbose_name=_("person"), on_delete=models.PROTECT, related_name="custody_periods"
    )
    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_periods",
    )
    kind = models.CharField(_("kind of custody"), max_length=15, choices=Kind.choices)
    start_date = models.DateField(_("start"))
    start_precision = models.CharField(
        _("precision of the start"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("end"), null=True, blank=True, help_text=_("Blank while the person is held."))
    end_precision = models.CharField(
        _("precision of the end"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_reason = models.CharField(_("how it ended"), max_length=15, choices=EndReason.choices, blank=True)
    facility = models.ForeignKey(
        "places.Place",
        verbose_name=_("facility"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="custody_periods",
        limit_choices_to={"kind": "facility"},
    )
    last_confirmed = models.DateField(
        _("last confirmed by a source on"),
        null=True,
        blank=True,
        help_text=_(
            "The latest date a source says the person was still held. Left blank: the start. An open period "
            "not confirmed for 12 months is shown as “status unknown”."
        ),
    )
    # The first day the custody may have begun and the last it may have ended (none while open):
    # what "held on a day" compares against, as incidents' periods are.
    period_start = models.DateField(editable=False, db_index=True)
    period_end = models.DateField(editable=False, null=True)
    # Kept by `cases.publication` from the public rule and the person's other public periods:
    # whether the public sees this period, and the first day (and period) of the unbroken
    # public custody it belongs to.
    is_public = models.BooleanField(default=False, editable=False)
    custody_since = models.DateField(null=True, editable=False)
    custody_since_period = models.ForeignKey(
        "self", null=True, editable=False, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CustodyPeriodQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["is_public", "custody_since", "custody_since_period"])

    class Meta:
        verbose_name = _("custody period")
        verbose_name_plural = _("custody periods")
        ordering = ["person", "period_start", "pk"]
        indexes = [
            # Who is held on a day: the public periods still open, or ending on or after it.
            models.Index(
                fields=["period_end", "period_start"], condition=Q(is_public=True), name="custody_public_by_end"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="custody_ends_after_start",
                violation_error_message=_("Custody cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(end_reason=""),
                name="custody_end_reason_needs_an_end",
                violation_error_message=_("Only a custody period with an end date has a reason it ended."),
            ),
            models.CheckConstraint(
                condition=Q(last_confirmed__isnull=True) | Q(last_confirmed__gte=F("start_date")),
                name="custody_confirmed_after_start",
                violation_error_message=_("Custody cannot be confirmed before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.person}: {self.get_kind_display()}, {self.date_display}"

    def save(self, *args, **kwargs):
        self.start_date = truncate_to_precision(self.start_date, self.start_precision)
        if self.end_date:
            self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        if self.last_confirmed is None:
            self.last_confirmed = self.start_date
        self.period_start = period_of(self.start_date, self.start_precision)[0]
        self.period_end = period_of(self.end_date, self.end_precision)[1] if self.end_date else None
        super().save(*args, **kwargs)
        if self.case_id:
            self.case.incidents.add(self.incident_id)

    def clean(self):
        if self.facility_id and self.facility.kind != "facility":
            raise ValidationError(
                {"facility": _("Choose a place of the kind “detention facility”.")}, code="not_a_facility"
            )
        if self.end_date is None and self.person_id and self.other_open_periods().exists():
            raise ValidationError(
                _("This person already has an open custody period: give it an end before opening another."),
                code="second_open_period",
            )

    def other_open_periods(self):
        """The person's other open periods, leaving out proposed corrections: a correction's copy
        stands for the rows of the incident it corrects."""
        others = CustodyPeriod.objects.filter(person=self.person_id, end_date__isnull=True).exclude(pk=self.pk)
        others = others.filter(incident__revision_of__isnull=True)
        if self.incident_id and self.incident.revision_of_id:
            others = others.exclude(incident=self.incident.revision_of_id)
        return others

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def status_unknown_on(self, day: datetime.date) -> bool:
        """The Python twin of `held_on`'s `status_unknown`: open, and not confirmed in the 12 months before."""
        return self.is_open and (self.last_confirmed or self.start_date) < twelve_months_before(day)

    @property
    def date_display(self) -> str:
        start = dated(self.start_date, self.start_precision)
        if self.end_date:
            return f"{start} – {dated(self.end_date, self.end_precision)}"
        return self.since_display

    @property
    def since_display(self) -> str:
        """ "since 6 January 2012", "since May 2011"."""
        return dated(self.start_date, self.start_precision, relation="since")

    @property
    def end_display(self) -> str:
        return dated(self.end_date, self.end_precision)

    @property
    def last_confirmed_display(self) -> str:
        return dated(self.last_confirmed, DatePrecision.DAY)
