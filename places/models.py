from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import SluggedRecord

from .signals import place_moved


class PlaceQuerySet(models.QuerySet):
    def within(self, place: "Place") -> "PlaceQuerySet":
        """The place itself and every place inside it, at any depth."""
        return self.filter(path__startswith=place.path)


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

    name = models.CharField(_("name"), max_length=200)
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["name"]
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

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The region page: the place and every public incident inside it."""
        return reverse("incidents:region", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id and self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError({"parent": _("A place cannot be inside itself or one of its own parts.")})

    def save(self, *args, **kwargs):
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
