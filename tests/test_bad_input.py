"""Bad input gets a clear answer naming the parameter: a page message or HTTP 400 with JSON, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PAGE, EXPORT, API = "/incidents/", "/incidents/export.csv", "/api/incidents/"


@pytest.mark.parametrize(
    ("params", "parameter", "reason"),
    [
        ({"region": "atlantis"}, "region", "There is no place with the address “atlantis”."),
        ({"charge": "article-999"}, "charge", "There is no legal provision with the address “article-999”."),
        ({"type": "picnic"}, "type", "There is no incident type with the address “picnic”."),
        ({"person": "nobody-at-all"}, "person", "There is no person with the address “nobody-at-all”."),
        ({"organisation": "no-such-org"}, "organisation", "There is no organisation with the address “no-such-org”."),
        ({"date_from": "2012-13-45"}, "date_from", "Give a date as YYYY-MM-DD, for example 2012-01-06."),
        ({"date_to": "06.01.2012"}, "date_to", "Give a date as YYYY-MM-DD, for example 2012-01-06."),
        ({"date_from": "2012-02-01", "date_to": "2012-01-01"}, "date_to", "It is before date_from."),
        ({"q": "x" * 5000}, "q", "The search text has 5000 characters; use at most 200."),
        ({"q": "?!…"}, "q", "The search text has no letters or digits to look for."),
    ],
)
def test_bad_values_are_named_on_the_page_in_the_csv_and_in_the_api(client, demo, params, parameter, reason):
    page = client.get(PAGE, params)
    html = page.content.decode()
    assert page.status_code == 400
    assert f"<code>{parameter}</code>: {reason}" in html.replace("&quot;", '"')
    assert "The search was not run" in html and "verified incidents, newest first" not in html
    export = client.get(EXPORT, params)
    assert export.status_code == 400 and f"{parameter}: {reason}" in export.content.decode()
    api = client.get(API, params)
    assert api.status_code == 400 and api.json() == {parameter: [reason]}


def test_the_error_message_offers_the_search_without_the_bad_parameter(client, demo):
    html = client.get(PAGE, {"q": "amirova", "region": "atlantis"}).content.decode()
    assert '<a href="?q=amirova">Search without it</a>' in html


def test_a_person_without_consent_cannot_be_confirmed_by_slug(client, demo):
    from people.models import Person

    Person.objects.filter(slug="elmurat-amirov").update(consent_to_publish=False)
    assert client.get(PAGE, {"person": "elmurat-amirov"}).status_code == 400
    assert client.get(API, {"person": "elmurat-amirov"}).status_code == 400


def test_a_page_past_the_end_says_so(client, demo):
    response = client.get(PAGE, {"page": "99"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "there is no page “99”; the 9 results fit on 1 page." in html
    assert "9 verified incidents" in html  # the page does not pretend nothing matched
    assert client.get(PAGE, {"page": "abc"}).status_code == 404
    api = client.get(API, {"page": "99"})
    assert api.status_code == 404 and "detail" in api.json()


def test_repeated_parameters_use_the_last_value(client, demo):
    response = client.get("/incidents/?type=picnic&type=arrest&q=zzz&q=amirova")
    assert response.status_code == 200
    assert [incident.slug for incident in response.context["incidents"]] == ["amirova-arrest-aktau-airport-2012"]


PARAMETERS = ["q", "region", "charge", "charge_equivalents", "type", "person", "organisation", "date_from", "date_to"]
VALUES = st.one_of(
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=300),
    st.sampled_from(["", "1", "0", "true", "kazakhstan", "arrest", "2012-01-06", "9999-12-31", "0001-01-01", "-1"]),
    st.text("0123456789-", max_size=12),
    st.just("x" * 5000),
)
QUERIES = st.lists(st.tuples(st.sampled_from([*PARAMETERS, "page", "format", "unknown"]), VALUES), max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERIES)
def test_no_query_string_makes_a_server_error(client, demo, query):
    for path in (PAGE, EXPORT, API, "/people/", "/organisations/", "/api/people/", "/api/organisations/"):
        response = client.get(path, _as_multidict(query))
        assert response.status_code in {200, 400, 404}, (path, query, response.status_code)
        if path == EXPORT and response.status_code == 200:
            b"".join(response.streaming_content)


def _as_multidict(query: list[tuple[str, str]]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for name, value in query:
        grouped.setdefault(name, []).append(value)
    return grouped


def test_the_corrected_form_keeps_the_valid_filters(client, demo):
    html = client.get(PAGE, {"region": "kazakhstan", "date_from": "yesterday"}).content.decode()
    assert '<input type="hidden" name="region" value="kazakhstan">' in html
    assert "Filters in force" not in html
