"""Make two records of one person, or of one organisation, one record, and undo it.

A verifier chooses, field by field, what the kept record says. Every row that points at the other
record (involvements, charges, memberships, relationships, custody, sentences, stages, names,
citations) is moved to the kept one and saved, so each row's history says so and the search and
custody kept on other rows follow. The other record's names become names of the kept one, and the
other record is deleted; its old addresses answer with a permanent redirect to the kept record
(`kept_by_merge`). The merge is kept as a `Merge`, which undoes it while nobody has changed the
kept record since.
"""

import json

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Merge
from .partial_dates import precision_pairs

# For each kind of record that can be merged: the model of its other names and their foreign key.
OTHER_NAMES = {
    "people.person": ("people.NameVariant", "person"),
    "organisations.organisation": ("organisations.OrganisationAlias", "organisation"),
}
# Fields a merge never takes from the other record: the kept record's identity and what is
# computed from its name.
NOT_CHOSEN = {"id", "public_id", "slug", "created_at", "updated_at"}
# A record merged into one that was merged in turn: its address follows this many merges.
MOST_MERGES_FOLLOWED = 10


class MergeError(Exception):
    pass


def choosable_fields(model) -> list[models.Field]:
    """The fields a verifier chooses between, a date's precision going with its date."""
    precisions = {precision for _date, precision in precision_pairs(model)}
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and field.name not in NOT_CHOSEN and field.name not in precisions
    ]


def companion(model, field: models.Field) -> str | None:
    """The precision field that goes with a date field, if it has one."""
    return dict(precision_pairs(model)).get(field.name)


def differences(kept, other) -> list[dict]:
    """The fields on which the two records differ, each with both values as the admin shows them."""
    rows = []
    for field in choosable_fields(type(kept)):
        if field.value_from_object(kept) != field.value_from_object(other):
            rows.append({"field": field, "kept": shown(kept, field), "other": shown(other, field)})
    return rows


def shown(record, field: models.Field) -> str:
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    value = getattr(record, field.name)
    return "—" if value in (None, "") else str(value)


def serialised(records) -> list:
    return json.loads(serializers.serialize("json", records))


def restore(rows: list) -> None:
    for row in serializers.deserialize("json", json.dumps(rows)):
        row.save()


def saved(record, *, by, reason: str) -> None:
    record._history_user = by
    record._change_reason = reason
    record.save()


def rows_pointing_at(record):
    """(model, foreign key) for every kind of row that points at records of this model; the
    history tables are left out: they say what was true before."""
    for relation in record._meta.get_fields():
        if relation.auto_created and not relation.concrete and relation.one_to_many and not relation.hidden:
            yield relation.related_model, relation.field.name


@transaction.atomic
def merge(kept, other, *, take: set[str], by) -> Merge:
    """Merge `other` into `kept`: the fields named in `take` come from `other`, the rest stay."""
    model = type(kept)
    label = model._meta.label_lower
    if label not in OTHER_NAMES:
        raise MergeError(_("Only people and organisations are merged."))
    if type(other) is not model or other.pk == kept.pk:
        raise MergeError(_("Choose another record of the same kind to merge."))
    kept = model.objects.select_for_update().get(pk=kept.pk)
    other = model.objects.select_for_update().get(pk=other.pk)
    if getattr(kept, "parent_id", None) == other.pk:
        raise MergeError(_("The record to keep is part of the other one: keep the other one instead."))
    record = Merge(
        content_type=ContentType.objects.get_for_model(model),
        kept_id=kept.pk,
        merged_id=other.pk,
        merged_name=str(other),
        merged_slug=other.slug,
        merged_public_id=other.public_id,
        merged_record=serialised([other]),
        kept_before=serialised([kept]),
        merged_by=by,
    )
    reason = f"Merged “{other}” (id {other.pk}) into “{kept}” (id {kept.pk})"
    for model_of_rows, key in rows_pointing_at(other):
        for row in model_of_rows.objects.filter(**{key: other}).order_by("pk"):
            setattr(row, key, kept)
            try:
                with transaction.atomic():
                    saved(row, by=by, reason=reason)
            except IntegrityError:
                # The kept record has this row already (the same spelling, the same membership).
                row = model_of_rows.objects.get(pk=row.pk)
                citations = list(row.citations.all()) if hasattr(row, "citations") else []
                record.removed += serialised([row, *citations])
                row.delete()
                continue
            record.moved.setdefault(model_of_rows._meta.label_lower, {}).setdefault(key, []).append(row.pk)
    move_citations(other, kept, record)
    names_before = {str(kept), str(other)}
    for name in (field.name for field in choosable_fields(model)):
        if name in take:
            setattr(kept, name, getattr(other, name))
            precision = companion(model, model._meta.get_field(name))
            if precision:
                setattr(kept, precision, getattr(other, precision))
    other._history_user, other._change_reason = by, f"Merged into “{kept}” (id {kept.pk})"
    other.delete()
    saved(kept, by=by, reason=reason)
    add_other_names(kept, names_before - {kept.name}, record)
    record.kept_history_id = kept.history.latest().history_id
    record.save()
    return record


def move_citations(other, kept, record: Merge) -> None:
    """Citations of the record itself (sources on the person) follow it; one the kept record has
    already is removed and kept in the merge for an undo."""
    citation_model = apps.get_model("sources", "Citation")
    content_type = ContentType.objects.get_for_model(other)
    of_kept = citation_model.objects.filter(content_type=content_type, object_id=kept.pk)
    held = set(of_kept.values_list("claim", "source"))
    for citation in citation_model.objects.filter(content_type=content_type, object_id=other.pk):
        if (citation.claim, citation.source_id) in held:
            record.removed += serialised([citation])
            citation.delete()
        else:
            citation.object_id = kept.pk
            citation.save()
            moved = record.moved.setdefault(citation_model._meta.label_lower, {})
            moved.setdefault("object_id", []).append(citation.pk)


def add_other_names(kept, names: set[str], record: Merge) -> None:
    model_label, key = OTHER_NAMES[kept._meta.label_lower]
    names_model = apps.get_model(model_label)
    for name in sorted(names):
        if not names_model.objects.filter(**{key: kept, "name": name}).exists():
            row = names_model.objects.create(**{key: kept, "name": name})
            record.added.setdefault(names_model._meta.label_lower, []).append(row.pk)


def undo_refusal(record: Merge) -> str:
    """Why the merge cannot be undone, or "" when it can."""
    if record.undone_at:
        return _("This merge was undone already.")
    kept = record.content_type.get_object_for_this_type(pk=record.kept_id)
    if kept.history.latest().history_id != record.kept_history_id:
        return _(
            "The kept record was changed after the merge, so the merge can no longer be undone: "
            "separate the two by hand."
        )
    return ""


@transaction.atomic
def undo(record: Merge, *, by) -> None:
    """The merged record back, with its address and every row moved from it; the kept record as it was."""
    record = Merge.objects.select_for_update().get(pk=record.pk)
    refusal = undo_refusal(record)
    if refusal:
        raise MergeError(refusal)
    model = record.content_type.model_class()
    reason = f"Merge of “{record.merged_name}” (id {record.merged_id}) undone"
    restore(record.merged_record)
    other = model.objects.get(pk=record.merged_id)
    kept = model.objects.get(pk=record.kept_id)
    for label, names in record.added.items():
        apps.get_model(label).objects.filter(pk__in=names).delete()
    for label, keys in record.moved.items():
        model_of_rows = apps.get_model(label)
        for key, ids in keys.items():
            for row in model_of_rows.objects.filter(pk__in=ids):
                if key == "object_id":
                    row.object_id = other.pk
                    row.save()
                else:
                    setattr(row, key, other)
                    saved(row, by=by, reason=reason)
    restore(record.removed)
    before = next(serializers.deserialize("json", json.dumps(record.kept_before))).object
    for field in choosable_fields(model):
        setattr(kept, field.attname, getattr(before, field.attname))
        precision = companion(model, field)
        if precision:
            setattr(kept, precision, getattr(before, precision))
    saved(kept, by=by, reason=reason)
    saved(other, by=by, reason=reason)
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save()


def kept_by_merge(model, *, slug: str | None = None, public_id=None):
    """The record that a record of this address was merged into (following later merges), or None."""
    merges = Merge.objects.filter(content_type=ContentType.objects.get_for_model(model), undone_at__isnull=True)
    found = merges.filter(merged_slug=slug) if slug else merges.filter(merged_public_id=public_id)
    for _step in range(MOST_MERGES_FOLLOWED):
        merge_record = found.first()
        if merge_record is None:
            return None
        kept = model.objects.filter(pk=merge_record.kept_id).first()
        if kept is not None:
            return kept
        found = merges.filter(merged_id=merge_record.kept_id)
    return None
