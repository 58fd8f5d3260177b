"""Each public rule, written once, holds on every public path at the same time.

For each rule a record is first seen on every path (page, search, facets, counts, CSV, API), then
made non-public by that rule alone, and then seen on none of them. A path that forgot the rule,
or wrote it again its own way, keeps showing the record and fails here.
"""

import csv
import io

import pytest

from incidents.models import Incident
from organisations.models import Organisation
from people.models import Person

from .factories import involve, make_incident, make_person

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
STRIKE = "mangistau-oil-strike-2011"
ARTICLE_164 = "kz-penal-code-1997-article-164"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code in (200, 400, 404), (url, response.status_code)
    return response.content.decode() if response.status_code == 200 else ""


def api_slugs(client, url: str) -> set[str]:
    return {record["slug"] for record in client.get(url).json()["results"]}


def csv_rows(client, url: str = "/incidents/export.csv") -> dict[str, dict[str, str]]:
    text = b"".join(client.get(url).streaming_content).decode()
    return {row["url"].rstrip("/").rsplit("/", 1)[-1]: row for row in csv.DictReader(io.StringIO(text))}


def facet_count(client, url: str, facet: str, slug: str) -> int:
    buckets = client.get(url).context["facets"][facet]
    return next((bucket.count for bucket in buckets if bucket.slug == slug), 0)


def case_count(client, provision_slug: str) -> int:
    provisions = client.get("/charges/").context["provisions"]
    return next(provision.case_count for provision in provisions if provision.slug == provision_slug)


def test_the_incident_rule_holds_on_every_path(client, demo):
    incident = Incident.objects.get(slug=ARREST)

    def seen() -> dict[str, object]:
        return {
            "list": ARREST in page(client, "/incidents/"),
            "page": client.get(f"/incidents/{ARREST}/").status_code,
            "search": ARREST in page(client, "/incidents/?q=aktau+airport"),
            "region page": ARREST in page(client, f"/regions/{incident.place.slug}/"),
            "person page": ARREST in page(client, "/people/ajzhangul-amirova/"),
            "provision page": ARREST in page(client, f"/charges/{ARTICLE_164}/"),
            "CSV": ARREST in csv_rows(client),
            "API list": ARREST in api_slugs(client, "/api/incidents/"),
            "API record": client.get(f"/api/incidents/{ARREST}/").status_code,
            "type facet": facet_count(client, "/incidents/", "type", "arrest"),
            "home count": client.get("/").context["incident_count"].count,
            "case count": case_count(client, ARTICLE_164),
        }

    before = seen()
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.DRAFT)
    after = seen()

    assert before["page"] == before["API record"] == 200
    assert after["page"] == after["API record"] == 404
    for path in ["list", "search", "region page", "person page", "provision page", "CSV", "API list"]:
        assert (before[path], after[path]) == (True, False), path
    for count in ["type facet", "home count", "case count"]:
        assert after[count] == before[count] - 1, count


def test_the_public_person_rule_holds_on_every_path(client, demo):
    def seen() -> dict[str, object]:
        strike_csv = csv_rows(client).get(STRIKE, {})
        strike_api = client.get(f"/api/incidents/{STRIKE}/").content.decode()
        return {
            "people list": "/people/natalia-sokolova/" in page(client, "/people/"),
            "people search": "/people/natalia-sokolova/" in page(client, "/people/?q=Наталья"),
            "person page": client.get("/people/natalia-sokolova/").status_code,
            "incident page": "Natalia Sokolova" in page(client, f"/incidents/{STRIKE}/"),
            "search by a name variant": STRIKE in page(client, "/incidents/?q=Наталья"),
            "person filter": client.get("/incidents/?person=natalia-sokolova").status_code,
            "provision page": "Natalia Sokolova" in page(client, f"/charges/{ARTICLE_164}/"),
            "CSV": "Natalia Sokolova" in strike_csv.get("people", ""),
            "API incident": "Natalia Sokolova" in strike_api,
            "API people": "natalia-sokolova" in api_slugs(client, "/api/people/"),
            "charge facet": facet_count(client, "/incidents/", "charge", ARTICLE_164),
            "case count": case_count(client, ARTICLE_164),
        }

    before = seen()
    sokolova = Person.objects.get(slug="natalia-sokolova")
    sokolova.confidential = True
    sokolova.save()
    after = seen()

    assert not sokolova.is_public()
    assert (before["person page"], after["person page"]) == (200, 404)
    assert (before["person filter"], after["person filter"]) == (200, 400)
    for path in [
        "people list",
        "people search",
        "incident page",
        "search by a name variant",
        "provision page",
        "CSV",
        "API incident",
        "API people",
    ]:
        assert (before[path], after[path]) == (True, False), path
    for count in ["charge facet", "case count"]:
        assert after[count] == before[count] - 1, count


def test_the_public_organisation_rule_holds_on_every_path(client, demo):
    december = "zhanaozen-events-16-december-2011"
    link = "/organisations/halyk-maidan/"

    def seen() -> dict[str, object]:
        return {
            "organisations list": link in page(client, "/organisations/"),
            "organisations search": link in page(client, "/organisations/?q=popular+front"),
            "organisation page": client.get(link).status_code,
            "incident page": link in page(client, f"/incidents/{december}/"),
            "search by an alias": december in page(client, "/incidents/?q=popular+front"),
            "organisation filter": client.get("/incidents/?organisation=halyk-maidan").status_code,
            "CSV": "Halyk Maidan" in csv_rows(client).get(december, {}).get("organisations", ""),
            "API incident": "halyk-maidan" in client.get(f"/api/incidents/{december}/").content.decode(),
            "API organisations": "halyk-maidan" in api_slugs(client, "/api/organisations/"),
        }

    before = seen()
    halyk_maidan = Organisation.objects.get(slug="halyk-maidan")
    halyk_maidan.confidential = True
    halyk_maidan.save()
    after = seen()

    assert not halyk_maidan.is_public()
    assert (before["organisation page"], after["organisation page"]) == (200, 404)
    assert (before["organisation filter"], after["organisation filter"]) == (200, 400)
    for path in [
        "organisations list",
        "organisations search",
        "incident page",
        "search by an alias",
        "CSV",
        "API incident",
        "API organisations",
    ]:
        assert (before[path], after[path]) == (True, False), path


def test_the_people_page_rule_holds_on_every_path(client, demo):
    """A named person is public only while a case they take part in is."""
    person = make_person("Yerlan Zhakypbekov")
    incident = make_incident(title="Activist detained in Atyrau")
    involve(incident, person=person)

    def seen() -> dict[str, object]:
        return {
            "people list": person.get_absolute_url() in page(client, "/people/?page=1"),
            "people search": person.get_absolute_url() in page(client, "/people/?q=zhakypbekov"),
            "person page": client.get(person.get_absolute_url()).status_code,
            "person filter": client.get(f"/incidents/?person={person.slug}").status_code,
            "API people": person.slug in api_slugs(client, "/api/people/?q=zhakypbekov"),
        }

    before = seen()
    Incident.objects.filter(pk=incident.pk).update(status=Incident.Status.SUBMITTED)
    after = seen()

    assert (before["person page"], after["person page"]) == (200, 404)
    assert (before["person filter"], after["person filter"]) == (200, 400)
    for path in ["people list", "people search", "API people"]:
        assert (before[path], after[path]) == (True, False), path
