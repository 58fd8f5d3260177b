"""The API answers as its OpenAPI schema says, for whatever the schema allows and for what it does not.

Schemathesis reads /api/schema/ from the application itself (in process, on the test database with
the demo case) and calls every operation with values made from the schema: valid ones, which must
be answered (200, or a 404 for a record or page that does not exist), and invalid ones, which must
be refused; every answer's status, media type and body must be the ones the schema gives. All its
checks run. The examples are derived from a fixed seed, so every run sends the same requests.

What a schema cannot say, the test knows: which records exist (a valid-looking address of a place
that does not exist is a 400, as it should be), that `date_to` is not before `date_from`, and
which texts have a word to look for (`format: search-text`).
"""

import datetime
import functools
import hashlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import resolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from core.text import search_words
from incidents import workflow
from incidents.filters import IncidentFilter
from incidents.models import Incident

from .factories import make_user

schemathesis.openapi.format(
    "search-text",
    st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=200).filter(search_words),
)

# Read while the tests are collected: making the schema reads no table.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())


@pytest.fixture(autouse=True)
def connections_kept_open():
    """As Django's test client does: a request through the WSGI handler would otherwise close the
    database connection when it ends, and with it the test's transaction (on PostgreSQL)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@functools.cache
def existing_addresses(path: str) -> dict[str, list[str]]:
    """The addresses of the records that an operation's parameters can name, by parameter: the
    search filters' records, and in a record's path the records its endpoint shows. The same for
    every test, as every test starts from the demo case."""
    addresses = {
        name: sorted(filter_field.queryset.values_list(filter_field.extra["to_field_name"], flat=True))
        for name, filter_field in IncidentFilter.base_filters.items()
        if "to_field_name" in filter_field.extra
    }
    if "{slug}" in path:
        view = resolve(path.replace("{slug}", "any")).func.cls(action="retrieve", kwargs={}, format_kwarg=None)
        addresses["slug"] = sorted(view.get_queryset().values_list(view.lookup_field, flat=True))
    return addresses


def existing(addresses: list[str], value, valid) -> str:
    """For a valid address, an existing one chosen by it (the same value picks the same one)."""
    if not (isinstance(value, str) and value and valid(value)):
        return value
    return addresses[int(hashlib.sha256(value.encode()).hexdigest(), 16) % len(addresses)]


def with_existing_records(case) -> None:
    """Each valid address in the path or query made to name an existing record, and a valid date
    range put in order: then a valid request is one the API answers, and an invalid one stays
    invalid."""
    addresses = existing_addresses(case.operation.path)
    parameters = {parameter["name"]: parameter for parameter in case.operation.definition.raw.get("parameters", [])}
    for container in (case.path_parameters or {}, case.query or {}):
        for name, values in list(container.items()):
            if name not in addresses or name not in parameters:
                continue
            schema_of = parameters[name]["schema"]
            valid = Draft4Validator(schema_of.get("items", schema_of)).is_valid
            if isinstance(values, list):
                container[name] = [existing(addresses[name], value, valid) for value in values]
            else:
                container[name] = existing(addresses[name], values, valid)
    query = case.query or {}
    dates = [query.get("date_from"), query.get("date_to")]
    if all(isinstance(date, str) for date in dates):
        try:
            start, end = (datetime.date.fromisoformat(date) for date in dates)
        except ValueError:
            return
        if end < start:
            query["date_from"], query["date_to"] = dates[1], dates[0]


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@pytest.mark.django_db
def test_the_api_answers_as_its_schema_says(case):
    with_existing_records(case)
    case.call_and_validate()


@pytest.mark.django_db
def test_a_retracted_incident_is_answered_as_the_schema_says(demo):
    """No generated address names a retracted incident of the demo case: this one is made so."""
    incident = Incident.objects.get(slug="amirova-arrest-aktau-airport-2012")
    workflow.retract(incident=incident, by=make_user("Verifier"), reason="Withdrawn at the family's request.")
    case = schema["/api/incidents/{slug}/"]["GET"].Case(path_parameters={"slug": incident.slug})
    assert case.call_and_validate().status_code == 410
