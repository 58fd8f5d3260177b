"""Evidence files: stored once by content, attached to evidence records, served only with permission.

A stored file is named by its SHA-256 and never rewritten, so identical uploads share one copy and
the hash recorded at upload can be checked again at any time (`manage.py verify_evidence`). Who
brought which file into which evidence record, under what name and when, is an attachment row;
every download of an original by staff is an access row.
"""

import hashlib
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from incidents.models import Evidence

from .files import CHUNK_SIZE
from .storage import get_evidence_storage


class StoredFileQuerySet(models.QuerySet):
    def referencing(self, name: str) -> "StoredFileQuerySet":
        return self.filter(Q(original=name) | Q(public_image=name) | Q(thumbnail=name))


class StoredFile(models.Model):
    """One original, stored once whatever the number of records it supports, plus its public copies."""

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), editable=False)
    content_type = models.CharField(_("detected type"), max_length=100, editable=False)
    original = models.FileField(_("original"), storage=get_evidence_storage, max_length=200, editable=False)
    public_image = models.FileField(
        _("public copy"), storage=get_evidence_storage, max_length=200, blank=True, editable=False
    )
    thumbnail = models.FileField(
        _("thumbnail"), storage=get_evidence_storage, max_length=200, blank=True, editable=False
    )
    stored_at = models.DateTimeField(_("stored"), auto_now_add=True)

    objects = StoredFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.sha256} ({self.content_type})"

    def integrity_problem(self) -> str:
        """Why the original no longer matches its record, or "" when it does."""
        if not self.original.storage.exists(self.original.name):
            return "missing"
        digest, size = hashlib.sha256(), 0
        with self.original.storage.open(self.original.name, "rb") as handle:
            while chunk := handle.read(CHUNK_SIZE):
                digest.update(chunk)
                size += len(chunk)
        if digest.hexdigest() != self.sha256:
            return f"altered: its SHA-256 is now {digest.hexdigest()} ({size} bytes, {self.size} recorded)"
        return ""


class EvidenceFileQuerySet(models.QuerySet):
    def public(self) -> "EvidenceFileQuerySet":
        return self.filter(evidence__in=Evidence.objects.public())

    def public_images(self) -> "EvidenceFileQuerySet":
        return self.public().exclude(stored_file__public_image="").select_related("evidence", "stored_file")


class EvidenceFile(models.Model):
    """A file brought into an evidence record: by whom, when, and under which name it arrived."""

    public_id = models.UUIDField(_("public identifier"), default=uuid.uuid4, unique=True, editable=False)
    evidence = models.ForeignKey(
        "incidents.Evidence", verbose_name=_("evidence"), on_delete=models.PROTECT, related_name="attachments"
    )
    stored_file = models.ForeignKey(
        StoredFile, verbose_name=_("stored file"), on_delete=models.PROTECT, related_name="attachments"
    )
    original_filename = models.CharField(_("uploaded file name"), max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.PROTECT,
        null=True,
        help_text=_("Empty only for files stored before uploads were recorded."),
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["evidence", "uploaded_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evidence", "stored_file"], name="evidence_file_once_per_evidence")
        ]

    def __str__(self):
        return self.original_filename


class EvidenceAccess(models.Model):
    """A download of an original by a member of staff: the originals are private, so each one is logged."""

    attachment = models.ForeignKey(
        EvidenceFile, verbose_name=_("file"), on_delete=models.PROTECT, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    accessed_at = models.DateTimeField(_("accessed"), auto_now_add=True, db_index=True)
    was_public = models.BooleanField(
        _("evidence was public"), help_text=_("Whether the public could see this evidence at the time.")
    )

    class Meta:
        verbose_name = _("access to an original")
        verbose_name_plural = _("accesses to originals")
        ordering = ["-accessed_at", "-pk"]

    def __str__(self):
        return gettext("%(user)s opened %(file)s on %(time)s") % {
            "user": self.user,
            "file": self.attachment,
            "time": f"{self.accessed_at:%Y-%m-%d %H:%M}",
        }
