"""The public people, organisations and memberships as one Popolo JSON document (`/api/popolo/`),
the format parliamentary and human-rights databases exchange people and organisations in.

Who is in it is decided by the public rules of each kind (`people_in_public_cases()`,
`Organisation.objects.public()`): a person without consent is not in it at all, since a
pseudonym that followed them from one case to another would identify them. The document is
streamed record by record, in the site's base language.
"""

import json
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import translation
from django.utils.translation import gettext

from core.partial_dates import PartialDate
from incidents.models import Charge, Involvement
from incidents.querysets import people_in_public_cases
from organisations.models import Membership, Organisation

IDENTIFIER_SCHEME = "vigil"
CHUNK = 500


def popolo_date(date, precision: str) -> str | None:
    """A date as Popolo writes a partial one, as the entry forms do: 2012, 2012-01 or 2012-01-06."""
    return None if date is None else str(PartialDate(date, precision))


def last_verified(rows, field: str):
    """The latest verification of a public incident in which this record has a public row (an
    involvement, a charge) through `field`: a staff-only row dates nothing."""
    latest = rows.public().filter(**{field: OuterRef("pk")}).order_by("-incident__last_verified_at")
    return Subquery(latest.values("incident__last_verified_at")[:1])


def latest_date(*moments) -> str | None:
    moments = [moment for moment in moments if moment is not None]
    return max(moments).date().isoformat() if moments else None


def record_links(record, absolute_url: Callable[[str], str]) -> list[dict]:
    return [
        {"url": absolute_url(record.get_permanent_url()), "note": gettext("permanent address")},
        {"url": absolute_url(record.get_absolute_url()), "note": gettext("page")},
    ]


def person_of(person, absolute_url: Callable[[str], str]) -> dict:
    document = {
        "id": str(person.public_id),
        "name": person.name,
        "other_names": [
            {"name": variant.name, "note": variant.get_kind_display()} for variant in person.name_variants.all()
        ],
        "identifiers": [{"scheme": IDENTIFIER_SCHEME, "identifier": str(person.public_id)}],
        "links": record_links(person, absolute_url),
        "updated_at": person.updated_at.isoformat(),
    }
    if person.birth_date:
        document["birth_date"] = popolo_date(person.birth_date, person.birth_date_precision)
    if person.occupation:
        document["summary"] = person.occupation
    verified = latest_date(person.verified_by_involvement, person.verified_by_charge)
    if verified:
        document["last_verified"] = verified
    return document


def organisation_of(organisation, absolute_url: Callable[[str], str], public_ids: dict[int, str]) -> dict:
    document = {
        "id": str(organisation.public_id),
        "name": organisation.name,
        "classification": organisation.get_kind_display(),
        "other_names": [{"name": alias.name, "note": alias.get_kind_display()} for alias in organisation.aliases.all()],
        "identifiers": [{"scheme": IDENTIFIER_SCHEME, "identifier": str(organisation.public_id)}],
        "links": record_links(organisation, absolute_url),
        "updated_at": organisation.updated_at.isoformat(),
    }
    if organisation.parent_id in public_ids:
        document["parent_id"] = public_ids[organisation.parent_id]
    verified = latest_date(organisation.verified_by_involvement)
    if verified:
        document["last_verified"] = verified
    return document


def membership_of(membership) -> dict:
    document = {
        "id": f"{IDENTIFIER_SCHEME}-membership-{membership.pk}",
        "person_id": str(membership.person.public_id),
        "organization_id": str(membership.organisation.public_id),
        "role": membership.role,
    }
    start = popolo_date(membership.start_date, membership.start_precision)
    end = popolo_date(membership.end_date, membership.end_precision)
    if start:
        document["start_date"] = start
    if end:
        document["end_date"] = end
    return document


def public_people():
    return people_in_public_cases().annotate(
        verified_by_involvement=last_verified(Involvement.objects, "person"),
        verified_by_charge=last_verified(Charge.objects, "person"),
    )


def public_organisations():
    return Organisation.objects.public().annotate(
        verified_by_involvement=last_verified(Involvement.objects, "organisation")
    )


def popolo_chunks(absolute_url: Callable[[str], str]) -> Iterator[str]:
    """The document, a piece at a time: persons, organizations, then memberships."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        organisation_ids = dict(public_organisations().values_list("pk", "public_id"))
        organisation_ids = {pk: str(public_id) for pk, public_id in organisation_ids.items()}
        people = public_people().prefetch_related("name_variants").order_by("pk")
        organisations = public_organisations().prefetch_related("aliases").order_by("pk")
        memberships = (
            Membership.objects.filter(
                person__in=people_in_public_cases(), organisation__in=Organisation.objects.public()
            )
            .select_related("person", "organisation")
            .order_by("pk")
        )
        yield '{"persons": ['
        yield from joined(person_of(person, absolute_url) for person in people.iterator(chunk_size=CHUNK))
        yield '], "organizations": ['
        yield from joined(
            organisation_of(organisation, absolute_url, organisation_ids)
            for organisation in organisations.iterator(chunk_size=CHUNK)
        )
        yield '], "memberships": ['
        yield from joined(membership_of(membership) for membership in memberships.iterator(chunk_size=CHUNK))
        yield "]}"


def joined(documents: Iterator[dict]) -> Iterator[str]:
    for number, document in enumerate(documents):
        yield ("," if number else "") + json.dumps(document, ensure_ascii=False)
