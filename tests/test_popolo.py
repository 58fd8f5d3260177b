"""/api/popolo/: the public people, organisations and memberships, valid Popolo, nothing private.

The Popolo JSON schemas (popolo-project/popolo-spec, `schemas/`) are kept in tests/popolo_schemas
and resolved from there, offline.
"""

import datetime
import json
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT3

from organisations.models import Membership
from people.models import Person

from .factories import involve, make_incident, make_organisation, make_person

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "popolo_schemas"


def popolo_validator(name: str) -> jsonschema.Draft3Validator:
    documents = [json.loads(path.read_text()) for path in SCHEMAS.glob("*.json")]
    registry = Registry().with_resources((document["id"], DRAFT3.create_resource(document)) for document in documents)
    schema = json.loads((SCHEMAS / f"{name}.json").read_text())
    return jsonschema.Draft3Validator(
        schema, registry=registry, format_checker=jsonschema.Draft3Validator.FORMAT_CHECKER
    )


def popolo(client, **headers) -> dict:
    response = client.get("/api/popolo/", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return json.loads(b"".join(response.streaming_content))


def test_the_document_is_valid_popolo(client, demo):
    document = popolo(client)
    assert document["persons"] and document["organizations"] and document["memberships"]
    for kind, schema in (("persons", "person"), ("organizations", "organization"), ("memberships", "membership")):
        validator = popolo_validator(schema)
        for record in document[kind]:
            errors = [error.message for error in validator.iter_errors(record)]
            assert errors == [], (kind, record["id"])


def test_people_organisations_and_memberships_carry_identifiers_addresses_and_dates(client, demo):
    document = popolo(client)
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    person = next(record for record in document["persons"] if record["id"] == str(amirova.public_id))
    assert person["name"] == "Ajzhangul Amirova"
    assert "Айжангуль Амирова" in [name["name"] for name in person["other_names"]]
    assert person["links"][0] == {"url": f"http://testserver/people/{amirova.public_id}/", "note": "permanent address"}
    assert person["last_verified"]
    membership = Membership.objects.filter(person=amirova).select_related("organisation").first()
    listed = next(record for record in document["memberships"] if record["id"] == f"vigil-membership-{membership.pk}")
    assert listed["person_id"] == str(amirova.public_id)
    assert listed["organization_id"] == str(membership.organisation.public_id)
    assert listed["role"] == membership.role
    organisations = {record["id"]: record for record in document["organizations"]}
    branch = next(record for record in organisations.values() if "parent_id" in record)
    assert branch["parent_id"] in organisations


def test_a_partial_date_is_written_to_its_precision(client, demo):
    incident = make_incident()
    born = make_person("Gulnara Bazhkenova", birth_date=datetime.date(1978, 5, 1), birth_date_precision="month")
    involve(incident, person=born)
    organisation = make_organisation("Zhanaozen Workers Committee")
    Membership.objects.create(
        person=born,
        organisation=organisation,
        role="member",
        start_date=datetime.date(2011, 1, 1),
        start_precision="year",
    )
    document = popolo(client)
    person = next(record for record in document["persons"] if record["name"] == "Gulnara Bazhkenova")
    assert person["birth_date"] == "1978-05"
    membership = next(record for record in document["memberships"] if record["person_id"] == person["id"])
    assert membership["start_date"] == "2011"
    assert "end_date" not in membership


def test_nobody_hidden_is_in_it_not_even_by_identifier(client, demo):
    incident = make_incident()
    hidden = make_person("Koala Hiddenperson", confidential=True)
    unnamed = make_person("Lemur Withoutconsent", consent_to_publish=False)
    in_a_draft = make_person("Marmot Onlyinadraft")
    secret = make_organisation("Quail Secretgroup", confidential=True)
    public = make_organisation("Open Group")
    for person in (hidden, unnamed):
        involve(incident, person=person)
    involve(make_incident(status="draft"), person=in_a_draft)
    for person in (hidden, unnamed, in_a_draft):
        Membership.objects.create(person=person, organisation=public, role="member")
    involve(incident, organisation=secret)
    text = b"".join(client.get("/api/popolo/").streaming_content).decode()
    for record in (hidden, unnamed, in_a_draft, secret):
        assert record.name not in text
        assert str(record.public_id) not in text
    assert "Open Group" in text


def test_the_document_is_in_the_base_language_whoever_asks(client, demo):
    english = popolo(client)
    russian = popolo(client, HTTP_ACCEPT_LANGUAGE="ru")
    assert english == russian


def test_an_unknown_parameter_is_a_400_that_names_it(client, demo):
    response = client.get("/api/popolo/?format=xml")
    assert response.status_code == 400
    assert "format" in response.json()


def test_the_number_of_queries_does_not_grow_with_the_records(client, demo, django_assert_num_queries):
    with django_assert_num_queries(8):
        b"".join(client.get("/api/popolo/").streaming_content)
    for number in range(30):
        person = make_person(f"Extra Person {number}")
        involve(make_incident(), person=person)
        Membership.objects.create(person=person, organisation=make_organisation(f"Extra Group {number}"), role="member")
    with django_assert_num_queries(8):
        b"".join(client.get("/api/popolo/").streaming_content)


def test_last_verified_is_dated_by_public_rows_only(client, demo):
    person = make_person("Aigerim Tulegenova")
    seen = make_incident(last_verified_at=datetime.datetime(2020, 3, 1, tzinfo=datetime.UTC))
    unseen = make_incident(last_verified_at=datetime.datetime(2024, 6, 1, tzinfo=datetime.UTC))
    involve(seen, person=person)
    involve(unseen, person=person, confidential=True)
    document = popolo(client)
    record = next(record for record in document["persons"] if record["name"] == "Aigerim Tulegenova")
    assert record["last_verified"] == "2020-03-01"
