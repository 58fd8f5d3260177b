"""No page shows template syntax: every public page type and the admin pages of every model render
without a `{#`, `#}`, `{%` or `{{` left in the answer.

A comment spread over two lines (`{# … #}` is one line only) is printed as text, and a tag
written wrongly can be too; the pages still answer 200, so only reading them catches it.
"""

import pytest
from django.contrib import admin
from django.urls import reverse

from incidents import workflow
from incidents.models import Incident

pytestmark = pytest.mark.django_db

TEMPLATE_SYNTAX = ("{#", "#}", "{%", "{{")
ARREST = "amirova-arrest-aktau-airport-2012"


def assert_rendered(response, url: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode()
    left = [mark for mark in TEMPLATE_SYNTAX if mark in text]
    assert not left, f"{url} shows template syntax {left}: …{text[text.find(left[0]) - 80 :][:200]}…"


PUBLIC_PAGES = [
    ("/", 200),
    ("/incidents/", 200),
    ("/incidents/?q=amirova&region=kazakhstan&type=arrest", 200),
    ("/incidents/?date_from=2012-02-30", 400),
    (f"/incidents/{ARREST}/", 200),
    ("/incidents/export.csv", 200),
    ("/people/", 200),
    ("/people/?q=amirova", 200),
    ("/people/ajzhangul-amirova/", 200),
    ("/organisations/", 200),
    ("/organisations/halyk-maidan/", 200),
    ("/charges/", 200),
    ("/charges/kz-penal-code-1997-article-164/", 200),
    ("/regions/mangghystau-oblysy/", 200),
    ("/incidents/no-such-incident/", 404),
    ("/api/", 200),
    ("/api/incidents/", 200),
    ("/api/docs/", 200),
]


@pytest.mark.parametrize(("url", "status"), PUBLIC_PAGES)
def test_public_pages_show_no_template_syntax(client, demo, url, status):
    response = client.get(url)
    assert response.status_code == status, url
    assert_rendered(response, url)


def test_the_retracted_incident_page_shows_no_template_syntax(client, demo, signed_in):
    verifier = signed_in("Verifier")
    workflow.retract(
        incident=Incident.objects.get(slug=ARREST), by=verifier.user, reason="Withdrawn at the family's request."
    )
    response = client.get(f"/incidents/{ARREST}/")
    assert response.status_code == 410
    assert_rendered(response, "retracted incident")


@pytest.mark.parametrize("label", sorted(model._meta.label for model in admin.site._registry))
def test_admin_pages_of_every_model_show_no_template_syntax(admin_client, demo, label):
    """The list and add pages of every registered model, and the change and history pages of its
    first record where it has one (one incident waits for review, for the review queue's)."""
    Incident.objects.filter(slug="halyk-maidan-aktau-office-search-2012").update(status=Incident.Status.SUBMITTED)
    model = next(model for model in admin.site._registry if model._meta.label == label)
    opts = model._meta
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}") for view in ("changelist", "add")]
    record = admin.site._registry[model].get_queryset(admin_client.request().wsgi_request).order_by("pk").first()
    if record is not None:
        urls += [
            reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[record.pk])
            for view in ("change", "history")
        ]
    for url in urls:
        response = admin_client.get(url, follow=True)  # an appeal's add page leads to its draft page
        assert response.status_code in (200, 403), url
        assert_rendered(response, url)


@pytest.mark.parametrize("step", ["review", "retract"])
def test_the_review_pages_show_no_template_syntax(admin_client, demo, step):
    incident = Incident.objects.get(slug=ARREST)
    url = reverse(f"admin:incidents_incident_{step}", args=[incident.pk])
    response = admin_client.get(url)
    assert response.status_code in (200, 302), url
    assert_rendered(response, url)
