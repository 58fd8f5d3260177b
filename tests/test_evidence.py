"""Evidence files hold up: typed by content, hashed, stored once, private, stripped for the public."""

import hashlib
import io
import struct
import tracemalloc
import wave
import zipfile
import zlib

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import ProtectedError
from django.urls import reverse
from PIL import ExifTags, Image

from evidence_files.files import ACCEPTED_KINDS, inspect
from evidence_files.models import EvidenceAccess, EvidenceFile, StoredFile
from evidence_files.services import removing_unrecorded_files, store_evidence_file
from evidence_files.uploads import HashingUploadHandler, RefusedUpload
from incidents import workflow
from incidents.models import Evidence, Incident
from tests.factories import make_incident

pytestmark = pytest.mark.django_db

EVIDENCE_ADD = reverse("admin:incidents_evidence_add")


# Tiny valid files of every accepted kind, made here.


def image_bytes(image_format: str, size=(6, 4), mode="RGB", **options) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "red").save(buffer, image_format, **options)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
        b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
        b"trailer <</Root 1 0 R>>\n%%EOF\n"
    )


def box(box_type: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(payload), box_type) + payload


def mp4_bytes() -> bytes:
    movie_header = box(b"mvhd", bytes(4) + struct.pack(">IIII", 0, 0, 1000, 0) + bytes(80))
    return box(b"ftyp", b"isom" + bytes(4) + b"isommp41") + box(b"moov", movie_header) + box(b"mdat", bytes(16))


def mp3_bytes() -> bytes:
    frame = b"\xff\xfb\x90\x00" + bytes(413)  # MPEG-1 layer III, 128 kbit/s, 44.1 kHz: 417 bytes a frame
    return b"ID3\x04\x00\x00\x00\x00\x00\x00" + frame * 3


def ogg_crc(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
            crc &= 0xFFFFFFFF
    return crc


def ogg_page(packet: bytes, sequence: int, header_type: int) -> bytes:
    segments = [255] * (len(packet) // 255) + [len(packet) % 255]
    header = (
        b"OggS"
        + bytes([0, header_type])
        + struct.pack("<qII", 0, 0x5EED, sequence)
        + bytes(4)
        + bytes([len(segments)])
        + bytes(segments)
    )
    checksum = struct.pack("<I", ogg_crc(header + packet))
    return header[:22] + checksum + header[26:] + packet


def ogg_bytes() -> bytes:
    identification = b"\x01vorbis" + struct.pack("<IBIiii", 0, 1, 44100, 0, 64000, 0) + b"\xb8\x01"
    return ogg_page(identification, 0, 0x02) + ogg_page(b"\x03vorbis" + bytes(8), 1, 0x04)


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as recording:
        recording.setnchannels(1)
        recording.setsampwidth(2)
        recording.setframerate(8000)
        recording.writeframes(bytes(800))
    return buffer.getvalue()


def docx_bytes(content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{content_type}"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Court ruling</w:t></w:r></w:p></w:body></w:document>",
        )
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0"?><manifest:manifest'
            ' xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry'
            ' manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/>'
            "</manifest:manifest>",
        )
        archive.writestr("content.xml", '<?xml version="1.0"?><office:document-content/>')
    return buffer.getvalue()


def png_chunk(chunk_type: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + chunk_type + data + struct.pack(">I", zlib.crc32(chunk_type + data))


def png_declaring(width: int, height: int) -> bytes:
    """A PNG whose header declares a huge canvas; its pixel data is a few bytes."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(bytes(1000)))
        + png_chunk(b"IEND", b"")
    )


ACCEPTED = {
    "ruling.pdf": (pdf_bytes, "application/pdf"),
    "photo.jpg": (lambda: image_bytes("JPEG"), "image/jpeg"),
    "photo.png": (lambda: image_bytes("PNG"), "image/png"),
    "photo.webp": (lambda: image_bytes("WEBP"), "image/webp"),
    "scan.tiff": (lambda: image_bytes("TIFF"), "image/tiff"),
    "video.mp4": (mp4_bytes, "video/mp4"),
    "call.mp3": (mp3_bytes, "audio/mpeg"),
    "call.ogg": (ogg_bytes, "audio/ogg"),
    "call.wav": (wav_bytes, "audio/wav"),
    "ruling.docx": (docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "ruling.odt": (odt_bytes, "application/vnd.oasis.opendocument.text"),
    "statement.txt": (lambda: "Свидетель: the door was forced at 9:30 < 10:00.\n".encode(), "text/plain"),
}


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    """Each test gets an empty evidence storage, so that "nothing stored" can be checked on disk."""
    root = tmp_path / "evidence"
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": root}},
    }
    return root


def stored_paths(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def incident():
    """A draft: files are added while an incident is being entered, before it is verified."""
    return make_incident(title="Arrest at the airport", status="draft")


def publish(incident):
    Incident.objects.filter(pk=incident.pk).update(status="verified")


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-test-password")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def add_evidence(client, incident, *files, **fields):
    data = {"incident": incident.pk, "kind": "document", "description": "Filed by a test", "add_files": list(files)}
    return client.post(EVIDENCE_ADD, {**data, **fields})


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.mark.parametrize("name", ACCEPTED)
def test_each_accepted_kind_is_stored_with_its_type_and_hash(editor_client, editor, incident, evidence_root, name):
    make, content_type = ACCEPTED[name]
    content = make()
    response = add_evidence(editor_client, incident, upload(name, content))
    assert response.status_code == 302, response.context["adminform"].form.errors
    attachment = EvidenceFile.objects.get()
    stored = attachment.stored_file
    assert stored.content_type == content_type
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.size == len(content)
    assert (attachment.original_filename, attachment.uploaded_by, attachment.evidence.incident) == (
        name,
        editor,
        incident,
    )
    # Server-made name: the content's hash, never the uploaded name.
    assert stored.original.name == f"originals/{stored.sha256[:2]}/{stored.sha256}"
    assert (evidence_root / stored.original.name).read_bytes() == content
    assert bool(stored.public_image) == content_type.startswith("image/")


def test_heic_is_refused_clearly_where_pillow_cannot_decode_it(editor_client, incident, evidence_root):
    if "HEIF" in Image.registered_extensions().values():
        pytest.skip("this Pillow decodes HEIC")
    heic = box(b"ftyp", b"heic" + bytes(4) + b"mif1heic") + box(b"meta", bytes(24))
    response = add_evidence(editor_client, incident, upload("photo.heic", heic))
    assert "it is a HEIC image, which this server cannot decode" in response.content.decode()
    assert not StoredFile.objects.exists() and stored_paths(evidence_root) == []


def test_several_files_at_once_in_the_incident_inline(editor_client, incident, evidence_root):
    page = editor_client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    data = {
        key: value
        for inline in page.context["inline_admin_formsets"]
        for key, value in {
            f"{inline.formset.prefix}-TOTAL_FORMS": "0",
            f"{inline.formset.prefix}-INITIAL_FORMS": "0",
        }.items()
    }
    data.update(
        {
            "title": incident.title,
            "slug": incident.slug,
            "language": incident.language,
            "incident_type": incident.incident_type_id,
            "status": incident.status,
            "start_date": incident.start_date.isoformat(),
            "start_precision": "day",
            "end_precision": "day",
            "place": incident.place_id,
            "opened_version": incident.version,
            "evidence-TOTAL_FORMS": "1",
            "evidence-0-kind": "medical",
            "evidence-0-description": "Medical report, three pages",
            "evidence-0-obtained_by": "A. Researcher",
            "evidence-0-obtained_on": "2012-01-20",
            "evidence-0-obtained_how": "Photographed at the clinic with the patient's consent; originals kept by her.",
            "evidence-0-add_files": [
                upload("page-1.png", image_bytes("PNG", size=(5, 5))),
                upload("page-2.png", image_bytes("PNG", size=(7, 5))),
                upload("report.pdf", pdf_bytes()),
            ],
        }
    )
    response = editor_client.post(reverse("admin:incidents_incident_change", args=[incident.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    evidence = Evidence.objects.get(incident=incident)
    assert evidence.obtained_how.startswith("Photographed at the clinic")
    assert sorted(evidence.attachments.values_list("original_filename", flat=True)) == [
        "page-1.png",
        "page-2.png",
        "report.pdf",
    ]
    change_page = editor_client.get(reverse("admin:incidents_incident_change", args=[incident.pk]))
    for attachment in evidence.attachments.all():
        assert attachment.stored_file.sha256 in change_page.content.decode()

    # Saving again without files is no change to the evidence record.
    evidence_row = {key: value for key, value in data.items() if not key.startswith("evidence-0-")}
    evidence_row.update(
        {
            "evidence-INITIAL_FORMS": "1",
            "evidence-0-id": evidence.pk,
            "evidence-0-incident": incident.pk,
            "evidence-0-kind": "medical",
            "evidence-0-description": evidence.description,
            "evidence-0-obtained_by": evidence.obtained_by,
            "evidence-0-obtained_on": "2012-01-20",
            "evidence-0-obtained_how": evidence.obtained_how,
            "opened_version": Incident.objects.get(pk=incident.pk).version,
        }
    )
    response = editor_client.post(reverse("admin:incidents_incident_change", args=[incident.pk]), evidence_row)
    assert response.status_code == 302, response.context["errors"]
    assert Evidence.objects.get(pk=evidence.pk).updated_at == evidence.updated_at
    assert evidence.attachments.count() == 3


def test_identical_content_is_stored_once_and_linked(editor_client, incident, evidence_root):
    content = pdf_bytes()
    add_evidence(editor_client, incident, upload("ruling.pdf", content), description="From the court")
    response = add_evidence(editor_client, incident, upload("copy of ruling.pdf", content), description="From a lawyer")
    assert response.status_code == 302
    assert StoredFile.objects.count() == 1
    assert sorted(EvidenceFile.objects.values_list("original_filename", flat=True)) == [
        "copy of ruling.pdf",
        "ruling.pdf",
    ]
    assert [path for path in stored_paths(evidence_root) if path.startswith("originals/")] == [
        f"originals/{hashlib.sha256(content).hexdigest()[:2]}/{hashlib.sha256(content).hexdigest()}"
    ]
    messages = [str(message) for message in response.wsgi_request._messages]
    assert any("same content as a file already stored" in message for message in messages)


def test_a_stored_original_is_added_to_never_replaced(editor_client, incident, evidence_root, without_demo):
    first = pdf_bytes()
    add_evidence(editor_client, incident, upload("ruling.pdf", first))
    evidence = Evidence.objects.get()
    change_url = reverse("admin:incidents_evidence_change", args=[evidence.pk])
    assert 'name="file"' not in editor_client.get(change_url).content.decode()
    second = b"A later statement.\n"
    data = {"incident": incident.pk, "kind": "document", "description": evidence.description}
    editor_client.post(change_url, {**data, "add_files": [upload("statement.txt", second)]})
    assert evidence.attachments.count() == 2
    original = StoredFile.objects.get(sha256=hashlib.sha256(first).hexdigest())
    assert (evidence_root / original.original.name).read_bytes() == first


def script_svg() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


REFUSED = {
    "executable renamed .jpg": (
        "photo.jpg",
        lambda: b"MZ\x90\x00" + bytes(60) + b"This program cannot be run in DOS mode.",
        "its content is a EXE file (application/x-msdownload), which is not accepted",
    ),
    "ELF executable": (
        "photo.jpg",
        lambda: b"\x7fELF\x02\x01\x01" + bytes(57),
        "its content is a ELF file (application/x-executable), which is not accepted",
    ),
    "HTML with a script": (
        "statement.txt",
        lambda: b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        "its content is a HTML document (text/html), which is not accepted",
    ),
    "SVG with a script": ("drawing.svg", script_svg, "its content is a SVG image (image/svg+xml)"),
    "PNG signature followed by HTML": (
        "photo.png",
        lambda: b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
        "it starts like a PNG image but is not a sound one",
    ),
    "valid PNG followed by HTML": (
        "photo.png",
        lambda: image_bytes("PNG") + b"<html><script>alert(1)</script></html>",
        "data follows the end of the image",
    ),
    "PNG declaring 50,000 × 50,000 pixels": (
        "bomb.png",
        lambda: png_declaring(50_000, 50_000),
        "the image has more pixels than the limit of 100,000,000",
    ),
    "GIF image": (
        "photo.jpg",
        lambda: image_bytes("GIF"),
        "its content is a GIF file (image/gif), which is not accepted",
    ),
    "empty file": ("empty.pdf", lambda: b"", "“empty.pdf”: the file is empty."),
    "ZIP archive": ("ruling.docx", lambda: zip_of({"notes.txt": "x"}), "its content is a ZIP file (application/zip)"),
    "macro-enabled Word document": (
        "ruling.docx",
        lambda: docx_bytes("application/vnd.ms-word.document.macroEnabled.main+xml"),
        "macro-enabled Word document (DOCM)",
    ),
    "truncated PDF": ("ruling.pdf", lambda: pdf_bytes()[:40], "it has no end-of-file marker"),
}


def zip_of(entries: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("case", REFUSED)
def test_refused_files_get_a_clear_error_and_nothing_is_stored(editor_client, incident, evidence_root, case):
    name, make, message = REFUSED[case]
    response = add_evidence(editor_client, incident, upload(name, make()), description="Should not be saved")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Evidence.objects.filter(description="Should not be saved").exists()
    assert not StoredFile.objects.exists() and not EvidenceFile.objects.exists()
    assert stored_paths(evidence_root) == []


def test_one_bad_file_among_good_ones_stores_none_and_names_the_bad_one(editor_client, incident, evidence_root):
    response = add_evidence(
        editor_client, incident, upload("ruling.pdf", pdf_bytes()), upload("drawing.svg", script_svg())
    )
    assert "“drawing.svg”: its content is a SVG image" in response.content.decode()
    assert stored_paths(evidence_root) == [] and not StoredFile.objects.exists()


def test_a_decompression_bomb_is_refused_from_its_header_in_little_memory():
    bomb = ContentFile(png_declaring(50_000, 50_000), name="bomb.png")
    tracemalloc.start()
    try:
        with pytest.raises(Exception) as refused:
            inspect(bomb, "bomb.png")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "more pixels than the limit" in str(refused.value)
    assert peak < 2 * 1024 * 1024  # decoding it would take 7.5 GB


def test_an_image_just_over_a_lower_limit_names_its_size(settings):
    settings.EVIDENCE_MAX_IMAGE_PIXELS = 100
    with pytest.raises(Exception) as refused:
        inspect(ContentFile(image_bytes("PNG", size=(20, 10)), name="wide.png"), "wide.png")
    assert "more pixels than the limit of 100 (20 × 10)" in str(refused.value)


def test_an_over_limit_file_is_refused_with_a_clear_error(editor_client, incident, evidence_root, settings):
    settings.EVIDENCE_MAX_UPLOAD_SIZE = 1024
    response = add_evidence(editor_client, incident, upload("long.txt", b"words " * 1000))
    assert "“long.txt”: the file is larger than the limit of 1.0\xa0KB." in response.content.decode()
    assert stored_paths(evidence_root) == [] and not StoredFile.objects.exists()


def test_the_upload_handler_stops_writing_at_the_limit_and_hashes_as_it_streams(settings, tmp_path):
    settings.EVIDENCE_MAX_UPLOAD_SIZE = 1000
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    handler = HashingUploadHandler()
    handler.new_file("add_files", "small.txt", "text/plain", None)
    handler.receive_data_chunk(b"a" * 600, 0)
    handler.receive_data_chunk(b"b" * 400, 600)
    small = handler.file_complete(1000)
    assert small.sha256 == hashlib.sha256(b"a" * 600 + b"b" * 400).hexdigest()
    assert small.read() == b"a" * 600 + b"b" * 400
    small.close()

    handler.new_file("add_files", "large.txt", "text/plain", None)
    partial = handler.file
    for start in range(0, 5000, 600):
        handler.receive_data_chunk(b"c" * 600, start)
        assert handler.file.tell() <= 1000
    refused = handler.file_complete(5400)
    assert isinstance(refused, RefusedUpload) and "larger than the limit" in refused.reason
    assert partial.closed
    assert list(tmp_path.iterdir()) == []  # the temporary files never had a name there


def test_a_name_with_a_path_is_refused_and_nothing_is_stored(editor, incident, evidence_root):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Statement")
    content = ContentFile(b"A statement.\n", name="../../etc/cron.d/statement.txt")
    with pytest.raises(Exception) as refused:
        store_evidence_file(evidence=evidence, upload=content, kind=ACCEPTED_KINDS["text/plain"], uploaded_by=editor)
    assert "the file name must be a plain name, without folders" in str(refused.value)
    with pytest.raises(Exception) as inspected:
        inspect(content, content.name)
    assert "without folders" in str(inspected.value)
    assert stored_paths(evidence_root) == [] and not StoredFile.objects.exists()


def test_a_path_in_a_multipart_file_name_never_becomes_a_path(editor_client, incident, evidence_root):
    """The browser's file name reaches the server through Django's parser, which keeps only the last
    part; whatever it sends, the stored name is made by the server and the folders are dropped."""
    boundary = "----evidence-boundary"
    fields = {"incident": str(incident.pk), "kind": "document", "description": "Crafted upload"}
    body = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
        for key, value in fields.items()
    ).encode()
    body += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="add_files"; filename="../../../escape.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
    ).encode()
    body += f"Plain words.\r\n--{boundary}--\r\n".encode()
    response = editor_client.generic("POST", EVIDENCE_ADD, body, f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 302
    attachment = EvidenceFile.objects.get()
    assert attachment.original_filename == "escape.txt"
    assert stored_paths(evidence_root) == [attachment.stored_file.original.name]
    assert not (evidence_root.parent / "escape.txt").exists()


def jpeg_with_gps_and_serial() -> bytes:
    image = Image.new("RGB", (40, 20), "red")
    image.paste((0, 0, 255), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Camera Maker"
    exif[ExifTags.Base.Orientation] = 6  # the camera was turned: show rotated 90° clockwise
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-4242-SECRET"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (43.0, 39.0, 2.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (51.0, 9.0, 28.0)
    buffer = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>43,39N</exif:GPSLatitude></x:xmpmeta>'
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, quality=95)
    return buffer.getvalue()


def test_the_public_sees_a_stripped_copy_and_only_staff_the_original(
    client, editor_client, editor, incident, evidence_root
):
    original_bytes = jpeg_with_gps_and_serial()
    add_evidence(editor_client, incident, upload("IMG_0042.jpg", original_bytes), kind="photo", description="Photo")
    attachment = EvidenceFile.objects.get()
    publish(incident)
    editor_client.logout()

    image = client.get(reverse("evidence_files:image", args=[attachment.public_id]))
    thumbnail = client.get(reverse("evidence_files:thumbnail", args=[attachment.public_id]))
    sizes = []
    for response in (image, thumbnail):
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("inline")
        content = b"".join(response.streaming_content)
        public_copy = Image.open(io.BytesIO(content))
        assert len(public_copy.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile", "photoshop"} & public_copy.info.keys()
        assert b"SN-4242" not in content and b"GPS" not in content and b"Camera Maker" not in content
        assert b"xmpmeta" not in content and b"Exif" not in content
        sizes.append(public_copy.size)
    assert sizes[0] == (20, 40)  # the camera's orientation is applied to the pixels

    detail = client.get(incident.get_absolute_url()).content.decode()
    assert reverse("evidence_files:thumbnail", args=[attachment.public_id]) in detail

    original_url = reverse("evidence_files:original", args=[attachment.public_id])
    assert client.get(original_url).status_code == 404
    client.force_login(editor)
    response = client.get(original_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    original = b"".join(response.streaming_content)
    assert original == original_bytes
    exif = Image.open(io.BytesIO(original)).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == (43.0, 39.0, 2.0)
    assert exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] == "SN-4242-SECRET"
    access = EvidenceAccess.objects.get()
    assert (access.user, access.attachment, access.was_public) == (editor, attachment, True)


def test_originals_are_hidden_from_staff_without_the_permission(client, django_user_model, editor, incident):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Ruling")
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(pdf_bytes(), name="ruling.pdf"),
        kind=ACCEPTED_KINDS["application/pdf"],
        uploaded_by=editor,
    )
    url = reverse("evidence_files:original", args=[attachment.public_id])
    clerk = django_user_model.objects.create_user("clerk", password="a-long-test-password", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 404
    clerk.user_permissions.add(
        Permission.objects.get(
            codename="view_evidence_original", content_type=ContentType.objects.get_for_model(Evidence)
        )
    )
    clerk = django_user_model.objects.get(pk=clerk.pk)
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ruling.pdf"'
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")
    assert EvidenceAccess.objects.get().user == clerk


@pytest.mark.parametrize("hidden", ["confidential evidence", "unverified incident", "confidential incident"])
def test_no_public_copy_of_evidence_the_public_may_not_see(client, editor, hidden):
    incident = make_incident(
        status="submitted" if hidden == "unverified incident" else "verified",
        confidential=hidden == "confidential incident",
    )
    evidence = Evidence.objects.create(
        incident=incident, kind="photo", description="Photo", confidential=hidden == "confidential evidence"
    )
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(image_bytes("PNG"), name="photo.png"),
        kind=ACCEPTED_KINDS["image/png"],
        uploaded_by=editor,
    )
    assert attachment.stored_file.public_image
    for view in ("evidence_files:image", "evidence_files:thumbnail", "evidence_files:original"):
        assert client.get(reverse(view, args=[attachment.public_id])).status_code == 404
    assert str(attachment.public_id) not in client.get(incident.get_absolute_url()).content.decode()


def test_public_copies_are_handed_to_the_web_server_when_configured(client, editor, incident, settings):
    settings.EVIDENCE_X_ACCEL_REDIRECT = "/protected-evidence/"
    evidence = Evidence.objects.create(incident=incident, kind="photo", description="Photo")
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(image_bytes("JPEG"), name="photo.jpg"),
        kind=ACCEPTED_KINDS["image/jpeg"],
        uploaded_by=editor,
    )
    publish(incident)
    response = client.get(reverse("evidence_files:image", args=[attachment.public_id]))
    assert response["X-Accel-Redirect"] == f"/protected-evidence/{attachment.stored_file.public_image.name}"
    assert response.content == b""


def test_a_public_image_costs_one_query(client, editor, incident, django_assert_num_queries):
    evidence = Evidence.objects.create(incident=incident, kind="photo", description="Photo")
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(image_bytes("PNG", mode="RGBA"), name="photo.png"),
        kind=ACCEPTED_KINDS["image/png"],
        uploaded_by=editor,
    )
    publish(incident)
    with django_assert_num_queries(1):
        response = client.get(reverse("evidence_files:thumbnail", args=[attachment.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"  # transparency kept


def test_verify_evidence_reports_altered_and_missing_files(editor, incident, evidence_root):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Papers")
    for name, content in [("a.txt", b"first\n"), ("b.txt", b"second\n"), ("c.txt", b"third\n")]:
        store_evidence_file(
            evidence=evidence,
            upload=ContentFile(content, name=name),
            kind=ACCEPTED_KINDS["text/plain"],
            uploaded_by=editor,
        )
    output, errors = io.StringIO(), io.StringIO()
    call_command("verify_evidence", stdout=output, stderr=errors)
    assert "All 3 stored files match" in output.getvalue()

    altered = StoredFile.objects.get(sha256=hashlib.sha256(b"first\n").hexdigest())
    (evidence_root / altered.original.name).write_bytes(b"firsT\n")
    deleted = StoredFile.objects.get(sha256=hashlib.sha256(b"second\n").hexdigest())
    (evidence_root / deleted.original.name).unlink()
    with pytest.raises(CommandError, match="2 of 3 stored files are missing or altered") as failed:
        call_command("verify_evidence", stdout=output, stderr=errors)
    assert failed.value.returncode == 1  # the exit status of `manage.py verify_evidence`
    report = errors.getvalue()
    assert f"{altered.original.name} (a.txt): altered" in report
    assert f"{deleted.original.name} (b.txt): missing" in report
    assert "c.txt" not in report


def test_verify_evidence_lists_files_that_no_record_refers_to(editor, incident, evidence_root):
    evidence = Evidence.objects.create(incident=incident, kind="photo", description="Photo")
    store_evidence_file(
        evidence=evidence,
        upload=ContentFile(image_bytes("PNG"), name="photo.png"),
        kind=ACCEPTED_KINDS["image/png"],
        uploaded_by=editor,
    )
    (evidence_root / "originals" / "ff").mkdir(parents=True)
    (evidence_root / "originals" / "ff" / "left-behind").write_bytes(b"from a crashed upload")
    output = io.StringIO()
    call_command("verify_evidence", stdout=output, stderr=io.StringIO())
    assert output.getvalue().splitlines() == [
        "originals/ff/left-behind: in storage, but no record refers to it",
        "All 1 stored files match their recorded SHA-256.",
    ]


def test_an_interrupted_save_leaves_neither_file_nor_record(editor, incident, evidence_root):
    evidence = Evidence.objects.create(incident=incident, kind="photo", description="Photo")
    with pytest.raises(RuntimeError), removing_unrecorded_files(), transaction.atomic():
        store_evidence_file(
            evidence=evidence,
            upload=ContentFile(image_bytes("PNG"), name="photo.png"),
            kind=ACCEPTED_KINDS["image/png"],
            uploaded_by=editor,
        )
        assert len(stored_paths(evidence_root)) == 3  # original, public copy, thumbnail
        raise RuntimeError("the connection dropped")
    assert stored_paths(evidence_root) == []
    assert not StoredFile.objects.exists() and not EvidenceFile.objects.exists()


def test_an_admin_save_failing_after_the_upload_leaves_nothing(editor_client, incident, evidence_root, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr("django.contrib.admin.ModelAdmin.log_addition", fail)
    editor_client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        add_evidence(editor_client, incident, upload("photo.png", image_bytes("PNG")), description="Lost")
    assert not Evidence.objects.filter(description="Lost").exists()
    assert not StoredFile.objects.exists() and stored_paths(evidence_root) == []


def test_deleting_an_incident_never_deletes_its_evidence_files(editor_client, editor, incident, evidence_root):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Ruling")
    store_evidence_file(
        evidence=evidence,
        upload=ContentFile(pdf_bytes(), name="ruling.pdf"),
        kind=ACCEPTED_KINDS["application/pdf"],
        uploaded_by=editor,
    )
    with pytest.raises(ProtectedError):
        incident.delete()
    with pytest.raises(ProtectedError):
        evidence.delete()
    response = editor_client.post(reverse("admin:incidents_incident_delete", args=[incident.pk]), {"post": "yes"})
    assert "would require deleting the following protected related objects" in response.content.decode()
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert len(stored_paths(evidence_root)) == 1 and StoredFile.objects.count() == 1


def test_the_access_log_is_read_only_in_the_admin(editor_client, editor, incident):
    evidence = Evidence.objects.create(incident=incident, kind="document", description="Ruling", confidential=True)
    attachment, _ = store_evidence_file(
        evidence=evidence,
        upload=ContentFile(pdf_bytes(), name="ruling.pdf"),
        kind=ACCEPTED_KINDS["application/pdf"],
        uploaded_by=editor,
    )
    editor_client.get(reverse("evidence_files:original", args=[attachment.public_id]))
    access = EvidenceAccess.objects.get()
    assert access.was_public is False
    listing = editor_client.get(reverse("admin:evidence_files_evidenceaccess_changelist")).content.decode()
    assert "ruling.pdf" in listing and "editor" in listing
    assert editor_client.get(reverse("admin:evidence_files_evidenceaccess_add")).status_code == 403
    change = editor_client.get(reverse("admin:evidence_files_evidenceaccess_change", args=[access.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()


def attach(evidence, user, name="photo.png", size=(5, 5)):
    return store_evidence_file(
        evidence=evidence,
        upload=ContentFile(image_bytes("PNG", size=size), name=name),
        kind=ACCEPTED_KINDS["image/png"],
        uploaded_by=user,
    )[0]


@pytest.fixture
def published_with_file(evidence_root):
    from tests.factories import make_user

    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    incident = make_incident(title="Raid on the newsroom", created_by=researcher)
    evidence = Evidence.objects.create(incident=incident, kind="photo", description="The door")
    attach(evidence, researcher)
    return incident, evidence, researcher, verifier


def test_files_added_in_a_correction_join_the_published_evidence(published_with_file):
    incident, evidence, researcher, verifier = published_with_file
    copy = workflow.propose_correction(incident=incident, by=researcher)
    attach(Evidence.objects.get(incident=copy), researcher, name="second-photo.png", size=(9, 9))
    attach(Evidence.objects.get(incident=copy), researcher, name="same-as-the-first.png")
    workflow.submit(incident=copy, by=researcher)
    workflow.verify(incident=copy, by=verifier, note="Checked the new photo against the source")
    assert sorted(evidence.attachments.values_list("original_filename", flat=True)) == ["photo.png", "second-photo.png"]
    assert not Incident.objects.filter(pk=copy.pk).exists()


def test_a_correction_cannot_remove_evidence_that_has_files(published_with_file):
    incident, evidence, researcher, verifier = published_with_file
    copy = workflow.propose_correction(incident=incident, by=researcher)
    Evidence.objects.filter(incident=copy).delete()
    workflow.submit(incident=copy, by=researcher)
    with pytest.raises(workflow.WorkflowError, match="evidence files are never deleted"):
        workflow.verify(incident=copy, by=verifier, note="Looks right")
    assert evidence.attachments.count() == 1 and Evidence.objects.filter(pk=evidence.pk).exists()


def test_discarding_a_correction_never_deletes_files_uploaded_into_it(published_with_file):
    incident, evidence, researcher, verifier = published_with_file
    copy = workflow.propose_correction(incident=incident, by=researcher)
    attach(Evidence.objects.get(incident=copy), researcher, name="second-photo.png")
    with pytest.raises(workflow.WorkflowError, match="evidence files are never deleted"):
        workflow.discard_correction(incident=copy, by=researcher)
    assert EvidenceFile.objects.filter(original_filename="second-photo.png").exists()
