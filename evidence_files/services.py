"""Storing evidence files: by content, inside the transaction of the record that refers to them,
and removed again when that record does not survive.

A file is on disk (flushed, not only in the system's cache) before the row that names it commits,
so an acknowledged save keeps its file through a crash of the database or of the machine. The
opposite can happen: a save cut off after writing its file and before committing (the database
or the worker killed) leaves a file that no row names, and nobody left to delete it.
`delete_unrecorded_files` (`manage.py verify_evidence --delete-unrecorded`) removes those, safely
while other saves go on: it waits for the saves that are writing files, and they for it.
"""

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, InterfaceError, connection, transaction

from core.storages import stored_names

from .files import Kind, check_file_name, public_copies, sha256_of
from .models import EvidenceFile, StoredFile
from .storage import evidence_storage

_written_names: ContextVar[tuple[list[str], ...]] = ContextVar("evidence_written_names", default=())
logger = logging.getLogger(__name__)
# The PostgreSQL advisory lock between saves writing files (shared) and the removal of unrecorded ones.
FILE_WRITING_LOCK = 0x76_69_67_69_6C_65_76  # "vigilev"


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
            try:
                recorded = StoredFile.objects.referencing(name).exists()
            except (DatabaseError, InterfaceError) as error:
                # The database is gone (killed, or the connection cut): whether the save committed
                # is unknown, so the file stays, for delete_unrecorded_files to decide later.
                logger.warning(
                    "Evidence file %s kept: could not ask the database whether it was saved (%s)", name, error
                )
                continue
            if not recorded:
                evidence_storage.delete(name)


def delete_unrecorded_files() -> list[str]:
    """Deletes the files of the evidence storage that no record names; returns their names.

    Saves write their files inside their transaction, so a file without a row is either one whose
    save is still running or one whose save will never commit. The first kind is left alone: on
    PostgreSQL this waits for the saves writing files (they hold FILE_WRITING_LOCK shared until
    they end) and holds back new ones; on SQLite it holds the write lock, which every save's
    transaction takes as it begins (settings: transaction_mode IMMEDIATE).
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FILE_WRITING_LOCK])
        recorded = set()
        for names in StoredFile.objects.values_list("original", "public_image", "thumbnail").iterator():
            recorded.update(names)
        unrecorded = sorted(set(stored_names(evidence_storage)) - recorded)
        for name in unrecorded:
            evidence_storage.delete(name)
    return unrecorded


def _store(content: File, name: str) -> str:
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("Evidence files are written inside the transaction of the record that names them.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock_shared(%s)", [FILE_WRITING_LOCK])
    stored_name = evidence_storage.save(name, content)
    for written in _written_names.get():
        written.append(stored_name)
    _flush_to_disk(stored_name)
    return stored_name


def _flush_to_disk(name: str) -> None:
    """Forces a file just stored on local disk, and the folders that name it, out of the system's cache.

    Object storage (S3 and the like) has the object once it has answered; nothing to do there.
    """
    try:
        path = Path(evidence_storage.path(name))
        root = Path(evidence_storage.path(""))
    except NotImplementedError:
        return
    for each in [path, *path.parents]:
        descriptor = os.open(each, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if each == root:
            break


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
