from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.lookups import StartsWithAny
from core.models import SluggedRecord
from core.scripts import Script, detect_script
from core.text import normalise_name, starts_a_word
from core.translation import reader_language

from .signals import place_moved


class PlaceQuerySet(models.QuerySet):
    def within(self, place: "Place") -> "PlaceQuerySet":
        """The place itself and every place inside it, at any depth."""
        return self.filter(path__startswith=place.path)

    def named(self, word: str) -> "PlaceQuerySet":
        """Places with a name that has a word beginning with `word`: the ISO name, a label, or
        any of their other names (`PlaceName`), by the matching rule of every public search
        (`core.text.words_begin`).

        The places' own names and their other names are matched apart, then united, so that on
        PostgreSQL each match reads its own trigram index (`places.0007`).
        """
        by_name = Place.objects.filter(starts_a_word("names_normalised", word)).order_by().values("pk")
        by_other_name = PlaceName.objects.filter(starts_a_word("normalised", word)).order_by().values("place")
        return self.filter(pk__in=by_name.union(by_other_name))

    def within_any(self, places: "PlaceQuerySet") -> "PlaceQuerySet":
        """Every place inside one of `places`, at any depth, those places included: each place's
        path is compared with their few paths. The places are picked by id from a list read once,
        so that no database reads their conditions again for each place compared."""
        paths = Place.objects.filter(pk__in=places.values("pk")).order_by().values(prefix=F("path"))
        return self.filter(StartsWithAny(F("path"), paths))


def normalised_names(*names: str) -> str:
    """The distinct normalised forms of a place's name and labels, one after another, for search."""
    return " ".join(dict.fromkeys(normalised for normalised in map(normalise_name, names) if normalised))


class Place(SluggedRecord):
    """A node of the place hierarchy: country > region > district > city > site.

    `path` lists the primary keys from the country down ("/12/345/678/"), so "everything inside
    Mangistau Region" is one indexed prefix match instead of a walk down the tree.
    """

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        REGION = "region", _("region")
        DISTRICT = "district", _("district")
        CITY = "city", _("city or town")
        SITE = "site", _("site")
        FACILITY = "facility", _("detention facility")

    name = models.CharField(
        _("name"), max_length=200, help_text=_("For countries and first-level regions, the ISO 3166 name.")
    )
    name_en = models.CharField(
        _("name in English"), max_length=200, blank=True, help_text=_("Where it differs from the name, e.g. Bolivia.")
    )
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_kk = models.CharField(_("name in Kazakh"), max_length=200, blank=True)
    names_normalised = models.TextField(
        editable=False, blank=True, default="", help_text=_("The name and the names in each language, normalised.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("inside"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    iso_code = models.CharField(
        _("ISO 3166 code"), max_length=10, blank=True, help_text=_("For countries and first-level regions.")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = PlaceQuerySet.as_manager()
    # The normalised names are derived from the names, which the history keeps.
    history = HistoricalRecords(excluded_fields=["names_normalised"])

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
        permissions = [("change_administrative_area", _("Can add and change countries and first-level regions"))]
        constraints = [
            models.UniqueConstraint(fields=["iso_code"], condition=~Q(iso_code=""), name="place_iso_code_unique"),
            models.CheckConstraint(
                condition=Q(parent__isnull=False) | Q(kind="country"),
                name="place_only_countries_at_top",
                violation_error_message=_("Every place except a country must be inside another place."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="place_latitude_range",
                violation_error_message=_("Latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="place_longitude_range",
                violation_error_message=_("Longitude must be between -180 and 180."),
            ),
        ]

    # Countries and first-level regions come from ISO 3166 and are kept by administrators; what lies
    # below them is entered by researchers.
    ADMINISTRATIVE_KINDS = (Kind.COUNTRY, Kind.REGION)

    def __str__(self):
        return self.label

    @property
    def is_administrative_area(self) -> bool:
        return self.kind in self.ADMINISTRATIVE_KINDS

    @classmethod
    def kinds_for(cls, user) -> list[tuple[str, str]]:
        """The kinds of place the user may add or change."""
        if user.has_perm("places.change_administrative_area"):
            return list(cls.Kind.choices)
        return [(value, label) for value, label in cls.Kind.choices if value not in cls.ADMINISTRATIVE_KINDS]

    @property
    def label(self) -> str:
        """The name in the reader's language where someone entered it, else in English, else the
        name itself (for a country or region, the ISO 3166 name)."""
        return getattr(self, f"name_{reader_language()}", "") or self.name_en or self.name

    def get_absolute_url(self):
        """The region page: the place and every public incident inside it."""
        return reverse("incidents:region", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A place cannot be inside itself or one of its own parts.")})

    def save(self, *args, **kwargs):
        self.names_normalised = normalised_names(self.name, self.name_en, self.name_ru, self.name_kk)
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent_id else '/'}{self.pk}/"
        if path != self.path:
            old_path = self.path
            Place.objects.filter(pk=self.pk).update(path=path)
            if old_path:
                Place.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(path), Substr("path", len(old_path) + 1))
                )
            self.path = path
            if old_path:
                place_moved.send(sender=Place, place=self)

    def ancestors(self) -> list["Place"]:
        """From the country down to this place, in one query."""
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        by_id = Place.objects.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]


class PlaceName(models.Model):
    """A name of a place: its ISO 3166 name, its name in a language, or a common spelling
    ("Mangistau", "Chechnya"). Any of them finds the incidents inside the place in a public search."""

    class Kind(models.TextChoices):
        ISO = "iso", _("official ISO 3166 name")
        LANGUAGE = "language", _("name in a language")
        SPELLING = "spelling", _("common spelling")

    place = models.ForeignKey(Place, verbose_name=_("place"), on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SPELLING)
    language = models.CharField(_("language"), max_length=10, blank=True, help_text=_("ISO 639-1, e.g. kk, ru, en."))
    script = models.CharField(
        _("script"), max_length=10, choices=Script.choices, blank=True, help_text=_("Detected when left blank.")
    )
    normalised = models.CharField(max_length=200, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place name")
        verbose_name_plural = _("place names")
        ordering = ["place_id", "kind", "language", "name"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name", "language"], name="place_name_unique_per_language")
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.normalised = normalise_name(self.name)
        if not self.script:
            self.script = detect_script(self.name)
        super().save(*args, **kwargs)
