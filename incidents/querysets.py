"""What the public may see of incidents and the rows around them, written once.

Every public path (pages, CSV, API, facets, counts, search) starts from these methods. The rule
for people and organisations themselves is theirs (`people.querysets`, `organisations.querysets`);
the rows here use it through `public_through()` and, for a record already read, through
`is_public()`.
"""

import secrets

from django.apps import apps
from django.db import connections, models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Value
from django.db.models.lookups import IsNull

from core.counting import size_of
from core.lookups import AnyOf, AnyOfRows
from core.text import search_words, starts_a_word, words_begin_or_resemble
from people.querysets import PUBLICLY_NAMED
from places.models import Place

PUBLIC_FIELDS = {"status": "verified", "confidential": False}
PUBLIC = Q(**PUBLIC_FIELDS)

# One incident in SAMPLE_SHARE falls in the estimation sample (bucket 0). Counts beyond
# core.counting.EXACT_COUNT_LIMIT are estimated from the sample, so a count never reads
# more than about a hundredth of the table.
SAMPLE_SHARE = 100
# From this many involvements on, a person's incidents are read newest first (see `involving`).
BUSY_PERSON = 1000


def draw_sample_bucket() -> int:
    return secrets.randbelow(SAMPLE_SHARE)


def of_public_incident(relation: str = "incident") -> Q:
    """The incident rule for rows that belong to an incident (involvements, charges, evidence),
    as a join on their own incident rather than a subquery over every public incident."""
    return Q(**{f"{relation}__{field}": value for field, value in PUBLIC_FIELDS.items()})


def model(name: str):
    """A model of this app, looked up when a query is built: the models import this module."""
    return apps.get_model("incidents", name)


def people():
    return apps.get_model("people", "Person").objects


def organisations():
    return apps.get_model("organisations", "Organisation").objects


class IncidentQuerySet(models.QuerySet):
    def public(self):
        """What the public may see. Every public page, export and API goes through this."""
        return self.filter(PUBLIC)

    def shown_in_lists(self):
        """The public incidents, with what every list shows of them."""
        return self.public().select_related("incident_type", "place")

    def with_public_actors_and_charges(self):
        """The public ones of these incidents, with their public involvements and charges, fetched
        once for a whole list (`public_involvements`, `public_charges`).

        The incidents are narrowed to public ones here, so each row is checked by its own part of
        the public rule only, without a second join on the incident.
        """
        involvements = model("Involvement").objects.of_public_actors().select_related("person", "organisation")
        charges = model("Charge").objects.of_public_people().select_related("person", "provision__jurisdiction")
        return self.public().prefetch_related(
            Prefetch("involvements", queryset=involvements, to_attr="public_involvements"),
            Prefetch("charges", queryset=charges, to_attr="public_charges"),
        )

    def in_sample(self) -> "SampleQuerySet":
        """The incidents of the estimation sample: one in SAMPLE_SHARE, chosen at random on creation."""
        sample = self.filter(sample_bucket=0)
        return SampleQuerySet(model=sample.model, query=sample.query, using=sample._db, hints=sample._hints)

    def charged_under(self, provisions) -> "IncidentQuerySet":
        """Incidents with a public charge under one of these provisions.

        The incidents filtered are public already (a search starts from `public()`), so the
        charges' own rule suffices, without joining every public incident again.
        """
        charges = self.charges_under(provisions)
        return self.filter(pk__in=charges.values("incident"))

    def charges_under(self, provisions):
        return model("Charge").objects.of_public_people().filter(provision__in=provisions)

    def involving(self, *, person=None, organisation=None) -> "IncidentQuerySet":
        """Incidents a person or organisation is publicly involved in (a person: or charged in).

        The one rule for the person and organisation filters and their pages. For a person the
        query takes one of two equivalent shapes, after an index-only look at how many rows they
        have. Most people have a few: collect their incidents (one union subquery), then sort.
        Someone in thousands: walk the newest incidents and keep theirs until a page is full.
        The incidents are narrowed to public ones here, so the rows' own rules suffice.
        """
        involvements, charges = model("Involvement").objects, model("Charge").objects
        if person is None:
            return self.public().filter(pk__in=involvements.of_public_actor(organisation).values("incident"))
        if involvements.filter(person=person).order_by()[:BUSY_PERSON].count() < BUSY_PERSON:
            involved = involvements.of_public_actor(person).order_by().values("incident")
            charged = charges.of_public_person(person).order_by().values("incident")
            return self.public().filter(pk__in=involved.union(charged))
        involved = involvements.of_public_actor(person).filter(incident=OuterRef("pk"))
        charged = charges.of_public_person(person).filter(incident=OuterRef("pk"))
        return self.public().filter(Exists(involved) | Exists(charged))

    def in_region(self, place) -> "IncidentQuerySet":
        """Incidents in the place or anywhere inside it.

        Read from the incident's copy of its place's path: the database's statistics on that
        column know how many incidents a region holds, which a join through places hides.
        """
        return self.filter(place_path__startswith=place.path)

    def in_regions(self, places) -> "IncidentQuerySet":
        """Incidents in any of these places or anywhere inside one of them (`in_region`)."""
        if not places:
            return self.none()
        either = Q()
        for place in places:
            either |= Q(place_path__startswith=place.path)
        return self.filter(either)

    def matching(self, query: str) -> "IncidentQuerySet":
        """Incidents that every word of the query finds, typed in any spelling or script: a word
        begins a word of the incident's search text (`incidents.search`), or of a name of a place
        the incident lies in ("Mangistau" finds everything inside Mangistau Region). Both by the
        matching rule of every public search (`core.text.words_begin`).

        The places a word names, and every place inside them, are one subquery read before the
        incidents; the incidents are then matched on their own copy of the place's path.
        """
        condition = Q()
        for word in search_words(query):
            places = Place.objects.within_any(Place.objects.named(word))
            condition &= starts_a_word("search_text", word) | Q(
                AnyOfRows(F("place_path"), places.order_by().values("path"))
            )
        return self.filter(condition)

    def found_only_by_similar_spelling(self, query: str) -> bool:
        """Whether `q` finds these incidents by similar spelling (`spelled_like`) rather than as
        typed (`matching`): none of them matches it as typed, and the database compares spellings
        (PostgreSQL, with pg_trgm and the trigram index on the search text)."""
        return connections[self.db].vendor == "postgresql" and not self.matching(query).exists()

    def spelled_like(self, query: str) -> "IncidentQuerySet":
        """Incidents whose search text has every word of the query beginning one of its words or
        spelled much like one (`core.text.words_begin_or_resemble`), each marked
        `similar_spelling`. PostgreSQL only: see `found_only_by_similar_spelling`."""
        return self.filter(words_begin_or_resemble(query, "search_text")).annotate(similar_spelling=Value(True))

    def estimated_count(self) -> int:
        """How many incidents these are, from the sample: for result sets too large to count."""
        return self.in_sample().order_by().count() * SAMPLE_SHARE

    def publicly_retracted(self):
        """Incidents that were public and are withdrawn: their address answers with the reason (HTTP 410)."""
        return self.filter(status="retracted", confidential=False)

    def review_queue(self):
        """What waits for a verifier, oldest submission first."""
        return self.filter(status="submitted").order_by("submitted_at", "pk")


class SampleQuerySet(IncidentQuerySet):
    """Incidents of the estimation sample, however they are narrowed further (`in_sample()`)."""

    def charges_under(self, provisions):
        """Only the sample's charges: they have an index of their own (`charge_sample`), so the
        filter reads it instead of probing the charges of each sample incident."""
        return super().charges_under(provisions).in_sample()


class InvolvementQuerySet(models.QuerySet):
    def public(self):
        # Only rows of public incidents: drafts and private corrections have involvements too.
        return self.filter(of_public_incident()).of_public_actors()

    def of_public_actors(self):
        """The involvement's own part of the public rule, for a query whose incidents are already public."""
        return self.filter(
            Q(confidential=False),
            people().public_through("person"),
            organisations().public_through("organisation"),
        )

    def of_public_actor(self, actor):
        """The rows of one person or organisation, by the same rule as `of_public_actors()`.

        The actor's part of the rule is read from the record at hand (`is_public()`), and a
        person's rows name no organisation (the `involvement_names_exactly_one_actor`
        constraint), so only the rows' own flag is left to check in SQL.
        """
        if not actor.is_public():
            return self.none()
        actor_field = "person" if actor._meta.model_name == "person" else "organisation"
        return self.filter(**{actor_field: actor}, confidential=False)


class ChargeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(of_public_incident()).of_public_people()

    def public_within(self, incidents):
        """The public charges of some incidents (a search's results, for its charge facet).

        The incidents pass the public rule inside the subquery, so the incident table is not
        joined a second time.
        """
        return self.filter(incident__in=incidents.public().order_by().values("pk")).of_public_people()

    def public_of_incident_ids(self, ids):
        """The public charges of incidents already read from a public result set, by their ids."""
        return self.filter(AnyOf(F("incident"), ids)).of_public_people()

    def of_public_people(self):
        """The charge's own part of the public rule: its person is public."""
        return self.filter(people().public_through("person"))

    def of_public_person(self, person):
        """The charges of one person, by the same rule as `of_public_people()`, read from the person at hand."""
        return self.filter(person=person) if person.is_public() else self.none()

    def in_sample(self):
        """The charges of the sample incidents (see `Charge.sample_bucket`)."""
        return self.filter(sample_bucket=0)


class EvidenceQuerySet(models.QuerySet):
    def public(self):
        return self.filter(of_public_incident(), confidential=False)


def public_case_counts() -> tuple[dict[int, int], bool]:
    """The number of public charges under each provision (by id), and whether the counts are exact.

    Up to EXACT_COUNT_LIMIT public charges in all, each is counted. Beyond, the counts are
    estimated from the charges of the sample incidents.
    """
    charges, incidents = model("Charge").objects, model("Incident").objects
    sample = charges.public_within(incidents.in_sample()).in_sample()
    in_sample = dict(sample.values_list("provision").annotate(n=Count("pk")).order_by())
    size = size_of(charges.public(), estimate=sum(in_sample.values()) * SAMPLE_SHARE)
    if not size.exact:
        return {provision: count * SAMPLE_SHARE for provision, count in in_sample.items()}, False
    return dict(charges.public().values_list("provision").annotate(n=Count("pk")).order_by()), True


class LegalProvisionQuerySet(models.QuerySet):
    def with_public_case_counts(self) -> list:
        """The provisions, each with `case_count` (see `public_case_counts`) and `case_count_is_exact`."""
        counts, exact = public_case_counts()
        provisions = list(self)
        for provision in provisions:
            provision.case_count = counts.get(provision.pk, 0)
            provision.case_count_is_exact = exact
        return provisions


def people_in_public_cases():
    """The people rule: who the public may find and read about. Named, and part of a public case
    or a relative of someone named who is.

    A person entered for a case that is still a draft or under review gets no public page, list
    entry or search match until a verifier publishes a case they take part in. Each condition is
    a correlated EXISTS, checked person by person through indexes, so a page of people or one
    person's page reads a few rows, not every involvement.
    """
    relative_in_a_case = related_to_a_named_person_in_a_case(
        "person", "relative"
    ) | related_to_a_named_person_in_a_case("relative", "person")
    return people().publicly_named().filter(in_a_public_case(OuterRef("pk")) | relative_in_a_case)


def shown_people(person_ids) -> set[int]:
    """Which of these people (the members or relatives a page names) the people rule lets the
    public read about; no query when there are none."""
    if not person_ids:
        return set()
    return set(people_in_public_cases().filter(pk__in=person_ids).values_list("pk", flat=True))


def in_a_public_case(person: OuterRef) -> Q:
    """Whether the person (an OuterRef to someone publicly named) has a public involvement or a
    public charge.

    The person's own part of the rule is the caller's, and a person's involvement names no
    organisation, so of each row only its own flag and its incident are checked here, as
    `InvolvementQuerySet.of_public_actor` does for a person at hand.
    """
    involvements, charges = model("Involvement").objects, model("Charge").objects
    return Q(Exists(involvements.filter(of_public_incident(), row_by_row("person", person), confidential=False))) | Q(
        Exists(charges.filter(of_public_incident(), row_by_row("person", person)))
    )


def row_by_row(field: str, outer: OuterRef) -> Q:
    """The field equal to the outer row's value, checked for each outer row through an index.

    Given the equality alone, PostgreSQL may hash every matching row of the table first, not
    knowing that the outer query stops after a page. A condition on the outer row that is always
    true ("its key is not null") rules that plan out.
    """
    return Q(**{field: outer}) & Q(IsNull(outer, False))


def related_to_a_named_person_in_a_case(own_side: str, other_side: str) -> Q:
    """Whether the person (the outer row) has a relationship, on `own_side`, with someone publicly
    named who is in a public case. The relative must be named: a page whose only reason is a
    relative it may not name would point at someone the public pages hide."""
    named_relative = {f"{other_side}__{field}": value for field, value in PUBLICLY_NAMED.items()}
    relationships = apps.get_model("people", "Relationship").objects.filter(
        Q(**{own_side: OuterRef("pk")}, **named_relative) & in_a_public_case(OuterRef(other_side))
    )
    return Q(Exists(relationships))
