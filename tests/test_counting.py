"""Counts on large result sets: exact up to a limit, then estimated from the sample and said so."""

import pytest

from core.counting import ResultSize, rounded, size_of
from incidents.models import Incident, IncidentType

from .factories import involve, make_incident, make_person

pytestmark = pytest.mark.django_db

LIMIT = 5


@pytest.fixture
def small_limit(monkeypatch):
    """The real limit is 10,000; five keeps the data of a test small."""
    for module in ("core.counting", "core.views", "core.pagination"):
        monkeypatch.setattr(f"{module}.EXACT_COUNT_LIMIT", LIMIT)


def public_incidents(count: int, in_sample: int, **fields) -> list[Incident]:
    incidents = [make_incident(**fields) for _ in range(count)]
    Incident.objects.filter(pk__in=[incident.pk for incident in incidents]).update(sample_bucket=1)
    Incident.objects.filter(pk__in=[incident.pk for incident in incidents[:in_sample]]).update(sample_bucket=0)
    return incidents


@pytest.mark.parametrize(
    ("number", "shown"), [(7, 7), (99, 99), (883_412, 880_000), (10_001, 10_000), (125_500, 130_000)]
)
def test_estimates_keep_two_significant_digits(number, shown):
    assert rounded(number) == shown


def test_sizes_read_as_counts_or_estimates():
    assert str(ResultSize(1234)) == "1,234"
    assert str(ResultSize(120_400, exact=False)) == "about 120,000"
    assert str(ResultSize(0, exact=False)) == "more than 10,000"


def test_up_to_the_limit_counts_and_facets_are_exact(client, small_limit):
    public_incidents(LIMIT, in_sample=0)
    html = client.get("/incidents/").content.decode()
    assert "5 verified incidents, newest first" in html
    assert "about" not in html.lower()
    assert client.get("/incidents/").context["facets"]["type"][0].count == LIMIT


def test_beyond_the_limit_the_count_is_an_estimate_from_the_sample(client, small_limit):
    public_incidents(12, in_sample=2)
    response = client.get("/incidents/")
    html = response.content.decode()
    assert "About 200 verified incidents, newest first" in html
    assert "estimated from a sample of one incident in a hundred" in html
    arrests = response.context["facets"]["type"][0]
    assert (arrests.label, arrests.count, arrests.exact, str(arrests)) == (
        "Arrest or detention",
        200,
        False,
        "about 200",
    )
    assert "(about 200)" in html


def test_the_estimate_counts_only_what_the_public_may_see(client, small_limit):
    public_incidents(12, in_sample=2)
    hidden = [
        make_incident(status=Incident.Status.DRAFT),
        make_incident(status=Incident.Status.REJECTED),
        make_incident(confidential=True),
    ]
    Incident.objects.filter(pk__in=[incident.pk for incident in hidden]).update(sample_bucket=0)
    assert "About 200 verified incidents" in client.get("/incidents/").content.decode()
    assert client.get("/api/incidents/").json()["count"] == 200


def test_a_filtered_search_is_counted_the_same_way(client, small_limit):
    public_incidents(6, in_sample=3, incident_type=IncidentType.objects.get(slug="search"))
    public_incidents(2, in_sample=0)
    html = client.get("/incidents/", {"type": "search"}).content.decode()
    assert "About 300 verified incidents" in html
    html = client.get("/incidents/", {"type": "arrest"}).content.decode()
    assert "2 verified incidents" in html


def test_pages_reach_the_limit_and_say_how_to_see_the_rest(client, small_limit, settings):
    public_incidents(12, in_sample=2)
    response = client.get("/incidents/", {"page": "2"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "there is no page “2”; pages go up to 1, the first 5 of about 200 results." in html
    assert "Narrow the search to reach the others." in html


def test_the_api_says_whether_its_count_is_exact(client, small_limit):
    public_incidents(12, in_sample=2)
    body = client.get("/api/incidents/").json()
    assert (body["count"], body["count_is_exact"]) == (200, False)
    response = client.get("/api/incidents/", {"page": "2"})
    assert response.status_code == 404
    assert "pages reach the first" in response.json()["detail"]
    assert "Narrow the search" in response.json()["detail"]
    body = client.get("/api/incidents/", {"q": "no such words"}).json()
    assert (body["count"], body["count_is_exact"]) == (0, True)


def test_without_an_estimate_a_large_list_says_more_than_the_limit(client, small_limit):
    for number in range(LIMIT + 1):
        involve(make_incident(), person=make_person(f"Listed person {number}", consent_to_publish=True))
    body = client.get("/api/people/").json()
    assert (body["count"], body["count_is_exact"]) == (None, False)
    assert "More than 5 people" in client.get("/people/").content.decode()


def test_the_home_page_counts_the_same_way(client, small_limit):
    public_incidents(12, in_sample=2)
    assert "About 200 verified incidents" in client.get("/").content.decode()


def test_an_estimate_far_above_the_limit_spares_the_exact_count(small_limit, django_assert_num_queries):
    public_incidents(12, in_sample=2)
    with django_assert_num_queries(1):
        size = size_of(Incident.objects.public())
    assert (size.count, size.exact) == (200, False)
    public_incidents(1, in_sample=0)
    with django_assert_num_queries(2):  # an estimate near the limit: the exact count decides
        assert size_of(Incident.objects.public().filter(sample_bucket=1)).exact is False
