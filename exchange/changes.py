"""The change feed's upkeep: after a save, what the public sees of each record it may have touched
is worked out again, and the feed gets an entry wherever that differs from what it last said.

A save marks what it touched (`mark`, called by `exchange.signals`); once its transaction is
committed, `publish_pending` expands the marks into the public records they can change (a renamed
place changes the rows of every incident inside it) and compares each record's public content
with the digest kept in `PublishedRecord`. The content is built by the same code as the public
exports, so the feed cannot say more than they do.

Entries are appended under one lock held until their transaction commits (an advisory lock on
PostgreSQL; SQLite has one writer at a time anyway), so feed ids become visible in increasing
order. A bulk `QuerySet.update()` sends no signal: code that writes in bulk runs
`manage.py sync_public_changes` afterwards, which compares every record.
"""

import hashlib
import json
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Q

from core.models import Merge
from incidents.export import public_records
from incidents.models import Charge, Incident, Involvement
from incidents.querysets import people_in_public_cases
from organisations.models import Organisation
from people.models import Person, Relationship
from sources.models import Citation

from .models import PublicChange, PublishedRecord, RecordKind

# Any fixed number: the key of the advisory lock that orders the feed's entries on PostgreSQL.
FEED_LOCK = 7_210_001
CHUNK = 500

_pending = threading.local()


def pending_marks() -> set[tuple[str, object]]:
    if not hasattr(_pending, "marks"):
        _pending.marks = set()
    return _pending.marks


def mark(kind: str, key) -> None:
    """Note that a save touched this record (`kind` is a record kind, or `place`, `provision`,
    `incident_type`, `source`, or `gone-<kind>` with a public_id), to be published on commit.

    Each mark asks for a publication on commit; the first to run publishes every mark made so
    far and the others find nothing left. Marks of a transaction that is rolled back stay until
    the next publication, which works them out again and finds nothing changed.
    """
    pending_marks().add((kind, key))
    transaction.on_commit(publish_pending)


def publish_pending() -> None:
    marks = pending_marks()
    if not marks:
        return
    taken = set(marks)
    marks.clear()
    publish(taken)


def publish(marks: Iterable[tuple[str, object]]) -> int:
    """Publish what these marks may have changed; returns the number of feed entries added."""
    by_kind: dict[str, set] = defaultdict(set)
    for kind, key in marks:
        by_kind[kind].add(key)
    with transaction.atomic():
        take_feed_lock()
        added = 0
        for kind, ids in affected_records(by_kind).items():
            for chunk in chunks(sorted(ids)):
                added += publish_records(kind, chunk)
        for kind in RecordKind.values:
            added += publish_removals(kind, by_kind.get(f"gone-{kind}", set()))
    return added


def take_feed_lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [FEED_LOCK])


def chunks(ids: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def affected_records(by_kind: dict[str, set]) -> dict[str, set[int]]:
    """The incidents, people and organisations whose public content the marked saves can change."""
    incidents = set(by_kind.get(RecordKind.INCIDENT, ()))
    people = set(by_kind.get(RecordKind.PERSON, ()))
    organisations = set(by_kind.get(RecordKind.ORGANISATION, ()))
    incidents |= ids_of(
        Involvement.objects.filter(Q(person__in=people) | Q(organisation__in=organisations)), "incident"
    )
    incidents |= ids_of(Charge.objects.filter(person__in=people), "incident")
    for place in by_kind.get("place", ()):
        incidents |= ids_of(Incident.objects.filter(place_path__contains=f"/{place}/"), "pk")
    incidents |= ids_of(Charge.objects.filter(provision__in=by_kind.get("provision", ())), "incident")
    incidents |= ids_of(Incident.objects.filter(incident_type__in=by_kind.get("incident_type", ())), "pk")
    incident_type = ContentType.objects.get_for_model(Incident)
    cited = Citation.objects.filter(source__in=by_kind.get("source", ()), content_type=incident_type)
    incidents |= ids_of(cited, "object_id")
    # An incident published or withdrawn makes its people public or not, and their relatives.
    # (Renaming a place, a provision or a type changes the incidents' rows only.)
    marked = by_kind.get(RecordKind.INCIDENT, ())
    people |= ids_of(Involvement.objects.filter(incident__in=marked, person__isnull=False), "person")
    people |= ids_of(Charge.objects.filter(incident__in=marked), "person")
    people |= ids_of(Relationship.objects.filter(person__in=people), "relative")
    people |= ids_of(Relationship.objects.filter(relative__in=people), "person")
    organisations |= ids_of(Involvement.objects.filter(incident__in=marked, organisation__isnull=False), "organisation")
    organisations |= ids_of(Organisation.objects.filter(parent__in=organisations), "pk")
    return {RecordKind.INCIDENT: incidents, RecordKind.PERSON: people, RecordKind.ORGANISATION: organisations}


def ids_of(queryset, field: str) -> set[int]:
    return set(queryset.order_by().values_list(field, flat=True).distinct())


def publish_records(kind: str, ids: list[int]) -> int:
    """Compare the public content of these records with the feed's, and add what changed."""
    model = RECORD_MODELS[kind]
    contents = public_contents(kind, ids)
    known = dict(model.objects.filter(pk__in=ids).values_list("pk", "public_id"))
    published = {
        record.public_id: record
        for record in PublishedRecord.objects.filter(kind=kind, public_id__in=list(known.values()))
    }
    changes, added, updated, removed = [], [], [], []
    for pk, public_id in known.items():
        record = published.get(public_id)
        content = contents.get(pk)
        if content is None:
            if record is not None:
                changes.append(tombstone(kind, public_id, removal_reason(kind, pk)))
                removed.append(record.pk)
            continue
        digest = digest_of(content)
        if record is None:
            added.append(PublishedRecord(kind=kind, public_id=public_id, digest=digest))
            action = PublicChange.Action.CREATED
        elif record.digest != digest:
            record.digest = digest
            updated.append(record)
            action = PublicChange.Action.UPDATED
        else:
            continue
        changes.append(PublicChange(kind=kind, public_id=public_id, action=action, content=content))
    PublishedRecord.objects.bulk_create(added)
    PublishedRecord.objects.bulk_update(updated, ["digest"])
    PublishedRecord.objects.filter(pk__in=removed).delete()
    PublicChange.objects.bulk_create(changes)
    return len(changes)


def publish_removals(kind: str, public_ids: Iterable) -> int:
    """Tombstones for records deleted (or merged away) that the feed had published."""
    return sum(publish_removals_of(kind, chunk) for chunk in chunks(list(public_ids)))


def publish_removals_of(kind: str, public_ids: list) -> int:
    records = list(PublishedRecord.objects.filter(kind=kind, public_id__in=public_ids))
    model = RECORD_MODELS[kind]
    still_there = set(
        model.objects.filter(public_id__in=[r.public_id for r in records]).values_list("public_id", flat=True)
    )
    gone = [record for record in records if record.public_id not in still_there]
    changes = [merged_or_deleted(kind, record.public_id) for record in gone]
    PublishedRecord.objects.filter(pk__in=[record.pk for record in gone]).delete()
    PublicChange.objects.bulk_create(changes)
    return len(changes)


def tombstone(kind: str, public_id, reason: str, merged_into=None) -> PublicChange:
    return PublicChange(
        kind=kind, public_id=public_id, action=PublicChange.Action.REMOVED, reason=reason, merged_into=merged_into
    )


def merged_or_deleted(kind: str, public_id) -> PublicChange:
    """A record gone from the database: merged into another (named when that one is public) or deleted."""
    merge = Merge.objects.filter(merged_public_id=public_id, undone_at__isnull=True).order_by("-pk").first()
    if merge is None:
        return tombstone(kind, public_id, PublicChange.Reason.DELETED)
    kept = merge.content_type.model_class().objects.filter(pk=merge.kept_id).values_list("public_id", flat=True).first()
    kept_is_published = PublishedRecord.objects.filter(kind=kind, public_id=kept).exists()
    return tombstone(kind, public_id, PublicChange.Reason.MERGED, kept if kept_is_published else None)


def removal_reason(kind: str, pk: int) -> str:
    record = RECORD_MODELS[kind].objects.get(pk=pk)
    if kind == RecordKind.INCIDENT and record.status == Incident.Status.RETRACTED:
        return PublicChange.Reason.RETRACTED
    if record.confidential:
        return PublicChange.Reason.CONFIDENTIAL
    return PublicChange.Reason.WITHDRAWN


def digest_of(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def public_contents(kind: str, ids: list[int]) -> dict[int, dict]:
    """What the public sees of each of these records that it may see, by id; addresses as paths."""
    if kind == RecordKind.INCIDENT:
        return public_records(Incident.objects.filter(pk__in=ids), str)
    if kind == RecordKind.PERSON:
        people = people_in_public_cases().filter(pk__in=ids).prefetch_related("name_variants")
        return {person.pk: person_content(person) for person in people}
    organisations = (
        Organisation.objects.public().filter(pk__in=ids).select_related("parent").prefetch_related("aliases")
    )
    return {organisation.pk: organisation_content(organisation) for organisation in organisations}


def person_content(person: Person) -> dict:
    return {
        "name": person.name,
        "occupation": person.occupation,
        "other_names": sorted(variant.name for variant in person.name_variants.all()),
        "url": person.get_absolute_url(),
        "permanent_url": person.get_permanent_url(),
    }


def organisation_content(organisation: Organisation) -> dict:
    parent = organisation.parent
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "other_names": sorted(alias.name for alias in organisation.aliases.all()),
        "parent": str(parent.public_id) if parent is not None and parent.is_public() else None,
        "url": organisation.get_absolute_url(),
        "permanent_url": organisation.get_permanent_url(),
    }


RECORD_MODELS = {RecordKind.INCIDENT: Incident, RecordKind.PERSON: Person, RecordKind.ORGANISATION: Organisation}


def synchronise() -> int:
    """Compare every record with the feed, a chunk per transaction, for after bulk writes that
    sent no signal; returns the number of feed entries added."""
    added = 0
    for kind, model in RECORD_MODELS.items():
        for chunk in chunks(list(model.objects.order_by("pk").values_list("pk", flat=True))):
            with transaction.atomic():
                take_feed_lock()
                added += publish_records(kind, chunk)
        with transaction.atomic():
            take_feed_lock()
            added += publish_removals(
                kind, PublishedRecord.objects.filter(kind=kind).values_list("public_id", flat=True)
            )
    return added
