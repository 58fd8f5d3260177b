"""What staff see of an incident before it is published: its public page as it will read once
verified (the preview), and what a verifier checks it against (its sources and evidence)."""

from contextlib import nullcontext

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from sources.models import Citation, citations_of

from . import workflow
from .models import Incident
from .views import IncidentDetailView


def preview(request: HttpRequest, incident: Incident) -> HttpResponse:
    """The incident's public page as the public will read it once verified, marked "not
    published"; never cached, never indexed. A confidential incident is never published: the
    public would only find "not found", and the page says so."""
    if incident.confidential:
        return preview_refused(request, incident, _("This incident is confidential: the public never sees it."))
    page = IncidentDetailView.as_view(extra_context={"preview_of": incident})
    # A published or retracted incident already reads as the public reads it.
    final = incident.status in (Incident.Status.VERIFIED, Incident.Status.RETRACTED)
    try:
        with nullcontext(incident) if final else workflow.as_if_verified(incident, by=request.user) as shown:
            response = page(request, slug=shown.slug)
            response.render()
    except workflow.WorkflowError as error:
        return preview_refused(request, incident, str(error))
    return private(response)


def preview_refused(request: HttpRequest, incident: Incident, reason: str) -> HttpResponse:
    response = TemplateResponse(
        request, "incidents/incident_preview_refused.html", {"incident": incident, "reason": reason}
    )
    return private(response)


def private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def what_it_rests_on(incident: Incident) -> dict:
    """Every citation of the incident and of its rows, confidential sources included and marked,
    each with the record it supports; and every piece of evidence with its files."""
    involvements = list(incident.involvements.select_related("person", "organisation"))
    charges = list(incident.charges.select_related("person", "provision"))
    evidence = list(incident.evidence.select_related("source"))
    for piece in evidence:
        piece.files = describe_stored_files(piece)
    records = [incident, *involvements, *charges, *evidence]
    labels = {(ContentType.objects.get_for_model(record).pk, record.pk): str(record) for record in records}
    citations = citations_of(records, Citation.objects.all())
    for citation in citations:
        citation.supports = labels[citation.content_type_id, citation.object_id]
    return {"citations": citations, "evidence": evidence}


def describe_stored_files(evidence) -> str:
    """The evidence's files as a list of links to the originals, with what identifies each."""
    attachments = evidence.attachments.select_related("stored_file", "uploaded_by") if evidence.pk else []
    described = _(
        '<a href="{url}">{name}</a> — {content_type}, {size}; SHA-256 <code>{sha256}</code>; '
        "uploaded by {uploader} on {uploaded_at}"
    )
    rows = format_html_join(
        "",
        "<li>{}</li>",
        (
            (
                format_html(
                    described,
                    url=reverse("evidence_files:original", args=[attachment.public_id]),
                    name=attachment.original_filename,
                    content_type=attachment.stored_file.content_type,
                    size=filesizeformat(attachment.stored_file.size),
                    sha256=attachment.stored_file.sha256,
                    uploader=attachment.uploaded_by or _("unknown"),
                    uploaded_at=f"{attachment.uploaded_at:%Y-%m-%d %H:%M} UTC",
                ),
            )
            for attachment in attachments
        ),
    )
    return format_html("<ul>{}</ul>", rows) if rows else "—"
