"""Which people the public may see, written once: as SQL here, and in Python on the model
(`Person.is_public`, `Person.is_publicly_named`)."""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.text import words_begin

PUBLIC_PERSON = {"confidential": False}
PUBLICLY_NAMED = {**PUBLIC_PERSON, "consent_to_publish": True}


class PersonQuerySet(models.QuerySet):
    def public(self):
        """People who may appear on public pages, under a pseudonym when they gave no consent."""
        return self.filter(**PUBLIC_PERSON)

    def publicly_named(self):
        """People whose name may be shown and searched publicly."""
        return self.filter(**PUBLICLY_NAMED)

    def public_through(self, field: str) -> Q:
        """For rows that point at a person through `field` (involvements, charges): the person is
        public, or there is none.

        As NOT EXISTS over the few people who are not public (index `person_confidential`), so
        the rows are checked without reading every person's row.
        """
        return ~Exists(self.exclude(**PUBLIC_PERSON).filter(pk=OuterRef(field)))

    def matching(self, query: str) -> "PersonQuerySet":
        """People with every word of the query beginning a word of their name or of a name variant."""
        return self.filter(
            words_begin(
                query, "name_normalised", variants=apps.get_model("people", "NameVariant").objects.all(), owner="person"
            )
        )
