"""Which organisations the public may see, written once: as SQL here, and in Python on the model
(`Organisation.is_public`)."""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q

from core.text import words_begin

PUBLIC_ORGANISATION = Q(confidential=False)


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(PUBLIC_ORGANISATION)

    def public_through(self, field: str) -> Q:
        """For rows that point at an organisation through `field`: it is public, or there is none.

        As NOT EXISTS over the few organisations that are not (index `organisation_confidential`).
        """
        return ~Exists(self.exclude(PUBLIC_ORGANISATION).filter(pk=OuterRef(field)))

    def matching(self, query: str) -> "OrganisationQuerySet":
        """Organisations with every word of the query beginning a word of their name or an alias."""
        return self.filter(
            words_begin(
                query,
                "name_normalised",
                variants=apps.get_model("organisations", "OrganisationAlias").objects.all(),
                owner="organisation",
            )
        )
