"""The exports' rows, made from plain values, against the same rows made from model instances.

The export reads no model instances (building them was most of the time of a large export), so
it restates a little of what the models say: an involvement's public actor name, a charge's text.
Here the rows are made a second way, from the instances and the properties the pages show
(`date_display`, `public_person_names`, `public_actor_name`, `get_absolute_url`, a provision's
`reference`, `is_publicly_named`), as the export made them before, and the two files must be
equal byte for byte: on the demo case, on generated data, and on awkward records, for the
searches of tests/test_same_results.py.
"""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Prefetch
from django.test import RequestFactory
from django.utils import timezone, translation

from incidents.export import (
    BYTE_ORDER_MARK,
    CONFIDENCE_ORDER,
    CSV_HEADER,
    INVOLVEMENT_HEADER,
    spreadsheet_safe,
)
from incidents.filters import IncidentFilter
from incidents.models import Charge, Incident, IncidentType
from places.models import Place
from sources.models import Citation, Source

from .factories import involve, make_incident, make_organisation, make_person, make_provision
from .test_same_results import DEMO_SEARCHES, SEED, generated_searches

pytestmark = pytest.mark.django_db

EXPORTS = {"/incidents/export.csv": "incidents", "/incidents/involvements.csv": "involvements"}


def areas() -> dict[int, str]:
    return dict(Place.objects.filter(kind__in=[Place.Kind.COUNTRY, Place.Kind.REGION]).values_list("pk", "name"))


def area_names(incident, areas: dict[int, str]) -> tuple[str, str]:
    ids = [int(part) for part in incident.place_path.strip("/").split("/") if part]
    return (areas.get(ids[0], "") if ids else "", areas.get(ids[1], "") if len(ids) > 1 else "")


def dating_values(incident, areas: dict[int, str]) -> list[str]:
    return [
        incident.incident_type.name,
        incident.date_display,
        incident.period_start.isoformat(),
        "" if incident.ongoing else incident.period_end.isoformat(),
        incident.place.name if incident.place else "",
        *area_names(incident, areas),
    ]


def last_verified(incident) -> str:
    return incident.last_verified_at.date().isoformat() if incident.last_verified_at else ""


def charge_text(charge) -> str:
    return f"{charge.provision.reference} ({charge.get_status_display()})"


def incident_rows(incident, absolute_url, areas) -> list[list]:
    involvements, charges = incident.public_actor_rows()
    citations = incident.citations.all()
    confidences = {citation.confidence for citation in citations}
    return [
        [
            str(incident.public_id),
            absolute_url(incident.get_absolute_url()),
            incident.title,
            *dating_values(incident, areas),
            "; ".join(i.public_actor_name for i in involvements if i.person_id),
            "; ".join(i.public_actor_name for i in involvements if i.organisation_id),
            "; ".join(i.public_actor_name for i in involvements if i.unidentified_actor),
            "; ".join(f"{charge.public_person_name}: {charge_text(charge)}" for charge in charges),
            "; ".join(f"{i.role}: {i.public_actor_name}" for i in involvements),
            len({citation.source_id for citation in citations}),
            next((level for level in CONFIDENCE_ORDER if level in confidences), ""),
            incident.summary,
            absolute_url(incident.get_permanent_url()),
            last_verified(incident),
        ]
    ]


def involvement_rows(incident, absolute_url, areas) -> list[list]:
    involvements, charges = incident.public_actor_rows()
    incident_columns = [
        str(incident.public_id),
        absolute_url(incident.get_permanent_url()),
        incident.title,
        *dating_values(incident, areas),
    ]
    rows = []
    for involvement in involvements:
        actor = involvement.person or involvement.organisation
        named = involvement.organisation_id or (involvement.person_id and involvement.person.is_publicly_named())
        kind = "person" if involvement.person_id else "organisation" if involvement.organisation_id else "unidentified"
        own = [charge for charge in charges if involvement.person_id and charge.person_id == involvement.person_id]
        rows.append(
            [
                *incident_columns,
                involvement.role,
                kind,
                involvement.public_actor_name,
                str(actor.public_id) if named else "",
                absolute_url(actor.get_permanent_url()) if named else "",
                "; ".join(charge_text(charge) for charge in own),
                last_verified(incident),
            ]
        )
    return rows


def from_instances(address: str, query: str) -> bytes:
    """The file made from model instances, for the same search as the export's."""
    request = RequestFactory().get(f"{address}?{query}")
    filterset = IncidentFilter(request.GET, queryset=Incident.objects.shown_in_lists(), request=request)
    assert filterset.is_valid(), filterset.errors
    header, rows_of = (
        (CSV_HEADER, incident_rows) if EXPORTS[address] == "incidents" else (INVOLVEMENT_HEADER, involvement_rows)
    )
    incidents = filterset.qs.with_public_actors_and_charges().prefetch_related(
        Prefetch("citations", queryset=Citation.objects.public())
    )
    output = io.StringIO()
    writer = csv.writer(output)
    with translation.override(settings.LANGUAGE_CODE):
        names = areas()
        writer.writerow(header)
        for incident in incidents:
            for values in rows_of(incident, request.build_absolute_uri, names):
                writer.writerow([spreadsheet_safe(value) if isinstance(value, str) else value for value in values])
    mark = BYTE_ORDER_MARK if "bom=1" in query else ""
    return f"{mark}{output.getvalue()}".encode()


def exported(client, address: str, query: str) -> bytes:
    response = client.get(f"{address}?{query}")
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content)


def assert_same_files(client, searches: list[str]) -> None:
    for address in EXPORTS:
        for query in searches:
            made = exported(client, address, query)
            assert made == from_instances(address, query), (address, query)
            assert made.count(b"\n") > 1, f"{address}?{query} should find something"


def awkward_records() -> None:
    """Incidents that exercise every branch of a row: pseudonyms shared between involvements and
    charges, hidden rows, citations of every confidence (and of a hidden source), datings of every
    kind, no place, text a spreadsheet would run, line breaks and quotes."""
    verified_at = timezone.make_aware(datetime.datetime(2024, 3, 5, 23, 30))
    shy, other_shy = (
        make_person("Awk Shy One", consent_to_publish=False),
        make_person("Awk Shy Two", consent_to_publish=False),
    )
    named, hidden = make_person("Awk Named"), make_person("Awk Hidden", confidential=True)
    organisation, hidden_organisation = (
        make_organisation("Awk Union"),
        make_organisation("Awk Secret", confidential=True),
    )
    provision = make_provision("401", part="2", edition="2014")
    statement = IncidentType.objects.get(slug="statement")
    first = make_incident(
        title="=awk formula title",
        summary='Line one,\nline "two"; -3\r\n@end',
        start_date=datetime.date(2019, 5, 1),
        start_precision="month",
        ongoing=True,
        dates_approximate=True,
        last_verified_at=verified_at,
    )
    second = make_incident(
        title="Awk ranged",
        incident_type=statement,
        start_date=datetime.date(2018, 2, 3),
        end_date=datetime.date(2018, 2, 9),
        local_time=datetime.time(22, 15),
        local_time_approximate=True,
        place=None,
    )
    make_incident(title="Awk year", start_date=datetime.date(2017, 1, 1), start_precision="year")
    make_incident(title="Awk draft", status="draft")
    involve(first, role="witness", person=other_shy)
    involve(first, role="victim", person=shy)
    involve(first, role="victim", person=named)
    involve(first, role="other", person=shy)
    involve(first, role="victim", person=hidden)
    involve(first, role="perpetrator", organisation=organisation)
    involve(first, role="perpetrator", organisation=hidden_organisation)
    involve(first, role="perpetrator", unidentified_actor="-a man in a grey coat")
    involve(first, role="witness", person=make_person("Awk Confidential Row"), confidential=True)
    involve(second, role="victim", unidentified_actor="two students")
    for person, status in (
        (other_shy, "convicted"),
        (make_person("Awk Charged Only", consent_to_publish=False), "charged"),
    ):
        Charge.objects.create(incident=first, person=person, provision=provision, status=status)
    Charge.objects.create(incident=first, person=hidden, provision=provision, status="dropped")
    incident_type = ContentType.objects.get_for_model(Incident)
    for number, (confidence, confidential) in enumerate((("medium", False), ("low", True), ("high", False))):
        source = Source.objects.create(title=f"Awk source {number}", confidential=confidential)
        Citation.objects.create(content_type=incident_type, object_id=first.pk, source=source, confidence=confidence)
    Citation.objects.create(
        content_type=incident_type,
        object_id=second.pk,
        source=Source.objects.create(title="Awk source 4"),
        confidence="high",
        claim="date",
    )


def test_the_rows_are_those_the_instances_give_for_every_search_of_the_demo(client, demo):
    assert_same_files(client, DEMO_SEARCHES + ["bom=1"])


def test_the_rows_are_those_the_instances_give_on_generated_data(client, demo):
    call_command("generate_dataset", incidents=600, seed=SEED, verbosity=0)
    assert_same_files(client, ["", *generated_searches()])


def test_the_rows_are_those_the_instances_give_for_awkward_records(client, demo):
    awkward_records()
    assert_same_files(client, ["q=awk", "type=statement", "date_to=2019-12-31"])
    [row] = csv.DictReader(io.StringIO(exported(client, "/incidents/export.csv", "q=formula").decode()))
    # Lettered in the order of the rows' creation, listed in the order of their roles.
    assert row["people"] == "Person B; Person B; Awk Named; Person A"
    code = "Kazakhstan, Test Code (2014), Article 401, part 2"
    assert row["charges"] == f"Person C: {code} (charged); Person A: {code} (convicted)"
    assert (row["sources"], row["lowest_confidence"]) == ("2", "medium")
