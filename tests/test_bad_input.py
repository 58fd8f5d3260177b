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
        (
            {"date_from": "2012-13-45"},
            "date_from",
            "There is no day 2012-13-45 in the calendar; dates are written YYYY-MM-DD.",
        ),
        ({"date_to": "06.01.2012"}, "date_to", "Give a date as YYYY-MM-DD, for example 2012-01-06."),
        (
            {"date_from": "2012-02-30"},
            "date_from",
            "There is no day 2012-02-30 in the calendar; dates are written YYYY-MM-DD.",
        ),
        ({"charge_equivalents": "maybe"}, "charge_equivalents", "Use true or false (or 1 and 0), not “maybe”."),
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


@pytest.mark.parametrize("path", ["/people/", "/organisations/"])
def test_a_name_search_without_letters_is_refused_not_answered_with_everyone(client, demo, path):
    reason = "The search text has no letters or digits to look for."
    page = client.get(path, {"q": "?!"})
    assert page.status_code == 400 and f"<code>q</code>: {reason}" in page.content.decode()
    api = client.get(f"/api{path}", {"q": "%"})
    assert api.status_code == 400 and api.json() == {"q": [reason]}


def test_each_unknown_value_of_several_is_named_and_can_be_dropped_alone(client, demo):
    params = {"q": "amirova", "region": ["zhanaozen", "atlantis", "lemuria"]}
    page = client.get(PAGE, params)
    html = page.content.decode()
    assert page.status_code == 400
    for name in ("atlantis", "lemuria"):
        assert f"<code>region</code>: There is no place with the address “{name}”." in html
    assert '<a href="?q=amirova&amp;region=zhanaozen&amp;region=lemuria">Search without it</a>' in html
    assert '<a href="?q=amirova&amp;region=zhanaozen&amp;region=atlantis">Search without it</a>' in html
    api = client.get(API, params)
    assert api.status_code == 400
    assert api.json() == {
        "region": ["There is no place with the address “atlantis”.", "There is no place with the address “lemuria”."]
    }
    export = client.get(EXPORT, params)
    assert (
        export.status_code == 400 and "region: There is no place with the address “lemuria”." in export.content.decode()
    )


def test_too_many_values_of_one_filter_are_refused(client, demo):
    page = client.get(PAGE, {"region": [f"place-{number}" for number in range(21)]})
    assert page.status_code == 400
    assert "<code>region</code>: Choose at most 20 at once, not 21." in page.content.decode()


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
    assert api.status_code == 404
    assert api.json() == {"detail": "There is no page “99”; the 9 results fit on 1 page."}


RECORD_LISTS = [
    "/people/",
    "/organisations/",
    "/people/ajzhangul-amirova/",
    "/organisations/halyk-maidan/",
    "/charges/kz-penal-code-1997-article-164/",
]


@pytest.mark.parametrize("path", RECORD_LISTS)
@pytest.mark.parametrize("number", ["²", "1" * 4400, "abc", "0", "2"])
def test_a_page_that_does_not_exist_says_so_on_a_page_of_the_site(client, demo, path, number):
    response = client.get(path, {"page": number})
    assert response.status_code == 404
    html = response.content.decode()
    assert "There is no page" in html  # the reason, not a bare "Not Found"
    assert 'href="/incidents/"' in html  # the site's own page, with its navigation


def test_an_unknown_address_gets_the_sites_not_found_page(client, demo):
    response = client.get("/no-such-place/")
    assert response.status_code == 404
    assert "There is nothing at this address." in response.content.decode()
    api = client.get("/api/no-such-endpoint/")
    assert api.status_code == 404
    assert api.json() == {"detail": "There is nothing at this address of the API."}


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    assert "Server error" in render_to_string("500.html")


def test_a_records_own_api_address_ignores_the_list_filters(client, demo):
    """The filters narrow lists: a record asked for by its address is that record."""
    assert client.get("/api/incidents/amirova-arrest-aktau-airport-2012/", {"type": "statement"}).status_code == 200
    assert client.get("/api/people/ajzhangul-amirova/", {"q": "zzz"}).status_code == 200
    assert client.get("/api/organisations/halyk-maidan/", {"q": "zzz"}).status_code == 200


def test_an_unknown_api_format_is_a_bad_request_that_names_the_formats(client, demo):
    response = client.get(API, {"format": "csv"})
    assert response.status_code == 400
    assert response.json() == {"format": ["There is no format “csv”; use one of: json, api."]}


def test_the_export_answers_only_reads(client, demo):
    assert client.post(EXPORT, {"region": "atlantis"}).status_code == 405
    assert client.head(EXPORT).status_code == 200


def test_repeated_parameters_are_refused_each_named_not_read_as_the_last_value(client, demo):
    response = client.get("/incidents/?type=picnic&type=arrest&q=zzz&q=amirova")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<code>type</code>: It takes one value; give it once." in html
    assert "<code>q</code>: It takes one value; give it once." in html


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
    assert '<option value="kazakhstan" selected>' in html
    assert "Filters in force" not in html
