"""Run one search on the page, the CSV export and the API, and read back the incidents found."""

import csv
import io

PAGE, EXPORT, API = "/incidents/", "/incidents/export.csv", "/api/incidents/"


def page_slugs(client, params: dict) -> list[str]:
    response = client.get(PAGE, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [incident.slug for incident in response.context["incidents"]]


def page_html(client, params: dict) -> str:
    response = client.get(PAGE, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return response.content.decode()


def export_rows(client, params: dict) -> list[dict]:
    response = client.get(EXPORT, params)
    assert response.status_code == 200
    assert response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def export_slugs(client, params: dict) -> list[str]:
    return [row["url"].rstrip("/").rsplit("/", 1)[-1] for row in export_rows(client, params)]


def api_slugs(client, params: dict) -> list[str]:
    response = client.get(API, params)
    assert response.status_code == 200, response.content.decode()
    return [incident["slug"] for incident in response.json()["results"]]


def found_everywhere(client, params: dict) -> list[str]:
    """The incidents a search finds, after checking that page, CSV and API agree on them and their order."""
    on_page = page_slugs(client, params)
    assert export_slugs(client, params) == on_page
    assert api_slugs(client, params) == on_page
    return on_page
