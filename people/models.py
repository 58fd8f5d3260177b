from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.dates import DatePrecision, format_date, truncate_to_precision
from core.models import SluggedRecord
from core.scripts import Script, detect_script
from core.text import normalise_name

from .querysets import PersonQuerySet


class Person(SluggedRecord):
    name = models.CharField(
        _("primary name"), max_length=200, help_text=_("The name shown on public pages, in Latin script.")
    )
    name_normalised = models.CharField(max_length=200, editable=False, db_index=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_date_precision = models.CharField(
        _("precision of the date of birth"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    birth_place = models.ForeignKey(
        "places.Place",
        verbose_name=_("place of birth"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people_born_here",
    )
    occupation = models.CharField(_("occupation or position"), max_length=200, blank=True)
    biography = models.TextField(_("biography"), blank=True)
    private_notes = models.TextField(
        _("private notes"), blank=True, help_text=_("Staff only: addresses, contacts, relatives' statements.")
    )
    confidential = models.BooleanField(
        _("confidential"), default=False, help_text=_("A confidential person never appears on public pages.")
    )
    consent_to_publish = models.BooleanField(
        _("consents to publication of the name"),
        default=True,
        help_text=_("Without consent, public pages show a pseudonym and the name is not publicly searchable."),
    )
    citations = GenericRelation("sources.Citation")

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name"], name="person_by_name"),  # the people list reads in this order
            # The few confidential people, for `PersonQuerySet.public_through()`.
            models.Index(fields=["id"], condition=models.Q(confidential=True), name="person_confidential"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_normalised = normalise_name(self.name)
        if self.birth_date:
            self.birth_date = truncate_to_precision(self.birth_date, self.birth_date_precision)
        super().save(*args, **kwargs)

    @property
    def birth_date_display(self) -> str:
        return format_date(self.birth_date, self.birth_date_precision)

    def is_public(self) -> bool:
        """The Python twin of `PersonQuerySet.public()`, for a person already read."""
        return not self.confidential

    def is_publicly_named(self) -> bool:
        """The Python twin of `PersonQuerySet.publicly_named()`."""
        return self.is_public() and self.consent_to_publish

    @property
    def public_name(self) -> str:
        """The name shown outside an incident: without consent, withheld.

        Within an incident a person without consent is "Person A", "Person B"…
        (`Incident.public_person_names`); no mark follows them from one case to another.
        """
        if self.consent_to_publish:
            return self.name
        return _("Name withheld")

    @property
    def public_url(self) -> str | None:
        """The public page, only for a person who may be named: its address is made from the name."""
        return self.get_absolute_url() if self.consent_to_publish else None

    def get_absolute_url(self):
        return reverse("people:detail", kwargs={"slug": self.slug})

    def get_permanent_url(self):
        """The address that never changes, for citations: it answers with a redirect to the page."""
        return reverse("people:permanent", kwargs={"public_id": self.public_id})


class NameVariant(models.Model):
    """Another way a person's name is written: a spelling, a transliteration, another script."""

    class Kind(models.TextChoices):
        FULL = "full", _("full name")
        SPELLING = "spelling", _("spelling variant")
        TRANSLITERATION = "transliteration", _("transliteration")
        PATRONYMIC = "patronymic", _("form with patronymic")
        SHORT = "short", _("short or initialled form")
        NICKNAME = "nickname", _("nickname")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_variants")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.SPELLING)
    script = models.CharField(
        _("script"), max_length=10, choices=Script.choices, blank=True, help_text=_("Detected when left blank.")
    )
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("ISO 639-1, e.g. kk, ru, en."))
    normalised = models.CharField(max_length=200, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("name variant")
        verbose_name_plural = _("name variants")
        ordering = ["person_id", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["person", "name"], name="name_variant_unique_per_person")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        if not self.script:
            self.script = detect_script(self.name)
        super().save(*args, **kwargs)


class Relationship(models.Model):
    """A tie between two persons, read as "<person> is the <kind> of <relative>"."""

    class Kind(models.TextChoices):
        SIBLING = "sibling", _("sibling")
        PARENT = "parent", _("parent")
        GRANDPARENT = "grandparent", _("grandparent")
        SPOUSE = "spouse", _("spouse or partner")
        RELATIVE = "relative", _("other relative")
        COLLEAGUE = "colleague", _("colleague")
        LAWYER = "lawyer", _("lawyer")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    kind = models.CharField(_("is the … of"), max_length=15, choices=Kind.choices)
    relative = models.ForeignKey(
        Person, verbose_name=_("of"), on_delete=models.CASCADE, related_name="reverse_relationships"
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    citations = GenericRelation("sources.Citation")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        ordering = ["person", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(person=F("relative")),
                name="relationship_between_two_people",
                violation_error_message=_("A relationship links two different people."),
            ),
            models.UniqueConstraint(fields=["person", "kind", "relative"], name="relationship_unique"),
        ]

    def __str__(self):
        return _("%(person)s is the %(kind)s of %(relative)s") % {
            "person": self.person,
            "kind": self.get_kind_display(),
            "relative": self.relative,
        }
