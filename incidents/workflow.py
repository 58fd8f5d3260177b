"""The review workflow: every change of an incident's state goes through one of these functions.

draft → submitted → verified (public) or rejected; verified → retracted. A published incident is
never edited in place: `propose_correction` makes a private copy, researchers edit the copy like
any draft, and verifying the copy applies it to the published rows in one transaction. So the live
rows that public pages, search, exports and the API read change only when a verifier verifies.

Each function takes keyword-only arguments, checks the role and the four-eyes rule itself
(whoever calls it: the admin, a command, a test), runs in one transaction and records who did
what, with the note, in the history.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evidence_files.models import EvidenceFile
from sources.models import Citation

from .models import Charge, Evidence, Incident, IncidentLink, IncidentTranslation, Involvement

Status = Incident.Status

# The rows an incident form edits with it, and the foreign key that ties each to the incident.
CHILD_ROWS: list[tuple[type[models.Model], str]] = [
    (Involvement, "incident"),
    (Charge, "incident"),
    (Evidence, "incident"),
    (IncidentLink, "from_incident"),
    (IncidentTranslation, "incident"),
]
# What a correction may change on the incident itself: every field a researcher edits (the
# slug, the public address, stays; state and review fields belong to the workflow).
CORRECTABLE_FIELDS = [
    field.name
    for field in Incident._meta.concrete_fields
    if field.editable and not field.primary_key and field.name not in {"slug", "status"}
]
_NOT_COPIED = {"id", "public_id", "created_at", "updated_at"}


class WorkflowError(Exception):
    """A workflow step that the rules refuse; the message says why, in words for the user."""


# Why a step is refused in the incident's present state: one whole sentence per step and state, so
# that a translation can agree the state with the incident and the verb with both.
CANNOT_BE = {
    "submitted": {
        Status.SUBMITTED: gettext_lazy("A submitted for review incident cannot be submitted."),
        Status.VERIFIED: gettext_lazy("A verified incident cannot be submitted."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be submitted."),
    },
    "verified": {
        Status.DRAFT: gettext_lazy("A draft incident cannot be verified."),
        Status.VERIFIED: gettext_lazy("A verified incident cannot be verified."),
        Status.REJECTED: gettext_lazy("A rejected incident cannot be verified."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be verified."),
    },
    "rejected": {
        Status.DRAFT: gettext_lazy("A draft incident cannot be rejected."),
        Status.VERIFIED: gettext_lazy("A verified incident cannot be rejected."),
        Status.REJECTED: gettext_lazy("A rejected incident cannot be rejected."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be rejected."),
    },
    "retracted": {
        Status.DRAFT: gettext_lazy("A draft incident cannot be retracted."),
        Status.SUBMITTED: gettext_lazy("A submitted for review incident cannot be retracted."),
        Status.REJECTED: gettext_lazy("A rejected incident cannot be retracted."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be retracted."),
    },
    "corrected": {
        Status.DRAFT: gettext_lazy("A draft incident cannot be corrected."),
        Status.SUBMITTED: gettext_lazy("A submitted for review incident cannot be corrected."),
        Status.REJECTED: gettext_lazy("A rejected incident cannot be corrected."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be corrected."),
    },
    "discarded": {
        Status.SUBMITTED: gettext_lazy("A submitted for review incident cannot be discarded."),
        Status.VERIFIED: gettext_lazy("A verified incident cannot be discarded."),
        Status.RETRACTED: gettext_lazy("A retracted incident cannot be discarded."),
    },
}


def _require(user: AbstractBaseUser, permission: str, refusal: str) -> None:
    if not user.has_perm(permission):
        raise WorkflowError(refusal)


def _require_state(incident: Incident, allowed: tuple[str, ...], step: str) -> None:
    if incident.status not in allowed:
        raise WorkflowError(str(CANNOT_BE[step][incident.status]))


def _require_note(note: str, refusal: str) -> str:
    note = (note or "").strip()
    if not note:
        raise WorkflowError(refusal)
    return note


def _locked(incident: Incident) -> Incident:
    """The current row, locked until the transaction ends (PostgreSQL), so two reviews cannot cross."""
    return Incident.objects.select_for_update().get(pk=incident.pk)


def _save(record: models.Model, *, by: AbstractBaseUser, reason: str, **kwargs) -> None:
    record._history_user = by
    record._change_reason = reason
    record.save(**kwargs)


def check_four_eyes(incident: Incident, *, by: AbstractBaseUser) -> None:
    """Nobody reviews an incident they created, last edited or submitted."""
    authors = {incident.created_by_id, incident.last_edited_by_id, incident.submitted_by_id} - {None}
    if by.pk in authors:
        raise WorkflowError(
            _("You created, edited or submitted this incident, so another verifier must review it (four-eyes rule).")
        )


def review_refusal(incident: Incident, *, by: AbstractBaseUser) -> str:
    """Why `by` may not verify or reject the incident now, or "" when they may: the checks
    `verify` and `reject` make, asked before the reviewer writes a note."""
    try:
        _require(by, "incidents.verify_incident", _("Your role does not allow you to verify incidents."))
        _require_state(incident, (Status.SUBMITTED,), "verified")
        check_four_eyes(incident, by=by)
    except WorkflowError as error:
        return str(error)
    return ""


@transaction.atomic
def submit(*, incident: Incident, by: AbstractBaseUser) -> Incident:
    _require(by, "incidents.submit_incident", _("Your role does not allow you to submit incidents for review."))
    incident = _locked(incident)
    _require_state(incident, (Status.DRAFT, Status.REJECTED), "submitted")
    incident.status = Status.SUBMITTED
    incident.submitted_by = by
    incident.submitted_at = timezone.now()
    _save(incident, by=by, reason="Submitted for review")
    return incident


@transaction.atomic
def verify(*, incident: Incident, by: AbstractBaseUser, note: str) -> Incident:
    """Publish a submitted incident, or apply a submitted correction to its published incident."""
    _require(by, "incidents.verify_incident", _("Your role does not allow you to verify incidents."))
    note = _require_note(note, _("Write a verification note: it is kept in the history."))
    incident = _locked(incident)
    _require_state(incident, (Status.SUBMITTED,), "verified")
    check_four_eyes(incident, by=by)
    if incident.revision_of_id:
        return _apply_correction(incident, by=by, note=note)
    now = timezone.now()
    incident.status = Status.VERIFIED
    incident.reviewed_by = incident.verified_by = by
    incident.review_note = note
    incident.last_verified_at = now
    _save(incident, by=by, reason=f"Verified: {note}")
    return incident


@contextmanager
def as_if_verified(incident: Incident, *, by: AbstractBaseUser) -> Iterator[Incident]:
    """Inside the block the database reads as if a verifier had verified the incident now: a new
    incident is published, a correction is applied to its published incident. Yields the incident
    the public would then read; everything is rolled back on leaving, so a staff preview goes
    through the public rule itself rather than a copy of it."""
    with transaction.atomic():
        incident = _locked(incident)
        if incident.revision_of_id:
            if incident.revision_of.status != Status.VERIFIED:
                raise WorkflowError(_("The incident this correction is for is no longer published."))
            shown = _apply_correction(incident, by=by, note="preview")
        else:
            incident.status = Status.VERIFIED
            incident.last_verified_at = timezone.now()
            incident.save(update_fields=["status", "last_verified_at"])
            shown = incident
        yield shown
        transaction.set_rollback(True)


@transaction.atomic
def reject(*, incident: Incident, by: AbstractBaseUser, note: str) -> Incident:
    _require(by, "incidents.verify_incident", _("Your role does not allow you to reject incidents."))
    note = _require_note(note, _("Write why the incident is rejected: it is kept in the history."))
    incident = _locked(incident)
    _require_state(incident, (Status.SUBMITTED,), "rejected")
    check_four_eyes(incident, by=by)
    incident.status = Status.REJECTED
    incident.reviewed_by = by
    incident.review_note = note
    _save(incident, by=by, reason=f"Rejected: {note}")
    return incident


@transaction.atomic
def retract(*, incident: Incident, by: AbstractBaseUser, reason: str) -> Incident:
    """Withdraw a published incident; its address then tells the public why (HTTP 410)."""
    _require(by, "incidents.retract_incident", _("Your role does not allow you to retract incidents."))
    reason = _require_note(reason, _("Write the public reason for the retraction: it is kept in the history."))
    incident = _locked(incident)
    _require_state(incident, (Status.VERIFIED,), "retracted")
    incident.status = Status.RETRACTED
    incident.retraction_reason = reason
    incident.retracted_at = timezone.now()
    incident.reviewed_by = by
    _save(incident, by=by, reason=f"Retracted: {reason}")
    return incident


@transaction.atomic
def propose_correction(*, incident: Incident, by: AbstractBaseUser) -> Incident:
    """A private, editable copy of a published incident with all its rows; the public sees no change.

    If a correction is already open it is returned instead, so two people do not correct in parallel.
    """
    _require(by, "incidents.change_incident", _("Your role does not allow you to correct incidents."))
    incident = _locked(incident)
    _require_state(incident, (Status.VERIFIED,), "corrected")
    existing = Incident.objects.filter(revision_of=incident).first()
    if existing is not None:
        return existing
    copy = Incident(
        **{field: getattr(incident, field) for field in CORRECTABLE_FIELDS},
        slug=incident.make_unique_slug(f"correction {incident.slug}"),
        status=Status.DRAFT,
        revision_of=incident,
        created_by=by,
        last_edited_by=by,
    )
    _save(copy, by=by, reason=f"Correction of {incident.slug} opened")
    rows: dict[str, dict[str, int]] = {}
    for model, link in CHILD_ROWS:
        for original in model.objects.filter(**{link: incident}):
            duplicate = _duplicate(original, **{link: copy})
            rows.setdefault(model._meta.label_lower, {})[str(duplicate.pk)] = original.pk
            _copy_citations(original, duplicate)
    _copy_citations(incident, copy)
    copy.revision_rows = rows
    copy.save(update_fields=["revision_rows"])
    return copy


def _duplicate(record: models.Model, **changes) -> models.Model:
    values = {
        field.attname: getattr(record, field.attname)
        for field in record._meta.concrete_fields
        if field.name not in _NOT_COPIED
    }
    if hasattr(record, "public_id"):
        values["public_id"] = uuid.uuid4()
    duplicate = type(record)(**values)
    for name, value in changes.items():
        setattr(duplicate, name, value)
    duplicate.save()
    return duplicate


def _citations_of(record: models.Model):
    return Citation.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)


def _copy_citations(original: models.Model, duplicate: models.Model) -> None:
    for citation in _citations_of(original):
        _duplicate(citation, object_id=duplicate.pk)


def _apply_correction(copy: Incident, *, by: AbstractBaseUser, note: str) -> Incident:
    """Make the published incident and its rows say what the verified copy says, then drop the copy.

    Rows that stand for an existing row update it in place (so identifiers, and the history of
    each row, continue); new rows move over; rows removed in the copy are deleted.
    """
    incident = _locked(copy.revision_of)
    if incident.status != Status.VERIFIED:
        raise WorkflowError(_("The incident this correction is for is no longer published; reject the correction."))
    reason = f"Correction verified: {note}"
    for field in CORRECTABLE_FIELDS:
        setattr(incident, field, getattr(copy, field))
    now = timezone.now()
    incident.reviewed_by = incident.verified_by = by
    incident.review_note = note
    incident.last_verified_at = now
    incident.last_edited_by = copy.last_edited_by
    _save(incident, by=by, reason=reason)
    for model, link in CHILD_ROWS:
        _apply_rows(model, link, copy, incident, by=by, reason=reason)
    _apply_citations(copy, incident, by=by, reason=reason)
    _drop_correction(copy)
    return incident


@transaction.atomic
def discard_correction(*, incident: Incident, by: AbstractBaseUser) -> None:
    """Throw away a correction that is not wanted; the published incident stays as it is."""
    _require(by, "incidents.delete_incident", _("Your role does not allow you to discard corrections."))
    incident = _locked(incident)
    if not incident.revision_of_id:
        raise WorkflowError(_("Only a proposed correction can be discarded."))
    _require_state(incident, (Status.DRAFT, Status.REJECTED), "discarded")
    if EvidenceFile.objects.filter(evidence__incident=incident).exists():
        raise WorkflowError(
            _(
                "Files were uploaded into this correction, and evidence files are never deleted: "
                "submit the correction, or ask a verifier to reject it and keep it."
            )
        )
    incident._history_user, incident._change_reason = by, "Correction discarded"
    _drop_correction(incident)


def _drop_correction(copy: Incident) -> None:
    # Files are never deleted with a correction: ones uploaded into it have moved to the
    # published evidence by now, or the discard was refused.
    Evidence.objects.filter(incident=copy).delete()
    Incident.objects.filter(pk=copy.pk).delete()


def _apply_rows(model, link: str, copy: Incident, incident: Incident, *, by, reason: str) -> None:
    pairs = copy.revision_rows.get(model._meta.label_lower, {})
    stands_for = {int(copy_pk): original_pk for copy_pk, original_pk in pairs.items()}
    originals = {row.pk: row for row in model.objects.filter(**{link: incident})}
    corrected = list(model.objects.filter(**{link: copy}).order_by("pk"))
    kept = {stands_for[row.pk] for row in corrected if stands_for.get(row.pk) in originals}
    removed = [original for pk, original in originals.items() if pk not in kept]
    if model is Evidence and EvidenceFile.objects.filter(evidence__in=removed).exists():
        raise WorkflowError(
            _(
                "The correction removes evidence that has files, and evidence files are never deleted: "
                "mark that evidence confidential instead."
            )
        )
    for original in removed:
        _citations_of(original).delete()
        original._history_user, original._change_reason = by, reason
        original.delete()
    for row in corrected:
        target = originals.get(stands_for.get(row.pk))
        if target is None:
            setattr(row, link, incident)
            _save(row, by=by, reason=reason)
            continue
        for field in row._meta.concrete_fields:
            if field.name not in _NOT_COPIED and field.name != link and not field.primary_key:
                setattr(target, field.attname, getattr(row, field.attname))
        _save(target, by=by, reason=reason)
        if model is Evidence:
            _move_attachments(row, target)
        _apply_citations(row, target, by=by, reason=reason)


def _move_attachments(copy: Evidence, target: Evidence) -> None:
    """Files uploaded into a correction join the published evidence; a content it has already stays once."""
    already = EvidenceFile.objects.filter(evidence=target).values("stored_file")
    EvidenceFile.objects.filter(evidence=copy, stored_file__in=already).delete()
    EvidenceFile.objects.filter(evidence=copy).update(evidence=target)


def _apply_citations(corrected: models.Model, original: models.Model, *, by, reason: str) -> None:
    """Citations are matched by what they cite and which source says it."""
    existing = {(c.claim, c.source_id): c for c in _citations_of(original)}
    wanted = {(c.claim, c.source_id): c for c in _citations_of(corrected)}
    for key, citation in existing.items():
        if key not in wanted:
            citation._history_user, citation._change_reason = by, reason
            citation.delete()
    for key, citation in wanted.items():
        target = existing.get(key)
        if target is None:
            citation.object_id = original.pk
            _save(citation, by=by, reason=reason)
        elif (target.confidence, target.locator) != (citation.confidence, citation.locator):
            target.confidence, target.locator = citation.confidence, citation.locator
            _save(target, by=by, reason=reason)


# How describe_correction names a row that a correction adds, changes or removes: whole phrases per
# kind of row, so that a translation can agree each verb with its noun.
ROW_CHANGES = {
    Involvement: {
        "new": gettext_lazy("new involvement: %(row)s"),
        "changed": gettext_lazy("changed involvement “%(row)s”: %(fields)s"),
        "removed": gettext_lazy("removed involvement: %(row)s"),
    },
    Charge: {
        "new": gettext_lazy("new charge: %(row)s"),
        "changed": gettext_lazy("changed charge “%(row)s”: %(fields)s"),
        "removed": gettext_lazy("removed charge: %(row)s"),
    },
    Evidence: {
        "new": gettext_lazy("new evidence: %(row)s"),
        "changed": gettext_lazy("changed evidence “%(row)s”: %(fields)s"),
        "removed": gettext_lazy("removed evidence: %(row)s"),
    },
    IncidentLink: {
        "new": gettext_lazy("new link between incidents: %(row)s"),
        "changed": gettext_lazy("changed link between incidents “%(row)s”: %(fields)s"),
        "removed": gettext_lazy("removed link between incidents: %(row)s"),
    },
    IncidentTranslation: {
        "new": gettext_lazy("new translation: %(row)s"),
        "changed": gettext_lazy("changed translation “%(row)s”: %(fields)s"),
        "removed": gettext_lazy("removed translation: %(row)s"),
    },
}


def register_child_rows(model: type[models.Model], link: str, *, new, changed, removed) -> None:
    """Make rows of another app, tied to an incident by the foreign key `link`, part of the
    incident's review: a correction copies them and applies them, and its description names them.

    For the apps above incidents (cases: stages, sentences, custody periods), which incidents
    does not import; each calls this once, when it is ready.
    """
    if (model, link) not in CHILD_ROWS:
        CHILD_ROWS.append((model, link))
    ROW_CHANGES[model] = {"new": new, "changed": changed, "removed": removed}


def describe_correction(copy: Incident) -> list[str]:
    """What a correction would change on the published incident, for the verifier to check."""
    incident = copy.revision_of
    lines = []
    for name in CORRECTABLE_FIELDS:
        before, after = getattr(incident, name), getattr(copy, name)
        if before != after:
            label = Incident._meta.get_field(name).verbose_name
            lines.append(
                _("%(field)s: “%(before)s” → “%(after)s”")
                % {"field": label, "before": _shown(before), "after": _shown(after)}
            )
    for model, link in CHILD_ROWS:
        phrases = ROW_CHANGES[model]
        stands_for = {int(k): v for k, v in copy.revision_rows.get(model._meta.label_lower, {}).items()}
        originals = {row.pk: row for row in model.objects.filter(**{link: incident})}
        kept = set()
        for row in model.objects.filter(**{link: copy}):
            original = originals.get(stands_for.get(row.pk))
            if original is None:
                lines.append(phrases["new"] % {"row": row})
                continue
            kept.add(original.pk)
            changed = [
                str(field.verbose_name)
                for field in row._meta.concrete_fields
                if field.editable
                and field.name not in _NOT_COPIED
                and field.name != link
                and not field.primary_key
                and getattr(row, field.attname) != getattr(original, field.attname)
            ]
            if changed:
                lines.append(phrases["changed"] % {"row": original, "fields": ", ".join(changed)})
        for pk, original in originals.items():
            if pk not in kept:
                lines.append(phrases["removed"] % {"row": original})
    return lines


def _shown(value) -> str:
    return "—" if value in (None, "") else str(value)
