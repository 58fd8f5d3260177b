from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    INCIDENT = "incident", _("incident")
    PERSON = "person", _("person")
    ORGANISATION = "organisation", _("organisation")


class PublishedRecord(models.Model):
    """What the change feed last said of a public record: a digest of its public content.

    A record is here while the public may see it; a change in its content appends an update to
    the feed, its removal a tombstone. Comparing digests keeps saves that change nothing public
    (a private note, a draft's edit) out of the feed.
    """

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    public_id = models.UUIDField()
    digest = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "public_id"], name="published_record_unique")]

    def __str__(self):
        return f"{self.kind} {self.public_id}"


class PublicChange(models.Model):
    """One entry of the change feed (`/api/changes/`): a record created, updated or removed.

    The id is the feed's cursor. Entries are appended only under one lock held until they are
    committed (`exchange.changes`), so ids become visible in increasing order: a reader who
    has seen id N never later meets an entry below N.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        REMOVED = "removed", _("removed")

    class Reason(models.TextChoices):
        RETRACTED = "retracted", _("retracted")
        MERGED = "merged", _("merged into another record")
        CONFIDENTIAL = "confidential", _("made confidential")
        WITHDRAWN = "withdrawn", _("no longer public")
        DELETED = "deleted", _("deleted")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    public_id = models.UUIDField()
    action = models.CharField(max_length=10, choices=Action.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    merged_into = models.UUIDField(null=True, blank=True)
    # The record as the public sees it (addresses as paths); empty for a tombstone.
    content = models.JSONField(null=True, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("public change")
        verbose_name_plural = _("public changes")

    def __str__(self):
        return f"{self.id}: {self.action} {self.kind} {self.public_id}"


class ImportBatch(models.Model):
    """One import of a file (`exchange.importing`): who, when, which file, what it did.

    The batch is the unit of undo: while every incident it created or changed is still a draft,
    it can be taken back in one action.
    """

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("imported"), auto_now_add=True)
    file_name = models.CharField(_("file"), max_length=255)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    file_format = models.CharField(_("format"), max_length=10)
    create_missing = models.BooleanField(_("missing records created"), default=False)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors, left out"), default=0)
    # {model label: [ids]}: the people, organisations, places and sources the import created.
    created_records = models.JSONField(default=dict, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("undone by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return _("%(file)s, imported %(when)s") % {"file": self.file_name, "when": f"{self.created_at:%Y-%m-%d %H:%M}"}


class ImportedIncident(models.Model):
    """An incident an import created or changed, with what it was before, for the undo."""

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        CORRECTED = "corrected", _("correction proposed")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="incidents")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("incident")
    )
    row_number = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # The fields the import replaced, as they were, and the charges whose status it changed.
    before = models.JSONField(default=dict, blank=True)
    # {model label: [ids]}: the involvements, charges and citations it added to an existing incident.
    added = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("imported incident")
        verbose_name_plural = _("imported incidents")
        ordering = ["batch", "row_number"]

    def __str__(self):
        return _("Row %(number)s") % {"number": self.row_number}
