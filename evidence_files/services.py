"""Storing evidence files: by content, inside the transaction of the record that refers to them,
and removed again when that record does not survive."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from .files import Kind, check_file_name, public_copies, sha256_of
from .models import EvidenceFile, StoredFile
from .storage import evidence_storage

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
        copies = public_copies(upload)
        stored.public_image.name = _store(ContentFile(copies.image), f"public/{folder}.{copies.extension}")
        stored.thumbnail.name = _store(ContentFile(copies.thumbnail), f"thumbnails/{folder}.{copies.extension}")
    stored.original.name = _store(upload, f"originals/{folder}")
    try:
        with transaction.atomic():
            stored.save()
    except IntegrityError:
        # The same content arrived at the same moment through another request: use its copy.
        return StoredFile.objects.get(sha256=sha256)
    return stored
