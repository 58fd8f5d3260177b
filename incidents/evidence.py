"""Evidence files: stored once by content, attached to evidence records, served only with permission.

A stored file is named by its SHA-256 and never rewritten, so identical uploads share one copy and
the hash recorded at upload can be checked again at any time (`manage.py verify_evidence`). Who
brought which file into which evidence record, under what name and when, is an attachment row;
every download of an original by staff is an access row.
"""

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.signals import setting_changed
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from .files import CHUNK_SIZE, Kind, check_file_name, public_copies, sha256_of

EVIDENCE_STORAGE_ALIAS = "evidence"


class EvidenceStorage(LazyObject):
    """The storage configured under STORAGES["evidence"]: local disk by default, or S3 and the like."""

    def _setup(self):
        self._wrapped = storages[EVIDENCE_STORAGE_ALIAS]


evidence_storage = EvidenceStorage()


def get_evidence_storage() -> Storage:
    return evidence_storage


@receiver(setting_changed)
def reset_evidence_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        evidence_storage._wrapped = empty


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
        from .models import Evidence

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
        return f"{self.user} opened {self.attachment} on {self.accessed_at:%Y-%m-%d %H:%M}"


_written_names: ContextVar[tuple[list[str], ...]] = ContextVar("evidence_written_names", default=())


@contextmanager
def removing_unrecorded_files() -> Iterator[None]:
    """Deletes again every file stored inside this block whose record did not survive it.

    Files are written inside the database transaction; when it rolls back, for whatever reason,
    their rows are gone and so, on leaving this block, are the files. Wrap the outermost
    transaction with it (the admin's save does); the storing function also wraps its own.
    """
    written: list[str] = []
    token = _written_names.set((*_written_names.get(), written))
    try:
        yield
    finally:
        _written_names.reset(token)
        for name in written:
            if not StoredFile.objects.referencing(name).exists():
                evidence_storage.delete(name)


def _store(content: File, name: str) -> str:
    stored_name = evidence_storage.save(name, content)
    for written in _written_names.get():
        written.append(stored_name)
    return stored_name


def store_evidence_file(*, evidence, upload: File, kind: Kind, uploaded_by) -> tuple[EvidenceFile, bool]:
    """Attach `upload` to `evidence`; returns the attachment and whether its content was already stored.

    `kind` comes from `files.inspect`, which the caller has run (the admin form does). Identical
    content is stored once: a second upload only links the existing stored file.
    """
    check_file_name(upload.name)
    sha256 = getattr(upload, "sha256", None) or sha256_of(upload)
    with removing_unrecorded_files(), transaction.atomic():
        stored = StoredFile.objects.filter(sha256=sha256).first()
        already_stored = stored is not None
        if stored is None:
            stored = _new_stored_file(upload, kind, sha256)
        attachment, _created = EvidenceFile.objects.get_or_create(
            evidence=evidence,
            stored_file=stored,
            defaults={"original_filename": upload.name, "uploaded_by": uploaded_by},
        )
    return attachment, already_stored


def _new_stored_file(upload: File, kind: Kind, sha256: str) -> StoredFile:
    folder = f"{sha256[:2]}/{sha256}"
    stored = StoredFile(sha256=sha256, size=upload.size, content_type=kind.mime)
    if kind.is_image:
        copies = public_copies(upload, kind)
        stored.public_image.name = _store(ContentFile(copies.image), f"public/{folder}.{copies.extension}")
        stored.thumbnail.name = _store(ContentFile(copies.thumbnail), f"thumbnails/{folder}.{copies.extension}")
    # Last, because a temporary upload is moved rather than copied into local storage.
    stored.original.name = _store(upload, f"originals/{folder}")
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # The same content arrived at the same moment through another request: use its copy.
        return StoredFile.objects.get(sha256=sha256)
    return stored
