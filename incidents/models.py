import datetime
import secrets
import string

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import connection, models
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.lookups import IsNull
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.counting import rounded, size_of
from core.dates import DatePrecision, format_date, format_time, period_of, truncate_to_precision
from core.links import slug_url
from core.lookups import AnyOf
from core.models import PublicRecord, SluggedRecord
from core.querysets import built_once
from core.text import normalise_name, search_words
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person, Relationship


class IncidentType(SluggedRecord):
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("incident type")
        verbose_name_plural = _("incident types")
        ordering = ["name"]

    def __str__(self):
        return self.name


PUBLIC_FIELDS = {"status": "verified", "confidential": False}
PUBLIC = Q(**PUBLIC_FIELDS)


def of_public_incident(relation: str = "incident") -> Q:
    """The same rule for rows that belong to an incident (involvements, charges, evidence).

    Written as a join on the incident rather than `incident__in=Incident.objects.public()`:
    a subquery over every public incident costs a scan of them; a join reads only the
    incidents of the rows at hand.
    """
    return Q(**{f"{relation}__{field}": value for field, value in PUBLIC_FIELDS.items()})


# One incident in SAMPLE_SHARE falls in the estimation sample (bucket 0). Counts beyond
# core.counting.EXACT_COUNT_LIMIT are estimated from the sample, so a count never reads
# more than about a hundredth of the table.
SAMPLE_SHARE = 100
BUSY_PERSON = 1000  # involvements from which a person's incidents are read newest first


def draw_sample_bucket() -> int:
    return secrets.randbelow(SAMPLE_SHARE)


class IncidentQuerySet(models.QuerySet):
    def public(self):
        """What the public may see. Every public page, export and API goes through this."""
        return self.filter(PUBLIC)

    def in_sample(self):
        return self.filter(sample_bucket=0)

    def involving(self, *, person=None, organisation=None) -> "IncidentQuerySet":
        """Incidents a person or organisation is publicly involved in (a person: or charged in).

        The one rule for the person and organisation filters and their pages. For a person the
        query takes one of two equivalent shapes, after an index-only look at how many rows they
        have. Most people have a few: collect their incidents (one union subquery), then sort.
        Someone in thousands: walk the newest incidents and keep theirs until a page is full.
        """
        # The incidents are narrowed to public ones here, so the rows' own rules suffice: a second
        # check of each row's incident made the busiest person's page three times slower, and the
        # page of a person in 923 incidents took 43 ms instead of 31 (at a million incidents).
        if person is None:
            involved = Involvement.objects.of_public_actor(organisation).values("incident")
            return self.public().filter(pk__in=involved)
        if Involvement.objects.filter(person=person).order_by()[:BUSY_PERSON].count() < BUSY_PERSON:
            involved = Involvement.objects.of_public_actor(person).order_by().values("incident")
            charged = Charge.objects.of_public_person(person).order_by().values("incident")
            return self.public().filter(pk__in=involved.union(charged))
        involved = Involvement.objects.of_public_actor(person).filter(incident=OuterRef("pk"))
        charged = Charge.objects.of_public_person(person).filter(incident=OuterRef("pk"))
        return self.public().filter(Exists(involved) | Exists(charged))

    def in_region(self, place) -> "IncidentQuerySet":
        """Incidents in the place or anywhere inside it.

        Read from the incident's copy of its place's path: the database's statistics on that
        column know how many incidents a region holds, which a join through places hides (a
        join led PostgreSQL to sort 170,000 incidents of a large region for one page).
        """
        return self.filter(place_path__startswith=place.path)

    def estimated_count(self) -> int:
        """How many incidents these are, from the sample: for result sets too large to count."""
        return self.in_sample().order_by().count() * SAMPLE_SHARE

    def publicly_retracted(self):
        """Incidents that were public and are withdrawn: their address answers with the reason (HTTP 410)."""
        return self.filter(status=Incident.Status.RETRACTED, confidential=False)

    def review_queue(self):
        """What waits for a verifier, oldest submission first."""
        return self.filter(status=Incident.Status.SUBMITTED).order_by("submitted_at", "pk")

    def matching(self, query: str) -> "IncidentQuerySet":
        """Incidents whose search text has, for every word of the query, a word starting with it.

        Typed in any spelling or script: both sides are normalised, and every word of the search
        text follows a space (`compose_search_text`), so " word" finds the beginning of a word.
        On PostgreSQL a trigram index serves the pattern; elsewhere it reads the table.
        """
        matches = self
        for word in search_words(query):
            matches = matches.filter(search_text__contains=f" {word}")
        return matches

    def refresh_search_text(self) -> None:
        """Rebuild the search column of these incidents from their text and their public actors' names.

        Called whenever a record that feeds the column changes (see `incidents.signals`), so that
        a name that stops being public (a withdrawn consent, a confidential involvement) stops
        finding the incident at once.
        """
        incidents = list(self.order_by().values_list("pk", "title", "summary"))
        for start in range(0, len(incidents), SEARCH_TEXT_BATCH):
            batch = incidents[start : start + SEARCH_TEXT_BATCH]
            names = public_actor_names([pk for pk, _title, _summary in batch])
            store_search_texts(
                [(pk, compose_search_text(title, summary, names.get(pk, []))) for pk, title, summary in batch]
            )


SEARCH_TEXT_BATCH = 2000


def store_search_texts(texts: list[tuple[int, str]]) -> None:
    """Write (incident id, search text) pairs in one statement.

    `bulk_update()` builds a CASE expression with one branch per row, about a millisecond a row
    in Python; a joined VALUES list is a hundred times cheaper, and both SQLite (3.33+) and
    PostgreSQL accept it.
    """
    if not texts:
        return
    quote = connection.ops.quote_name
    rows = ", ".join(["(%s, %s)"] * len(texts))
    table = quote(Incident._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH new_text(id, search_text) AS (VALUES {rows}) "
            f"UPDATE {table} SET {quote('search_text')} = new_text.search_text "
            f"FROM new_text WHERE {table}.{quote('id')} = new_text.id",
            [value for pair in texts for value in pair],
        )


def in_a_public_case(person) -> Q:
    """Whether the person (an OuterRef) has a public involvement or a public charge."""
    return Q(Exists(Involvement.objects.public().filter(row_by_row("person", person)))) | Q(
        Exists(Charge.objects.public().filter(row_by_row("person", person)))
    )


def row_by_row(field: str, outer: OuterRef) -> Q:
    """The field equal to the outer row's value, checked for each outer row through an index.

    Given the equality alone, PostgreSQL may hash every matching row of the table first, not
    knowing that the outer query stops after a page: the third page of /people/ hashed all
    260,000 public charges of a million incidents (580 ms instead of 2 ms). A condition on the
    outer row that is always true ("its key is not null") rules that plan out.
    """
    return Q(**{field: outer}) & Q(IsNull(outer, False))


@built_once
def people_in_public_cases():
    """The people the public may find and read about: named, and part of a public case or a relative
    of someone named who is.

    A person entered for a case that is still a draft or under review gets no public page, list
    entry or search match until a verifier publishes a case they take part in.

    Each condition is a correlated EXISTS, checked person by person through indexes, so a page
    of people or one person's page reads a few rows, not every involvement. Building the six
    subqueries took 5 ms a page, hence `built_once`.
    """
    related = related_to_a_named_person_in_a_case
    relative_in_a_case = related("person", "relative") | related("relative", "person")
    return Person.objects.publicly_named().filter(in_a_public_case(OuterRef("pk")) | relative_in_a_case)


def shown_people(person_ids) -> set[int]:
    """Which of these people the public may read about: for the people a record's page names
    (members, relatives), checked only when it names some, since the people rule's fourteen
    subqueries take 25 ms to build and plan."""
    if not person_ids:
        return set()
    return set(people_in_public_cases().filter(pk__in=person_ids).values_list("pk", flat=True))


def related_to_a_named_person_in_a_case(own_side: str, other_side: str) -> Q:
    """Whether the person (the outer row) has a relationship, on `own_side`, with someone named who
    is in a public case. The relative must be named: a page whose only reason is a relative it may
    not name would point at someone the public pages hide."""
    relationships = Relationship.objects.filter(
        Q(**{own_side: OuterRef("pk"), f"{other_side}__consent_to_publish": True})
        & in_a_public_case(OuterRef(other_side))
    )
    return Q(Exists(relationships))


def compose_search_text(title: str, summary: str, names: list[str]) -> str:
    """Every word with a space before it, the first one too: a search for " word" then matches
    exactly the words that begin with it."""
    words = " ".join(part for part in [normalise_name(title), normalise_name(summary), *names] if part)
    return f" {words}" if words else ""


def public_actor_names(incident_ids: list[int]) -> dict[int, list[str]]:
    """Normalised names of the people, organisations and unidentified actors publicly involved.

    A person without consent to publication contributes no name: nobody may find an incident
    by typing the name that the public pages hide.

    Only the rows' own rule applies, not the incident's: an incident is saved with its new status
    (verified) after its search text is composed, and public search reads public incidents alone.
    """
    involvements = Involvement.objects.of_public_actors().filter(incident_id__in=incident_ids).order_by("pk")
    # Two queries rather than one with an OR: each gets an index plan, however many people there are.
    named_people = involvements.filter(person__in=Person.objects.publicly_named())
    other_actors = involvements.filter(person__isnull=True)
    names: dict[int, list[str]] = {}
    people: dict[int, set[int]] = {}
    organisations: dict[int, set[int]] = {}
    for incident_id, person_id, person_name in named_people.values_list(
        "incident_id", "person_id", "person__name_normalised"
    ):
        names.setdefault(incident_id, []).append(person_name)
        people.setdefault(person_id, set()).add(incident_id)
    for incident_id, organisation_id, organisation_name, unidentified in other_actors.values_list(
        "incident_id", "organisation_id", "organisation__name_normalised", "unidentified_actor"
    ):
        if organisation_id:
            names.setdefault(incident_id, []).append(organisation_name)
            organisations.setdefault(organisation_id, set()).add(incident_id)
        else:
            names.setdefault(incident_id, []).append(normalise_name(unidentified))
    if people:
        variants = NameVariant.objects.filter(person_id__in=people).order_by("pk")
        for person_id, variant in variants.values_list("person_id", "normalised"):
            for incident_id in people[person_id]:
                names[incident_id].append(variant)
    if organisations:
        aliases = OrganisationAlias.objects.filter(organisation_id__in=organisations).order_by("pk")
        for organisation_id, alias in aliases.values_list("organisation_id", "normalised"):
            for incident_id in organisations[organisation_id]:
                names[incident_id].append(alias)
    return names


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
    incident_type = models.ForeignKey(
        IncidentType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="incidents"
    )
    start_date = models.DateField(_("date"), help_text=_("For a month or a year, any day inside it."))
    start_precision = models.CharField(
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
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
            # A type within a region is one range of this index, so counting such a search up to
            # the exact limit reads only its own rows (10,001 rows: 58 ms by date, 10 ms here).
            # With the id, the facet rows read to count it come from the index alone.
            models.Index(
                fields=["incident_type", "place_path", "period_start", "period_end", "id"],
                opclasses=["", "varchar_pattern_ops", "", "", ""],
                name="incident_public_type_region",
                condition=PUBLIC,
            ),
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
        return slug_url("incidents:detail", self.slug)

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
        names = public_actor_names([self.pk]).get(self.pk, []) if self.pk else []
        self.search_text = compose_search_text(self.title, self.summary, names)
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        """The dating as the sources give it: "8 October 2011, around 22:00", "since May 2011"."""
        start = format_date(self.start_date, self.start_precision, self.dates_approximate)
        if self.local_time:
            start = f"{start}, {format_time(self.local_time, self.local_time_approximate)}"
        if self.end_date:
            return f"{start} – {format_date(self.end_date, self.end_precision, self.dates_approximate)}"
        return f"since {start}" if self.ongoing else start

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
        appearances = [
            (row.person_id, row.person.name, row.person.consent_to_publish)
            for rows in self.public_actor_rows()
            for row in sorted(rows, key=lambda row: row.pk)
            if row.person_id
        ]
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

    def public_actor_rows(self):
        """This incident's public involvements and charges, from a prefetch when a list made one."""
        if hasattr(self, "public_involvements") and hasattr(self, "public_charges"):
            return self.public_involvements, self.public_charges
        return (
            Involvement.objects.public().filter(incident=self).select_related("person"),
            Charge.objects.public().filter(incident=self).select_related("person"),
        )

    def public_evidence_images(self):
        """The public copies of the images among this incident's public evidence."""
        return EvidenceFile.objects.public_images().filter(evidence__incident=self)


def pseudonym(index: int) -> str:
    """ "Person A" … "Person Z", then "Person 27" onwards."""
    letters = string.ascii_uppercase
    return f"Person {letters[index] if index < len(letters) else index + 1}"


class StaleEditError(Exception):
    """Someone else saved the incident after this edit began; saving would overwrite their work."""

    def __init__(self, incident: "Incident", expected_version: int):
        super().__init__(f"Incident {incident.pk} changed since version {expected_version}.")
        self.incident = incident
        self.expected_version = expected_version


class ProtectedIncidentError(Exception):
    """A published or retracted incident cannot be deleted; its history must stay."""


class InvolvementQuerySet(models.QuerySet):
    def public(self):
        # Only rows of public incidents: drafts and private corrections have involvements too.
        return self.filter(of_public_incident()).of_public_actors()

    def of_public_actors(self):
        """The involvement's own part of the public rule, for a query whose incidents are already public.

        The organisation is checked with NOT EXISTS rather than an outer join: over the busiest
        person's 17,000 rows PostgreSQL then anti-joins the thousand confidential organisations
        instead of hashing all 50,000, and plans the query in a quarter of the time.
        """
        confidential_organisation = Organisation.objects.filter(pk=OuterRef("organisation"), confidential=True)
        return (
            self.filter(confidential=False)
            .exclude(person__confidential=True)
            .filter(~Exists(confidential_organisation))
        )

    def of_public_actor(self, actor: "Person | Organisation"):
        """The rows of one person or organisation, by the same rule as `of_public_actors()`.

        The actor's part of the rule is read from the record at hand, and a person's rows name no
        organisation (the `involvement_names_exactly_one_actor` constraint), so only the rows'
        own flag is left to check: over the busiest person's 17,000 rows PostgreSQL no longer
        joins the person and anti-joins the confidential organisations row by row (their page's
        incidents at a million: 12.0 -> 9.2 ms, planning 0.69 -> 0.29 ms).
        """
        if actor.confidential:
            return self.none()
        actor_field = "person" if isinstance(actor, Person) else "organisation"
        return self.filter(**{actor_field: actor}, confidential=False)


class Involvement(models.Model):
    """Who took part in an incident and how: a person, an organisation, or someone unidentified."""

    class Role(models.TextChoices):
        VICTIM = "victim", _("victim")
        PERPETRATOR = "perpetrator", _("perpetrator")
        WITNESS = "witness", _("witness")
        OTHER = "other", _("other")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="involvements",
    )
    unidentified_actor = models.CharField(
        _("unidentified actor"),
        max_length=300,
        blank=True,
        help_text=_("When nobody can be named: describe them, e.g. 'a young man, slim, about 18–20'."),
    )
    description = models.CharField(_("what happened to them or what they did"), max_length=300, blank=True)
    confidential = models.BooleanField(_("confidential"), default=False)
    citations = GenericRelation("sources.Citation")

    objects = InvolvementQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        ordering = ["incident_id", "role", "pk"]
        # "Every incident of this person / organisation" reads the index alone.
        indexes = [
            # With the columns of the public rule: a person's or organisation's rows are checked
            # from the index alone (the busiest person's 17,000 rows: 2 ms instead of 24 ms).
            models.Index(
                fields=["person", "incident"],
                include=["confidential", "organisation"],
                name="involvement_person_incident",
            ),
            models.Index(
                fields=["organisation", "incident"], include=["confidential", "person"], name="involvement_org_incident"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(person__isnull=False, organisation__isnull=True, unidentified_actor="")
                    | Q(person__isnull=True, organisation__isnull=False, unidentified_actor="")
                    | (Q(person__isnull=True, organisation__isnull=True) & ~Q(unidentified_actor=""))
                ),
                name="involvement_names_exactly_one_actor",
                violation_error_message=_(
                    "Name exactly one actor: a person, an organisation, or a description of someone unidentified."
                ),
            )
        ]

    def __str__(self):
        return f"{self.person or self.organisation or self.unidentified_actor} ({self.get_role_display()})"

    @property
    def is_editable(self) -> bool:
        return self.incident.is_editable

    @property
    def public_actor_name(self) -> str:
        """The actor as the public sees them: a person without consent goes by a pseudonym."""
        if self.person_id:
            return self.incident.public_person_names.get(self.person_id, "")
        return str(self.organisation or self.unidentified_actor)


class IncidentLink(models.Model):
    class Kind(models.TextChoices):
        SAME_CHAIN = "same_chain", _("same chain of events")
        CONTEXT = "context", _("context")
        FOLLOW_UP = "follow_up", _("follow-up")

    from_incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="links_out")
    to_incident = models.ForeignKey(
        Incident, verbose_name=_("linked incident"), on_delete=models.CASCADE, related_name="links_in"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("link between incidents")
        verbose_name_plural = _("links between incidents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_incident=F("to_incident")),
                name="incident_link_between_two_incidents",
                violation_error_message=_("An incident cannot be linked to itself."),
            ),
            models.UniqueConstraint(fields=["from_incident", "to_incident"], name="incident_link_unique"),
        ]

    def __str__(self):
        return f"{self.from_incident} → {self.to_incident} ({self.get_kind_display()})"

    @property
    def is_editable(self) -> bool:
        return self.from_incident.is_editable


def public_case_counts() -> tuple[dict[int, int], bool]:
    """The number of public charges under each provision (by id), and whether the counts are exact.

    Up to EXACT_COUNT_LIMIT public charges in all, each is counted. Beyond, the counts are
    estimated from the charges of the sample incidents: counting all 560,000 charges of a
    million incidents took 1.3 s, their sample takes 20 ms.
    """
    sample = Charge.objects.public_within(Incident.objects.in_sample()).in_sample()
    in_sample = dict(sample.values_list("provision").annotate(n=Count("pk")).order_by())
    size = size_of(Charge.objects.public(), estimate=sum(in_sample.values()) * SAMPLE_SHARE)
    if not size.exact:
        return {provision: count * SAMPLE_SHARE for provision, count in in_sample.items()}, False
    return dict(Charge.objects.public().values_list("provision").annotate(n=Count("pk")).order_by()), True


class LegalProvisionQuerySet(models.QuerySet):
    def with_public_case_counts(self) -> list["LegalProvision"]:
        """The provisions, each with `case_count` (see `public_case_counts`) and `case_count_is_exact`."""
        counts, exact = public_case_counts()
        provisions = list(self)
        for provision in provisions:
            provision.case_count = counts.get(provision.pk, 0)
            provision.case_count_is_exact = exact
        return provisions


class LegalProvision(SluggedRecord):
    """An article of a code in one edition, e.g. Article 164 of Kazakhstan's 1997 Penal Code.

    Codes get replaced and offences renumbered; `equivalents` ties an article to the same
    offence in other editions so that a case can be found under either number.
    """

    slug_source_field = "reference"

    jurisdiction = models.ForeignKey(
        "places.Place",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        related_name="legal_provisions",
        limit_choices_to={"kind": "country"},
    )
    code = models.CharField(_("code or law"), max_length=200, help_text=_("For example: Penal Code."))
    edition = models.CharField(_("edition"), max_length=50, blank=True, help_text=_("For example: 1997."))
    article = models.CharField(_("article"), max_length=20)
    part = models.CharField(_("part or paragraph"), max_length=20, blank=True)
    title_original = models.CharField(_("official title"), max_length=300, blank=True)
    title_original_language = models.CharField(_("language of the official title"), max_length=10, blank=True)
    title_en = models.CharField(_("title in English"), max_length=300)
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
        return f"{self.reference}: {self.title_en}"

    def get_absolute_url(self):
        return slug_url("incidents:provision", self.slug)

    @property
    def case_count_text(self) -> str:
        """The `case_count` set by `with_public_case_counts()`, in words."""
        if self.case_count_is_exact:
            return f"{self.case_count:,} case{'' if self.case_count == 1 else 's'}"
        if self.case_count:
            return f"about {rounded(self.case_count):,} cases"
        return "too few cases for the sample to estimate"

    @property
    def reference(self) -> str:
        code = f"{self.code} ({self.edition})" if self.edition else self.code
        part = f", part {self.part}" if self.part else ""
        return f"{self.jurisdiction}, {code}, Article {self.article}{part}"


class ChargeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(of_public_incident()).of_public_people()

    def public_within(self, incidents):
        """The public charges of some incidents (a search's results, for its charge facet).

        The incidents pass the public rule inside the subquery, so the incident table is not
        joined a second time: 18 ms instead of 26 ms over the sample of a million incidents.
        """
        return self.filter(incident__in=incidents.public().order_by().values("pk")).of_public_people()

    def public_of_incident_ids(self, ids):
        """The public charges of incidents already read from a public result set, by their ids."""
        return self.filter(AnyOf(F("incident"), ids)).of_public_people()

    def of_public_people(self):
        """The charge's own part of the public rule: its person is not confidential.

        As NOT EXISTS over the index of confidential people (`person_confidential`) rather than
        a join to every person's row.
        """
        confidential_person = Person.objects.filter(pk=OuterRef("person"), confidential=True)
        return self.filter(~Exists(confidential_person))

    def of_public_person(self, person: Person):
        """The charges of one person, by the same rule as `of_public_people()`, read from the person at hand."""
        return self.none() if person.confidential else self.filter(person=person)

    def in_sample(self):
        """The charges of the sample incidents (see `Charge.sample_bucket`)."""
        return self.filter(sample_bucket=0)


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
        _("date known to the"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    sentence = models.CharField(_("sentence"), max_length=300, blank=True, help_text=_("As pronounced."))
    sentence_months = models.PositiveIntegerField(_("sentence length in months"), null=True, blank=True)
    # The incident's sample bucket, copied on save: the charges of the estimation sample then
    # have an index of their own (`charge_sample`), so the charge facet of a large search reads
    # about 3,000 charges instead of probing the charges of 8,800 sample incidents one by one.
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
        constraints = [
            models.CheckConstraint(
                condition=Q(status="convicted") | Q(sentence="", sentence_months__isnull=True),
                name="charge_sentence_only_on_conviction",
                violation_error_message=_("Only a conviction carries a sentence."),
            )
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


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    """Where evidence files went before they were stored by content; migration 0001 refers to it."""
    instance.original_filename = filename.replace("\\", "/").rsplit("/", 1)[-1][:255]
    return f"evidence/{instance.public_id.hex[:2]}/{instance.public_id.hex}"


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(of_public_incident(), confidential=False)


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


class SubmittedIncident(Incident):
    """The verifiers' view of the incidents that wait for review (the admin's review queue)."""

    class Meta:
        proxy = True
        verbose_name = _("incident awaiting review")
        verbose_name_plural = _("review queue")


from .evidence import EvidenceAccess, EvidenceFile, StoredFile  # noqa: E402, F401  the evidence files' models
