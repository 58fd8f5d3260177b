import uuid

from anyascii import anyascii
from django.db import models
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _


class PublicRecord(models.Model):
    """A record with an identifier that never changes, whatever is corrected in it later.

    Slugs follow titles and names, which get corrected; links kept by others (citations, exports,
    partner databases) use the public identifier instead.
    """

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class SluggedRecord(PublicRecord):
    """A public record addressed by a readable slug, made from its name when left blank."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_("Part of the public address. Leave blank to make it from the name."),
    )

    slug_source_field = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.make_unique_slug(getattr(self, self.slug_source_field))
        super().save(*args, **kwargs)

    def make_unique_slug(self, text: str) -> str:
        base = slugify(anyascii(text or ""))[:100].strip("-") or self._meta.model_name
        others = type(self)._default_manager.exclude(pk=self.pk)
        candidate, number = base, 1
        while others.filter(slug=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate
