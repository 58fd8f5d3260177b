"""Who took part in an incident and how, and how incidents are linked to one another."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..querysets import InvolvementQuerySet
from .incident import Incident


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
            # from the index alone.
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
