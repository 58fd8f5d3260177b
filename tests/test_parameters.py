"""Every parameter is understood or named: never silently ignored, never the last of two values
silently taken (review findings 5 and 6), and the API's schema says what the API takes and answers."""

import re

import pytest
from django.urls import URLPattern

from core.filters import MAX_CHOSEN, SEARCH_TEXT_MAX_LENGTH
from core.viewsets import ParametersChecked
from incidents import workflow
from incidents.api import router
from incidents.models import Incident

from .factories import make_user
from .search_helpers import export_rows

pytestmark = pytest.mark.django_db

PAGE, EXPORT, API = "/incidents/", "/incidents/export.csv", "/api/incidents/"
ARREST = "amirova-arrest-aktau-airport-2012"
UNKNOWN_IN_THE_API = (
    "There is no such parameter; this address takes charge, charge_equivalents, date_from, date_to, format, "
    "organisation, page, person, q, region, type."
)
GIVE_IT_ONCE = "It takes one value; give it once."


# Finding 5: wrong parameters were sometimes ignored.


@pytest.mark.parametrize("query", ["foo=bar", "q%5B%5D=1", "Q=amirova", "foo=bar&q=amirova"])
def test_an_unknown_parameter_is_named_above_the_results_and_the_page_still_answers(client, demo, query):
    name = re.split("[=&]", query)[0].replace("%5B%5D", "[]")
    response = client.get(f"{PAGE}?{query}")
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<code>{name}</code> was not understood and was ignored." in html
    assert html.index("was not understood") < html.index('<section class="results"')
    assert response.context["incidents"]  # the results are shown


def test_the_notice_offers_the_address_without_the_unknown_parameter_and_the_csv_leaves_it_out(client, demo):
    html = client.get(PAGE, {"q": "amirova", "tpye": "arrest"}).content.decode()
    assert 'was not understood and was ignored. <a href="?q=amirova">Search without it</a>' in html
    assert 'href="/incidents/export.csv?q=amirova"' in html
    assert 'href="/incidents/export.csv?q=amirova&amp;bom=1"' in html


@pytest.mark.parametrize("path", ["/people/", "/organisations/"])
def test_the_other_lists_name_an_unknown_parameter_too(client, demo, path):
    response = client.get(path, {"foo": "bar"})
    assert response.status_code == 200
    assert "<code>foo</code> was not understood and was ignored." in response.content.decode()


@pytest.mark.parametrize("query", ["foo=bar", "q%5B%5D=1"])
def test_an_unknown_parameter_is_refused_by_the_api_and_the_csv_naming_it(client, demo, query):
    name = query.split("=")[0].replace("%5B%5D", "[]")
    api = client.get(f"{API}?{query}")
    assert api.status_code == 400
    assert api.json() == {name: [UNKNOWN_IN_THE_API]}
    export = client.get(f"{EXPORT}?{query}")
    assert export.status_code == 400
    assert f"{name}: There is no such parameter; this address takes " in export.content.decode()
    assert "bom" in export.content.decode()  # the export's own parameter is among those it names


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/", "foo"),
        ("/api/people/", "type"),
        ("/api/organisations/halyk-maidan/", "foo"),
        ("/api/charges/", "q"),
        ("/api/places/", "region"),
        (f"/api/incidents/{ARREST}/", "foo"),
    ],
)
def test_every_api_address_refuses_a_parameter_it_does_not_take(client, demo, path, name):
    response = client.get(path, {name: "x"})
    assert response.status_code == 400
    assert list(response.json()) == [name]


def test_every_endpoint_of_the_api_checks_its_parameters():
    views = [pattern.callback for pattern in router.urls if isinstance(pattern, URLPattern)]
    assert views and all(issubclass(view.cls, ParametersChecked) for view in views)


SHARED_LINK = {"utm_source": "newsletter", "utm_medium": "email", "fbclid": "IwAR0", "gclid": "Cj0", "_ga": "2.1"}


def test_the_tracking_parameters_of_a_shared_link_are_dropped_without_a_word(client, demo):
    params = {"q": "amirova", **SHARED_LINK, "yclid": "1", "mc_cid": "2", "mc_eid": "3", "ref": "twitter"}
    page = client.get(PAGE, params)
    assert page.status_code == 200 and "was not understood" not in page.content.decode()
    assert [incident.slug for incident in page.context["incidents"]] == [
        incident["slug"] for incident in client.get(API, params).json()["results"]
    ]
    assert export_rows(client, params)
    assert client.get("/people/", params).status_code == 200


@pytest.mark.parametrize("query", ["type=nonexistent&type=arrest", "type=arrest&type=nonexistent"])
def test_a_second_value_of_a_single_valued_parameter_is_refused_everywhere(client, demo, query):
    page = client.get(f"{PAGE}?{query}")
    html = page.content.decode()
    assert page.status_code == 400
    assert "The search was not run" in html
    assert f"<code>type</code>: {GIVE_IT_ONCE}" in html
    api = client.get(f"{API}?{query}")
    assert api.status_code == 400 and api.json()["type"] == [GIVE_IT_ONCE]
    export = client.get(f"{EXPORT}?{query}")
    assert export.status_code == 400 and f"type: {GIVE_IT_ONCE}" in export.content.decode()


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        (PAGE, "page=1&page=2", "page"),
        (PAGE, "q=amirova&q=halyk", "q"),
        (PAGE, "date_from=2011-01-01&date_from=2012-01-01", "date_from"),
        ("/people/", "q=amirova&q=x", "q"),
        (EXPORT, "bom=1&bom=1", "bom"),
        (API, "format=json&format=json", "format"),
        (API, "page=1&page=1", "page"),
    ],
)
def test_the_page_and_the_addresses_own_parameters_take_one_value_too(client, demo, path, query, name):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert GIVE_IT_ONCE in response.content.decode()


def test_the_filters_that_take_several_values_still_do(client, demo):
    params = {"region": ["aktau", "zhanaozen"], "charge": ["kz-penal-code-1997-article-164"]}
    assert client.get(PAGE, params).status_code == 200
    assert client.get(API, params).status_code == 200
    assert client.get(EXPORT, params).status_code == 200


@pytest.mark.parametrize("params", [{"page": "1"}, {"format": "json"}, {"page": "1", "format": "json"}])
def test_the_apis_own_parameters_are_understood(client, demo, params):
    assert client.get(API, params).status_code == 200


def test_the_pages_and_the_csvs_own_parameters_are_understood(client, demo):
    page = client.get(PAGE, {"page": "1"})
    assert page.status_code == 200 and "was not understood" not in page.content.decode()
    assert client.get(EXPORT, {"bom": "1"}).status_code == 200


# Finding 6: the schema did not describe the API's answers.

FILTERS = ("q", "region", "charge", "charge_equivalents", "type", "person", "organisation", "date_from", "date_to")
EMPTY = dict.fromkeys((*FILTERS, "page"), "")


def test_an_empty_value_is_no_value_as_the_search_form_sends_it(client, demo):
    everything = [incident["slug"] for incident in client.get(API).json()["results"]]
    api = client.get(API, EMPTY)
    assert api.status_code == 200 and [incident["slug"] for incident in api.json()["results"]] == everything
    page = client.get(PAGE, EMPTY)
    assert page.status_code == 200 and [incident.slug for incident in page.context["incidents"]] == everything
    assert len(export_rows(client, {name: value for name, value in EMPTY.items() if name != "page"})) == len(everything)


@pytest.fixture
def schema(client):
    return client.get("/api/schema/", {"format": "json"}).json()


def parameters_of(schema: dict, path: str) -> dict[str, dict]:
    return {parameter["name"]: parameter for parameter in schema["paths"][path]["get"]["parameters"]}


def test_the_schema_says_an_empty_value_is_allowed_for_each_query_parameter(schema):
    for path, operations in schema["paths"].items():
        for parameter in operations["get"].get("parameters", []):
            if parameter["in"] == "query":
                assert parameter.get("allowEmptyValue") is True, (path, parameter["name"])
    assert set(EMPTY) <= set(parameters_of(schema, API))


def test_the_local_time_is_described_as_the_api_writes_it(client, demo, schema):
    local_time = schema["components"]["schemas"]["Incident"]["properties"]["local_time"]
    written = client.get(f"{API}{ARREST}/").json()["local_time"]
    assert written == "09:30:00"
    assert local_time["format"] != "time"  # RFC 3339's time, with an offset
    assert re.fullmatch(local_time["pattern"].strip("^$"), written)


def test_every_operation_documents_its_error_answers_and_their_json(schema):
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        responses = operations["get"]["responses"]
        assert {"200", "400", "404"} <= set(responses), path
        for code in ("400", "404"):
            reference = responses[code]["content"]["application/json"]["schema"]["$ref"]
            assert reference.rsplit("/", 1)[-1] in components
    detail = schema["paths"]["/api/incidents/{slug}/"]["get"]["responses"]
    assert detail["410"]["content"]["application/json"]["schema"]["$ref"].endswith("/RetractedIncident")
    assert set(components["RetractedIncident"]["required"]) >= {"detail", "reason"}


def test_the_schema_states_the_limits_of_each_parameter(schema):
    incidents = parameters_of(schema, API)
    assert incidents["q"]["schema"]["maxLength"] == SEARCH_TEXT_MAX_LENGTH
    for name in ("type", "person", "organisation"):
        assert incidents[name]["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    for name in ("region", "charge"):
        assert incidents[name]["schema"]["type"] == "array"
        assert incidents[name]["schema"]["maxItems"] == MAX_CHOSEN
        assert incidents[name]["schema"]["items"]["maxLength"] == 120
    assert incidents["charge_equivalents"]["schema"]["type"] == "boolean"
    assert incidents["date_to"]["schema"]["format"] == "date"
    assert incidents["page"]["schema"] == {"type": "integer", "minimum": 1}
    assert parameters_of(schema, "/api/incidents/{slug}/")["slug"]["schema"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert parameters_of(schema, "/api/people/")["q"]["schema"]["maxLength"] == SEARCH_TEXT_MAX_LENGTH


def test_the_schema_describes_region_and_charge(schema):
    incidents = parameters_of(schema, API)
    assert incidents["region"]["description"] == (
        "Several values mean any of these places, each with every place inside it."
    )
    assert incidents["charge"]["description"] == "Several values mean a charge under any of these provisions."


@pytest.mark.parametrize(
    ("params", "parameter"),
    [
        ({"q": "a" * SEARCH_TEXT_MAX_LENGTH + " "}, "q"),  # counted as sent
        ({"q": " "}, "q"),
        ({"date_from": "2012-1-6"}, "date_from"),
        ({"date_to": " 2012-01-06"}, "date_to"),
        ({"charge_equivalents": " 1"}, "charge_equivalents"),
        ({"region": ["kazakhstan"] * (MAX_CHOSEN + 1)}, "region"),  # every value counts, as maxItems
    ],
)
def test_what_the_schema_calls_invalid_is_refused(client, demo, params, parameter):
    response = client.get(API, params)
    assert response.status_code == 400 and list(response.json()) == [parameter]
    assert client.get(PAGE, params).status_code == 400


def test_a_retracted_incident_is_gone_in_the_api_with_its_reason_as_on_its_page(client, demo):
    incident = Incident.objects.get(slug=ARREST)
    workflow.retract(incident=incident, by=make_user("Verifier"), reason="Withdrawn at the family's request.")
    assert client.get(f"/incidents/{ARREST}/").status_code == 410
    response = client.get(f"{API}{ARREST}/")
    assert response.status_code == 410
    body = response.json()
    assert body["detail"] == "This record was retracted"
    assert body["reason"] == "Withdrawn at the family's request."
    assert body["public_id"] == str(incident.public_id) and body["retracted_at"]
    assert "title" not in body
    assert client.get(f"{API}no-such-incident/").status_code == 404
