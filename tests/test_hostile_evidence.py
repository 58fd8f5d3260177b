"""Hostile evidence files and who may open originals: the findings of the security review.

An image at the pixel limit is processed in little memory; an upload leaves no temporary file
behind, even when its worker is killed; originals need a second factor when OTP_REQUIRED is on,
for every role that may open them; PDFs that run scripts, launch programs or carry other files,
and ZIP-based documents made to unpack to enormous sizes, are refused with a clear message.
"""

import hashlib
import io
import json
import os
import random
import signal
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from evidence_files.files import ACCEPTED_KINDS
from evidence_files.models import EvidenceAccess, EvidenceFile, StoredFile
from evidence_files.services import store_evidence_file
from incidents.models import Evidence

from .factories import PASSWORD, make_incident, make_user
from .test_evidence import add_evidence, docx_bytes, odt_bytes, pdf_bytes, png_chunk, stored_paths, upload
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


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("editor", "editor@example.org", PASSWORD))
    return client


def assert_refused_and_nothing_stored(response, message: str, evidence_root) -> None:
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.filter(description="Should not be saved").exists()
    assert not StoredFile.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_paths(evidence_root) == []


def assert_stored(response, content_type: str) -> None:
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert EvidenceFile.objects.get().stored_file.content_type == content_type


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


# Finding 4: hostile PDFs.


def pdf_of(*objects: bytes, trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A PDF of these objects, numbered from 1, with the cross-reference table that readers use."""
    document = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<<%s /Size %d>>\nstartxref\n%d\n%%%%EOF\n" % (trailer, len(objects) + 1, xref)
    return document


def catalog(entries: bytes = b"") -> bytes:
    return b"<</Type /Catalog /Pages 2 0 R " + entries + b">>"


PAGES = b"<</Type /Pages /Kids [] /Count 0>>"
ALERT = b"<</S /JavaScript /JS (app.alert\\(1\\))>>"


def stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<<%s /Length %d>>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def object_stream(objects: dict[int, bytes], filters=b"/Filter /FlateDecode", encode=zlib.compress) -> bytes:
    """Objects packed as PDF 1.5 writers pack them: pairs of number and offset, then the objects."""
    pairs, body = [], b""
    for number, packed in objects.items():
        pairs.append(b"%d %d" % (number, len(body)))
        body += packed + b"\n"
    header = b" ".join(pairs) + b"\n"
    dictionary = b"/Type /ObjStm /N %d /First %d %s" % (len(objects), len(header), filters)
    return stream(dictionary, encode(header + body))


def name_across_two_pieces() -> bytes:
    """/JavaScript (a catalog's name tree of scripts) cut by the 64 KiB pieces the upload is read in."""

    def document(padding: int) -> bytes:
        return pdf_of(
            catalog(b"/Names 4 0 R"), PAGES, b"(%s)" % (b"x" * padding), b"<</JavaScript 5 0 R>>", b"<</Names []>>"
        )

    padding = 64 * 1024 - 5 - document(0).index(b"/JavaScript")
    assert document(padding).index(b"/JavaScript") == 64 * 1024 - 5
    return document(padding)


def not_deflated(data: bytes) -> bytes:
    """Bytes as encrypted data looks: no deflate stream, whatever `data` was."""
    return b"".join(hashlib.sha256(data + bytes([block])).digest() for block in range(len(data) // 32 + 1))


REFUSED_PDFS = {
    "an /OpenAction that runs JavaScript": (
        lambda: pdf_of(catalog(b"/OpenAction " + ALERT), PAGES),
        "it is a PDF document with JavaScript in it, which a PDF reader may run as soon as the file is opened",
    ),
    "the same with names written in #xx escapes": (
        lambda: pdf_of(catalog(b"/OpenAction <</S /J#61vaScript /J#53 (app.alert\\(1\\))>>"), PAGES),
        "it is a PDF document with JavaScript in it",
    ),
    "the script packed in a compressed object stream": (
        lambda: pdf_of(catalog(b"/OpenAction 4 0 R"), PAGES, object_stream({4: ALERT})),
        "it is a PDF document with JavaScript in it",
    ),
    "a script name cut between two pieces of the upload": (
        name_across_two_pieces,
        "it is a PDF document with JavaScript in it",
    ),
    "an action that launches a program": (
        lambda: pdf_of(catalog(b"/OpenAction <</S /Launch /Win <</F (cmd.exe) /P (/c calc)>> >>"), PAGES),
        "it is a PDF document with an action that starts another program (Launch)",
    ),
    "an embedded file": (
        lambda: pdf_of(
            catalog(b"/Names << /EmbeddedFiles << /Names [(invoice.exe) 3 0 R] >> >>"),
            PAGES,
            b"<</Type /Filespec /F (invoice.exe) /EF << /F 4 0 R >> >>",
            stream(b"/Type /EmbeddedFile", b"MZ\x90\x00"),
        ),
        "it is a PDF document with other files embedded in it",
    ),
    "an object stream in a filter that hides it from the check": (
        lambda: pdf_of(
            catalog(b"/OpenAction 4 0 R"),
            PAGES,
            object_stream(
                {4: ALERT},
                filters=b"/Filter [/ASCIIHexDecode /FlateDecode]",
                encode=lambda data: zlib.compress(data).hex().encode(),
            ),
        ),
        "it is a PDF document whose compressed objects cannot be unpacked to check them for scripts",
    ),
}


@pytest.mark.parametrize("case", REFUSED_PDFS)
def test_a_pdf_that_runs_scripts_or_carries_files_is_refused(editor_client, incident, evidence_root, case):
    make, message = REFUSED_PDFS[case]
    response = add_evidence(editor_client, incident, upload("ruling.pdf", make()), description="Should not be saved")
    assert_refused_and_nothing_stored(response, f"“ruling.pdf”: {message}", evidence_root)


def test_a_pdf_whose_object_streams_unpack_beyond_the_limit_is_refused(
    editor_client, incident, evidence_root, monkeypatch
):
    """The limit is 64 MB; lowered here so that the test inflates 2 MB rather than 65."""
    monkeypatch.setattr("evidence_files.files.PDF_MAX_UNPACKED_OBJECTS", 1024 * 1024)
    padding = b"<</Padding (" + b" " * 2 * 1024 * 1024 + b")>>"
    document = pdf_of(catalog(), PAGES, object_stream({4: padding}))
    assert len(document) < 10_000
    response = add_evidence(editor_client, incident, upload("ruling.pdf", document), description="Should not be saved")
    message = "it is a PDF document whose compressed objects unpack to more than 1.0\xa0MB, too much to check"
    assert_refused_and_nothing_stored(response, message, evidence_root)


def photo_as_pdf() -> bytes:
    """A real writer's PDF: Pillow's, of a noisy photo, so that its image data is binary and large."""
    buffer = io.BytesIO()
    Image.effect_noise((1500, 1500), 80).convert("RGB").save(buffer, "PDF", quality=95)
    return buffer.getvalue()


ACCEPTED_PDFS = {
    "a plain document": pdf_bytes,
    "a photo saved as PDF": photo_as_pdf,
    "binary image data in which the bytes of /JS and /Launch turn up": lambda: pdf_of(
        catalog(),
        PAGES,
        stream(
            b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /BitsPerComponent 8 /ColorSpace /DeviceGray"
            b" /Filter /DCTDecode",
            b"\xff\xd8\xff\xe0\x9c/JS (\x01/Launch\x00/EmbeddedFile\xff\xd9",
        ),
    ),
    "objects packed in object streams, an /OpenAction that shows the first page": lambda: pdf_of(
        catalog(b"/OpenAction 4 0 R"), PAGES, object_stream({4: b"[2 0 R /Fit]", 5: b"<</Producer (LibreOffice)>>"})
    ),
    "encrypted, so that its object streams cannot be read": lambda: pdf_of(
        catalog(),
        PAGES,
        object_stream({4: b"<</Producer (Acrobat)>>"}, encode=not_deflated),
        b"<</Filter /Standard /V 4 /R 4 /Length 128 /P -1084 /O <%s> /U <%s>>>" % (b"0" * 64, b"1" * 64),
        trailer=b"/Root 1 0 R /Encrypt 4 0 R",
    ),
}


@pytest.mark.parametrize("case", ACCEPTED_PDFS)
def test_ordinary_pdfs_are_still_accepted(editor_client, incident, case):
    response = add_evidence(editor_client, incident, upload("ruling.pdf", ACCEPTED_PDFS[case]()))
    assert_stored(response, "application/pdf")


# Finding 4: ZIP-based documents made to unpack to enormous sizes.

WORD_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
WORD_BODY_START = (
    b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
)
WORD_BODY_END = b"</w:body></w:document>"


def docx_with(document_xml: Iterable[bytes], **stored_parts: bytes) -> bytes:
    """A Word document whose document.xml is written piece by piece, so that it is never whole in
    memory; `stored_parts` ("word__media__image1_jpeg") are added without compression, as photos are."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", WORD_CONTENT_TYPES)
        with archive.open("word/document.xml", "w") as document:
            for piece in document_xml:
                document.write(piece)
        for part, data in stored_parts.items():
            archive.writestr(part.replace("__", "/").replace("_jpeg", ".jpeg"), data, zipfile.ZIP_STORED)
    return buffer.getvalue()


def blank_document_xml(megabytes: int) -> Iterator[bytes]:
    """Well-formed XML, padded with blanks: what a 1 MB file that unpacks to 1 GB holds."""
    yield WORD_BODY_START
    for _ in range(megabytes):
        yield b" " * (1024 * 1024)
    yield b"<w:p><w:r><w:t>Protocol of the search</w:t></w:r></w:p>" + WORD_BODY_END


def odt_with_blank_content(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest/>')
        archive.writestr(
            "content.xml",
            b'<?xml version="1.0"?><office:document-content>' + b" " * size + b"</office:document-content>",
        )
    return buffer.getvalue()


def test_a_word_document_that_unpacks_a_thousand_times_its_size_is_refused(editor_client, incident, evidence_root):
    bomb = docx_with(blank_document_xml(200))
    assert len(bomb) < 300 * 1024
    response = add_evidence(editor_client, incident, upload("ruling.docx", bomb), description="Should not be saved")
    message = "“ruling.docx”: it is a Word document (DOCX) with a part that unpacks to "
    assert_refused_and_nothing_stored(response, message, evidence_root)
    assert "times its stored size, as in a file made to exhaust the memory of whoever opens it" in (
        response.content.decode()
    )


def test_an_opendocument_text_that_unpacks_a_thousand_times_its_size_is_refused(editor_client, incident, evidence_root):
    response = add_evidence(
        editor_client,
        incident,
        upload("ruling.odt", odt_with_blank_content(20 * 1024 * 1024)),
        description="Should not be saved",
    )
    message = "“ruling.odt”: it is a OpenDocument text (ODT) with a part that unpacks to "
    assert_refused_and_nothing_stored(response, message, evidence_root)


def test_a_document_whose_parts_unpack_beyond_the_total_limit_is_refused(
    editor_client, incident, evidence_root, monkeypatch
):
    """Photos that barely shrink, past a total lowered here from 512 MB to 1 MB."""
    monkeypatch.setattr("evidence_files.files.ZIP_MAX_UNPACKED_SIZE", 1024 * 1024)
    photo = random.Random(7).randbytes(2 * 1024 * 1024)
    document = docx_with(blank_document_xml(0), word__media__image1_jpeg=photo)
    response = add_evidence(editor_client, incident, upload("ruling.docx", document), description="Should not be saved")
    message = (
        "“ruling.docx”: it is a Word document (DOCX) whose parts unpack to 2.0\xa0MB, "
        "more than the limit of 1.0\xa0MB; it is not accepted."
    )
    assert_refused_and_nothing_stored(response, message, evidence_root)


def long_text_xml(size: int) -> bytes:
    """Paragraphs of varied words, as a long document's XML is: it shrinks a few times, not a thousand."""
    words = ["court", "ruling", "article", "charge", "custody", "detention", "appeal", "witness", "lawyer"]
    chooser = random.Random(11)
    paragraphs, written = [], 0
    while written < size:
        sentence = " ".join(chooser.choices(words, k=12)) + f" {chooser.randrange(10**6)}."
        paragraphs.append(f"<w:p><w:r><w:t>{sentence}</w:t></w:r></w:p>")
        written += len(paragraphs[-1])
    return WORD_BODY_START + "".join(paragraphs).encode() + WORD_BODY_END


ACCEPTED_DOCUMENTS = {
    "a short Word document": ("ruling.docx", docx_bytes),
    "a long Word document": ("ruling.docx", lambda: docx_with([long_text_xml(3 * 1024 * 1024)])),
    "a Word document with a large photo": (
        "ruling.docx",
        lambda: docx_with([long_text_xml(1000)], word__media__image1_jpeg=random.Random(3).randbytes(5 * 1024 * 1024)),
    ),
    "an OpenDocument text": ("ruling.odt", odt_bytes),
}


@pytest.mark.parametrize("case", ACCEPTED_DOCUMENTS)
def test_ordinary_documents_are_still_accepted(editor_client, incident, case):
    name, make = ACCEPTED_DOCUMENTS[case]
    response = add_evidence(editor_client, incident, upload(name, make()))
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert EvidenceFile.objects.get().stored_file.content_type in {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.oasis.opendocument.text",
    }
