"""What the public may see of cases, sentences and custody, written once.

Rows are public through the incident that documents them (`incidents.querysets.of_public_incident`,
the incidents' own rule) and a case that is not confidential. A case is public when it is not
confidential and spans a public incident. Defendants without consent are pseudonymised on the case
page, as on incident pages; custody periods, which list a person as held, are public only for people
who may be named.
"""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, OuterRef, Q

from core.text import search_words, starts_a_word
from incidents.querysets import of_public_incident
from people.querysets import PUBLIC_PERSON, PUBLICLY_NAMED

# An open custody period not confirmed by a source for this long is "status unknown", not "held".
CONFIRMATION_MONTHS = 12


def twelve_months_before(day: datetime.date) -> datetime.date:
    """The same day a year earlier (28 February for a 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def person_is(rule: dict, relation: str = "person") -> Q:
    return Q(**{f"{relation}__{field}": value for field, value in rule.items()})


def of_public_case(relation: str = "case") -> Q:
    return Q(**{f"{relation}__confidential": False})


class CaseQuerySet(models.QuerySet):
    def public(self):
        """Cases the public may read: not confidential, and spanning at least one public incident."""
        incidents = apps.get_model("incidents", "Incident").objects.public().filter(cases=OuterRef("pk"))
        return self.filter(confidential=False).filter(Exists(incidents))

    def of_defendant(self, person):
        """The public cases that sentenced or hold the person, through their public sentences and
        custody periods (a case whose only row naming them is still in review does not name them
        yet). The cases of their charges are linked beside each charge (`attach_public_cases`):
        read here, a busy person's thousands of charges would each be checked."""
        model = apps.get_model
        sentenced = model("cases", "Sentence").objects.public().filter(person=person).order_by().values_list("case")
        held = model("cases", "CustodyPeriod").objects.public().filter(person=person, case__isnull=False)
        case_ids = sentenced.union(held.order_by().values_list("case"))
        return self.public().filter(pk__in=[case_id for (case_id,) in case_ids])


class CaseStageQuerySet(models.QuerySet):
    def public(self):
        return self.filter(of_public_incident(), of_public_case())


class SentenceQuerySet(models.QuerySet):
    def public(self):
        """Public sentences; a defendant without consent is shown under a pseudonym."""
        return self.filter(of_public_incident(), of_public_case(), person_is(PUBLIC_PERSON))


class CustodyPeriodQuerySet(models.QuerySet):
    def public(self):
        """Public custody periods, as kept on each period by `cases.publication` from
        `under_the_public_rule`."""
        return self.filter(is_public=True)

    def under_the_public_rule(self):
        """The rule itself: periods of a public incident, of a person who may be named, and of no
        confidential case. Read when something it depends on changes, not on each request."""
        return self.filter(of_public_incident(), Q(case__isnull=True) | of_public_case(), person_is(PUBLICLY_NAMED))

    def covering(self, day: datetime.date):
        """Periods that may include the day: begun by then (to the precision of the start), and
        open or ended on or after it."""
        return self.filter(Q(period_start__lte=day), Q(period_end__isnull=True) | Q(period_end__gte=day))

    def held_on(self, day: datetime.date):
        """Who is held on the day: the public periods that cover it, each with `status_unknown`.

        An open period whose last confirmation is more than CONFIRMATION_MONTHS before the day is
        `status_unknown` (shown as "status unknown since <last_confirmed>", not as held); narrow
        with `.confirmed()` or `.status_unknown()`. The Python twin is `CustodyPeriod.status_unknown_on`.
        """
        stale = Q(period_end__isnull=True, last_confirmed__lt=twelve_months_before(day))
        return (
            self.public().covering(day).annotate(status_unknown=ExpressionWrapper(stale, output_field=BooleanField()))
        )

    def confirmed(self):
        """After `held_on`: only the people held as far as a recent source says."""
        return self.filter(status_unknown=False)

    def status_unknown(self):
        """After `held_on`: open periods whose sources have gone quiet for over 12 months."""
        return self.filter(status_unknown=True)

    def in_regions(self, places):
        """Periods of a case from any of these places (the documenting incident's place), or spent
        in a facility inside one of them."""
        either = Q()
        for place in places:
            either |= Q(incident__place_path__startswith=place.path) | Q(facility__path__startswith=place.path)
        return self.filter(either)

    def charged_under(self, provisions):
        """Periods of people charged under one of these provisions in the same case, or, for a
        period outside any case, in the incident that documents it: the articles they are held on."""
        charges = (
            apps.get_model("incidents", "Charge")
            .objects.public()
            .filter(
                Q(case_link__case=OuterRef("case")) | Q(incident=OuterRef("incident")),
                person=OuterRef("person"),
                provision__in=provisions,
            )
        )
        return self.filter(Exists(charges))

    def of_members_of(self, organisation):
        """Periods of people who belong (or belonged) to the organisation."""
        memberships = apps.get_model("organisations", "Membership").objects.filter(
            person=OuterRef("person"), organisation=organisation
        )
        return self.filter(Exists(memberships))

    def naming(self, query: str):
        """Periods of people with every word of the query beginning a word of their name or of
        one of its spellings, as the people search reads it; checked on the periods already
        narrowed, not on everyone's names."""
        return self.filter(self.names_condition(query, alike=False))

    def naming_alike(self, query: str):
        """`naming`, with each word also found when spelled much like a word of a name (pg_trgm's
        strict word similarity, as the incident search reads a misspelled name). PostgreSQL only."""
        return self.filter(self.names_condition(query, alike=True))

    @staticmethod
    def names_condition(query: str, *, alike: bool) -> Exists:
        """Checked person by person, for the few thousand periods the day leaves: a join would
        have the database read every person's name first."""
        model = apps.get_model
        variants = model("people", "NameVariant").objects.filter(person=OuterRef("pk"))
        condition = Q()
        for word in search_words(query):
            name = starts_a_word("name_normalised", word)
            variant = starts_a_word("normalised", word)
            if alike:
                name |= Q(name_normalised__trigram_strict_word_similar=word)
                variant |= Q(normalised__trigram_strict_word_similar=word)
            condition &= name | Exists(variants.filter(variant))
        return Exists(model("people", "Person").objects.filter(condition, pk=OuterRef("person")))

    def held_counts(self, days: list[datetime.date]) -> dict[datetime.date, int]:
        """How many people were held (confirmed, as `held_on(...).confirmed()`) on each of the days,
        in one query: the public periods read once, each day a filtered count of distinct people."""
        counts = {
            day.isoformat(): Count(
                "person",
                distinct=True,
                filter=Q(period_start__lte=day)
                & (Q(period_end__gte=day) | Q(period_end__isnull=True, last_confirmed__gte=twelve_months_before(day))),
            )
            for day in days
        }
        earliest = min(days)
        rows = self.public().filter(Q(period_end__isnull=True) | Q(period_end__gte=earliest)).aggregate(**counts)
        return {day: rows[day.isoformat()] for day in days}
