"""Uploads as they stream in, and the admin form field that takes several evidence files at once."""

import hashlib
import io
import tempfile
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .files import Kind, inspect, refusal, too_large


class RefusedUpload(UploadedFile):
    """Stands in for a file refused while it streamed in, so that the form can say why."""

    def __init__(self, name: str, content_type: str, reason: str):
        super().__init__(file=io.BytesIO(), name=name, content_type=content_type, size=0)
        self.reason = reason


class HashingUploadHandler(FileUploadHandler):
    """Streams every upload to a temporary file on disk, hashing and counting the bytes as they come.

    The SHA-256 is ready when the upload ends, without reading the file again or holding it in
    memory. Past the size limit nothing more is written and the partial file is deleted.

    The temporary file has no name in any folder (in FILE_UPLOAD_TEMP_DIR, or the system's): the
    system frees it when it is closed or when the process ends, so that a worker killed in the
    middle of a request leaves nothing behind. Storing it therefore copies it, never moves it.
    """

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        # Closed with the request, as Django closes every uploaded file.
        self.file = UploadedFile(
            tempfile.TemporaryFile(dir=settings.FILE_UPLOAD_TEMP_DIR),  # noqa: SIM115
            self.file_name,
            self.content_type,
            0,
            self.charset,
            self.content_type_extra,
        )
        self.digest = hashlib.sha256()
        self.received = 0
        self.limit = settings.EVIDENCE_MAX_UPLOAD_SIZE

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.digest.update(raw_data)
            self.file.write(raw_data)

    def file_complete(self, file_size):
        if self.received > self.limit:
            self.file.close()
            return RefusedUpload(self.file_name, self.content_type, too_large(self.limit))
        self.file.seek(0)
        self.file.size = file_size
        self.file.sha256 = self.digest.hexdigest()
        return self.file

    def upload_interrupted(self):
        if hasattr(self, "file"):
            self.file.close()


@dataclass(frozen=True)
class InspectedUpload:
    file: UploadedFile
    kind: Kind


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class EvidenceFilesField(forms.FileField):
    """Several files in one field (Django's documented pattern), each inspected by its content.

    Every file is checked even when an earlier one fails, so that one round trip lists every problem.
    """

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def has_changed(self, initial, data) -> bool:
        """Only files sent count as a change; an empty file list leaves the record untouched."""
        return not self.disabled and bool(data)

    def clean(self, data, initial=None) -> list[InspectedUpload]:
        uploads = [upload for upload in (data if isinstance(data, list | tuple) else [data]) if upload]
        if not uploads:
            return super().clean(None, initial) or []
        inspected, errors = [], []
        for upload in uploads:
            try:
                if isinstance(upload, RefusedUpload):
                    raise refusal(upload.name, upload.reason, "too_large")
                super().clean(upload, initial)
                inspected.append(InspectedUpload(upload, inspect(upload, upload.name)))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return inspected
