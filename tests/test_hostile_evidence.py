"""Hostile evidence files and who may open originals: the findings of the security review.

An image at the pixel limit is processed in little memory; an upload leaves no temporary file
behind, even when its worker is killed; originals need a second factor when OTP_REQUIRED is on,
for every role that may open them; PDFs that run scripts, launch programs or carry other files,
and ZIP-based documents made to unpack to enormous sizes, are refused with a clear message.
"""

import json
import os
import signal
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse

from evidence_files.files import ACCEPTED_KINDS
from evidence_files.models import EvidenceAccess
from evidence_files.services import store_evidence_file
from incidents.models import Evidence

from .factories import PASSWORD, make_incident, make_user
from .test_evidence import pdf_bytes, png_chunk
from .test_sign_in import enrol, sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(django_settings.BASE_DIR)


def run_django(script: str, *args: str) -> subprocess.Popen:
    """`script` in a fresh Python process with the test settings, so that its memory is its own."""
    return subprocess.Popen(
        [sys.executable, "-c", "import django\ndjango.setup()\n" + script, *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Each test gets an empty evidence storage, so that "nothing stored" can be checked on disk."""
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


@pytest.fixture
def incident():
    return make_incident(title="Search of the newsroom", status="draft")


# Finding 2: an image at the pixel limit.


def write_blank_png(path: Path, width: int, height: int) -> None:
    """An RGB PNG written row by row: a few hundred kilobytes on disk, 100 megapixels decoded."""
    compressor = zlib.compressobj(9)
    row = bytes(1 + 3 * width)  # filter byte, then black pixels
    with path.open("wb") as png:
        png.write(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)))
        for _ in range(height):
            if data := compressor.compress(row):
                png.write(png_chunk(b"IDAT", data))
        png.write(png_chunk(b"IDAT", compressor.flush()) + png_chunk(b"IEND", b""))


PROCESS_AN_IMAGE = """
import io, json, resource, sys, time
from django.core.files import File
from PIL import Image
from evidence_files.files import inspect, public_copies
started = time.monotonic()
with open(sys.argv[1], "rb") as handle:
    upload = File(handle, name="scan.png")
    kind = inspect(upload, "scan.png")
    copies = public_copies(upload)
print(json.dumps({
    "kind": kind.mime,
    "seconds": time.monotonic() - started,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "sizes": [Image.open(io.BytesIO(data)).size for data in (copies.image, copies.thumbnail)],
}))
"""


def test_an_image_at_the_pixel_limit_is_checked_and_copied_in_little_memory(tmp_path):
    side = 10_000
    assert side * side == django_settings.EVIDENCE_MAX_IMAGE_PIXELS
    path = tmp_path / "scan.png"
    write_blank_png(path, side, side)
    child = run_django(PROCESS_AN_IMAGE, str(path))
    output, errors = child.communicate(timeout=120)
    assert child.returncode == 0, errors
    result = json.loads(output.splitlines()[-1])
    assert result["kind"] == "image/png"
    assert result["sizes"] == [[2048, 2048], [320, 320]]
    # A fresh process, so ru_maxrss is this processing's peak (Django included): it was 1.5 GB.
    assert result["peak_mb"] <= 400, result


RECEIVE_AN_UPLOAD = """
import sys, time
from django.conf import settings
from evidence_files.uploads import HashingUploadHandler
settings.FILE_UPLOAD_TEMP_DIR = sys.argv[1]
handler = HashingUploadHandler()
handler.new_file("add_files", "scan.png", "image/png", 5_000_000)
handler.receive_data_chunk(b"x" * 1_000_000, 0)
print("receiving", flush=True)
time.sleep(60)
"""


def test_a_worker_killed_during_an_upload_leaves_no_temporary_file(tmp_path):
    """As gunicorn kills a worker past its timeout: nothing runs after the kill to clean up, so the
    temporary file must never have had a name in the folder."""
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    child = run_django(RECEIVE_AN_UPLOAD, str(uploads))
    try:
        assert child.stdout.readline() == "receiving\n", child.stderr.read()
        assert list(uploads.iterdir()) == []
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    assert list(uploads.iterdir()) == []


# Finding 3: originals and the second factor.


@pytest.fixture
def original_url(incident):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Search warrant")
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(pdf_bytes(), name="warrant.pdf"),
        kind=ACCEPTED_KINDS["application/pdf"],
        uploaded_by=None,
    )
    return reverse("evidence_files:original", args=[attachment.public_id])


def member_of_staff(role: str) -> User:
    if role == "superuser":
        return User.objects.create_superuser("chief", "chief@example.org", PASSWORD)
    return make_user(role)


ROLES_THAT_OPEN_ORIGINALS = ["Researcher", "Verifier", "superuser"]


@pytest.mark.parametrize("role", ROLES_THAT_OPEN_ORIGINALS)
def test_with_the_setting_on_an_original_needs_a_confirmed_second_factor(client, settings, original_url, role):
    settings.OTP_REQUIRED = True
    user = member_of_staff(role)
    assert sign_in(client, user.username).status_code == 302  # the password alone

    response = client.get(original_url)
    assert response.status_code == 302 and response["Location"] == reverse("admin:two_factor")
    assert not EvidenceAccess.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "Originals of evidence files open only in a session confirmed with two-factor sign-in." in page

    enrol(client, user)
    response = client.get(original_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert EvidenceAccess.objects.get().user == user


@pytest.mark.parametrize("role", ROLES_THAT_OPEN_ORIGINALS)
def test_with_the_setting_off_an_original_opens_as_before(client, settings, original_url, role):
    settings.OTP_REQUIRED = False
    user = member_of_staff(role)
    client.force_login(user)
    assert client.get(original_url).status_code == 200
    assert EvidenceAccess.objects.get().user == user


@pytest.mark.parametrize("otp_required", [True, False])
def test_administrators_never_open_originals_second_factor_or_not(client, settings, original_url, otp_required):
    """Their role has no permission to: the original does not exist for them, and the second
    factor does not change that."""
    settings.OTP_REQUIRED = otp_required
    administrator = make_user("Administrator")
    sign_in(client, administrator.username)
    assert client.get(original_url).status_code == 404
    enrol(client, administrator)
    assert client.get(original_url).status_code == 404
    assert not EvidenceAccess.objects.exists()


def test_the_public_gets_no_hint_that_an_original_exists(client, settings, original_url):
    settings.OTP_REQUIRED = True
    assert client.get(original_url).status_code == 404
