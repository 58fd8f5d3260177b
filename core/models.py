import uuid

from anyascii import anyascii
from django.conf import settings
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

    def slug_base(self, text: str) -> str:
        """The slug made from a text, before a number is added to tell it from others."""
        return slugify(anyascii(text or ""))[:100].strip("-") or self._meta.model_name

    def make_unique_slug(self, text: str) -> str:
        base = self.slug_base(text)
        others = type(self)._default_manager.exclude(pk=self.pk)
        candidate, number = base, 1
        while others.filter(slug=candidate).exists():
            number += 1
            candidate = f"{base}-{number}"
        return candidate


class Merge(models.Model):
    """Two records of one person or organisation made one (`core.merging`): what was moved from
    the record merged away, and what it and the kept record said before, so that its old
    addresses lead to the kept record and the merge can be undone."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.PROTECT)
    kept_id = models.PositiveBigIntegerField()
    merged_id = models.PositiveBigIntegerField()
    merged_name = models.CharField(max_length=200)
    merged_slug = models.SlugField(max_length=120, db_index=True)
    merged_public_id = models.UUIDField(db_index=True)
    # The merged record and the kept one as they were, serialised (django.core.serializers).
    merged_record = models.JSONField()
    kept_before = models.JSONField()
    # {model label: {foreign key: [row ids]}}: the rows moved to the kept record.
    moved = models.JSONField(default=dict)
    # Rows the kept record had already (the same spelling, the same membership), removed with
    # their citations, serialised.
    removed = models.JSONField(default=list)
    # {model label: [row ids]}: the names added to the kept record.
    added = models.JSONField(default=dict)
    kept_history_id = models.PositiveBigIntegerField(null=True)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("merge")
        verbose_name_plural = _("merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.merged_name} → {self.content_type.model} {self.kept_id}"
