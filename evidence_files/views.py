"""Evidence files reach people only through these views: there is no public folder to browse."""

import mimetypes
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from incidents.models import Evidence

from .models import EvidenceAccess, EvidenceFile

# Types a browser shows itself; anything else is offered as a download.
INLINE_TYPES = {"image/jpeg", "image/png", "image/webp"}


def file_response(file: FieldFile, *, content_type: str, filename: str, private: bool) -> HttpResponse:
    inline = content_type in INLINE_TYPES
    if settings.EVIDENCE_X_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.EVIDENCE_X_ACCEL_REDIRECT.rstrip("/") + "/" + file.name
    else:
        try:
            handle = file.storage.open(file.name, "rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing from storage.")) from None
        response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store" if private else "no-cache"
    return response


@require_safe
def public_image(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _public_copy(public_id, "public_image", "image")


@require_safe
def public_thumbnail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    return _public_copy(public_id, "thumbnail", "thumbnail")


def _public_copy(public_id: UUID, field: str, label: str) -> HttpResponse:
    attachment = get_object_or_404(EvidenceFile.objects.public_images(), public_id=public_id)
    file = getattr(attachment.stored_file, field)
    content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    extension = file.name.rsplit(".", 1)[-1]
    return file_response(
        file, content_type=content_type, filename=f"evidence-{public_id}-{label}.{extension}", private=False
    )


@require_safe
def original(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Staff with the permission only; to anyone else the original does not exist. Each access is logged.

    With OTP_REQUIRED on, an original opens only in a session confirmed with a second factor,
    whatever the role: researchers, who may use the admin without one, hold the permission too.
    Like the admin, the view sends a session that lacks it to the two-factor page.
    """
    user = request.user
    if not (user.is_active and user.is_staff and user.has_perm("incidents.view_evidence_original")):
        raise Http404
    if settings.OTP_REQUIRED and not user.is_verified():
        messages.warning(
            request,
            _(
                "Originals of evidence files open only in a session confirmed with two-factor sign-in. "
                "Set it up or enter your code here, then open the file again."
            ),
        )
        return redirect("admin:two_factor")
    attachment = get_object_or_404(EvidenceFile.objects.select_related("stored_file"), public_id=public_id)
    EvidenceAccess.objects.create(
        attachment=attachment,
        user=user,
        was_public=Evidence.objects.public().filter(pk=attachment.evidence_id).exists(),
    )
    stored = attachment.stored_file
    return file_response(
        stored.original, content_type=stored.content_type, filename=attachment.original_filename, private=True
    )
