"""A researcher attaches photos in a real browser; the public page then shows their public copies."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from PIL import Image

from evidence_files.models import EvidenceFile
from incidents.models import Incident
from tests.factories import make_incident

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def photo(path, colour: str) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def test_researcher_attaches_two_photos_at_once(live_server, page, artifacts, tmp_path, django_user_model):
    call_command("load_demo", verbosity=0)  # transactional tests start from an empty database
    incident = make_incident(title="Office searched in Zhanaozen", status="draft")
    editor = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")
    client = Client()
    client.force_login(editor)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )

    page.goto(f"{live_server.url}/admin/incidents/incident/{incident.pk}/change/")
    page.get_by_role("button", name="Add another Evidence").click()
    page.select_option("#id_evidence-0-kind", "photo")
    page.fill("#id_evidence-0-description", "The office door after the search")
    page.fill("#id_evidence-0-obtained_by", "Field researcher")
    page.set_input_files(
        "#id_evidence-0-add_files", [photo(tmp_path / "door.jpg", "red"), photo(tmp_path / "desk.jpg", "blue")]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url("**/admin/incidents/incident/")
    assert sorted(EvidenceFile.objects.values_list("original_filename", flat=True)) == ["desk.jpg", "door.jpg"]

    Incident.objects.filter(pk=incident.pk).update(status="verified")  # as a verifier would, after review
    page.goto(f"{live_server.url}{incident.get_absolute_url()}")
    thumbnails = page.locator(".evidence-images img")
    assert thumbnails.count() == 2
    thumbnails.last.scroll_into_view_if_needed()  # thumbnails load lazily, when they come into view
    page.wait_for_function(
        "() => [...document.querySelectorAll('.evidence-images img')].every(i => i.complete && i.naturalWidth > 0)"
    )
    page.screenshot(path=artifacts / "incident-evidence-images.png", full_page=True)
