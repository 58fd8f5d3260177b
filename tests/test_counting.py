"""Counts on large result sets: exact up to a limit, then estimated from the sample and said so."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.counting import ResultSize, rounded, size_of
from core.text import normalise_name
from incidents.models import Charge, Incident, IncidentType
from people.views import PersonListView

from .factories import involve, make_incident, make_person, make_provision

# Every count here is of the whole table: the tests make their own records, on a database without the demo.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_demo")]

LIMIT = 5


@pytest.fixture
def small_limit(monkeypatch):
    """The real limit is 10,000; five keeps the data of a test small."""
    for module in ("core.counting", "core.views", "core.pagination"):
        monkeypatch.setattr(f"{module}.EXACT_COUNT_LIMIT", LIMIT)


def public_incidents(count: int, in_sample: int, **fields) -> list[Incident]:
    """`count` new public incidents, the first `in_sample` of them in the sample, read back from
    the database so that rows created for them (charges) copy their sample bucket."""
    ids = [make_incident(**fields).pk for _ in range(count)]
    Incident.objects.filter(pk__in=ids).update(sample_bucket=1)
    Incident.objects.filter(pk__in=ids[:in_sample]).update(sample_bucket=0)
    return list(Incident.objects.filter(pk__in=ids).order_by("sample_bucket", "pk"))


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
    assert response.json()["detail"] == (
        "There is no page “2”; pages go up to 1, the first 5 of about 200 results."
        " Narrow the search to reach the others."
    )
    body = client.get("/api/incidents/", {"q": "no such words"}).json()
    assert (body["count"], body["count_is_exact"]) == (0, True)


def test_without_an_estimate_a_large_list_says_more_than_the_limit(client, small_limit):
    for number in range(LIMIT + 1):
        involve(make_incident(), person=make_person(f"Listed person {number}", consent_to_publish=True))
    body = client.get("/api/people/").json()
    assert (body["count"], body["count_is_exact"]) == (None, False)


def test_the_people_list_goes_from_a_to_z_without_a_total(client, monkeypatch):
    monkeypatch.setattr(PersonListView, "per_page", 2)
    for name in ["Cyrus Tamerlanov", "Aliya Serikova", "Bolat Nurlanov"]:
        involve(make_incident(), person=make_person(name, consent_to_publish=True))
    first = client.get("/people/").content.decode()
    assert first.index("Aliya Serikova") < first.index("Bolat Nurlanov") and "Cyrus Tamerlanov" not in first
    assert 'rel="next">Next</a>' in first and 'rel="prev"' not in first
    second = client.get("/people/?page=2").content.decode()
    assert "Cyrus Tamerlanov" in second and 'rel="prev">Previous</a>' in second and 'rel="next"' not in second
    assert client.get("/people/?page=3").status_code == 404


def test_the_home_page_counts_the_same_way(client, small_limit):
    public_incidents(12, in_sample=2)
    assert "About 200 verified incidents" in client.get("/").content.decode()


def counts_taken(captured) -> int:
    """Counting queries only."""
    return sum("COUNT(" in query["sql"] for query in captured.captured_queries)


def test_an_estimate_far_above_the_limit_spares_the_exact_count(small_limit):
    public_incidents(12, in_sample=2)
    with CaptureQueriesContext(connection) as captured:
        size = size_of(Incident.objects.public())
    assert (size.count, size.exact) == (200, False)
    assert counts_taken(captured) == 1
    public_incidents(1, in_sample=0)
    with CaptureQueriesContext(connection) as captured:  # an estimate near the limit: the exact count decides
        assert size_of(Incident.objects.public().filter(sample_bucket=1)).exact is False
    assert counts_taken(captured) == 2


def test_a_search_near_the_limit_reads_its_rows_once_for_its_count_and_facets(client, small_limit):
    common, rare = make_provision("77"), make_provision("78")
    wombats = public_incidents(4, in_sample=0, title="Wombat sighting")
    for incident in wombats[:3]:
        Charge.objects.create(person=make_person(), provision=common, incident=incident, status="charged")
    Charge.objects.create(person=make_person(confidential=True), provision=rare, incident=wombats[3], status="charged")
    unmatched = public_incidents(1, in_sample=0, title="Koala sighting")[0]
    Charge.objects.create(person=make_person(), provision=rare, incident=unmatched, status="charged")
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/incidents/", {"q": "wombat"})
    searched_word = normalise_name("wombat")
    searches = [query["sql"] for query in captured.captured_queries if searched_word in query["sql"]]
    # the sample, the result set's rows (its count, its facets' rows and the charge facet's ids), the page;
    # on PostgreSQL first whether q matches as typed at all (else it finds similar spellings)
    assert len(searches) == (4 if connection.vendor == "postgresql" else 3)
    assert str(response.context["paginator"].size) == "4"
    facets = response.context["facets"]
    assert [(bucket.label, bucket.count) for bucket in facets["type"]] == [("Arrest or detention", 4)]
    assert [(bucket.slug, str(bucket)) for bucket in facets["charge"]] == [(common.slug, "3")]


def test_charge_counts_beyond_the_limit_are_estimated_from_the_sample(client, small_limit):
    common, rare = make_provision("77"), make_provision("78")
    for number, incident in enumerate(public_incidents(12, in_sample=2)):
        Charge.objects.create(person=make_person(), provision=common, incident=incident, status="charged")
        if number == 11:  # outside the sample
            Charge.objects.create(person=make_person(), provision=rare, incident=incident, status="charged")
    html = client.get("/charges/").content.decode()
    assert "estimated from the charges in a sample" in html
    assert "about 200 cases" in html and "too few cases for the sample to estimate" in html
    provisions = {row["slug"]: row for row in client.get("/api/charges/").json()["results"]}
    assert (provisions[common.slug]["case_count"], provisions[common.slug]["case_count_is_exact"]) == (200, False)


def test_charge_counts_up_to_the_limit_are_exact(client, small_limit):
    provision = make_provision("77")
    for incident in public_incidents(3, in_sample=0):
        Charge.objects.create(person=make_person(), provision=provision, incident=incident, status="charged")
    Charge.objects.create(
        person=make_person(), provision=provision, incident=make_incident(status="draft"), status="charged"
    )
    html = client.get("/charges/").content.decode()
    assert "3 cases" in html and "estimated" not in html
    row = next(row for row in client.get("/api/charges/").json()["results"] if row["slug"] == provision.slug)
    assert (row["case_count"], row["case_count_is_exact"]) == (3, True)


def test_the_charge_facet_of_a_large_search_counts_the_charges_of_the_sample(client, small_limit):
    common, rare = make_provision("77"), make_provision("78")
    for number, incident in enumerate(public_incidents(12, in_sample=2)):
        charge = Charge.objects.create(person=make_person(), provision=common, incident=incident, status="charged")
        assert charge.sample_bucket == incident.sample_bucket
        if number == 11:  # outside the sample
            Charge.objects.create(person=make_person(), provision=rare, incident=incident, status="charged")
    facet = {bucket.slug: str(bucket) for bucket in client.get("/incidents/").context["facets"]["charge"]}
    assert facet == {common.slug: "about 200"}


def test_a_charge_search_beyond_the_limit_is_estimated_from_the_charges_of_the_sample(client, small_limit):
    provision = make_provision("77")
    incidents = public_incidents(40, in_sample=4)
    for incident in incidents[:3] + incidents[10:]:
        Charge.objects.create(person=make_person(), provision=provision, incident=incident, status="charged")
    hidden_person = make_person(confidential=True)
    Charge.objects.create(person=hidden_person, provision=provision, incident=incidents[3], status="charged")
    html = client.get(f"/incidents/?charge={provision.slug}").content.decode()
    assert "About 300 verified incidents" in html
