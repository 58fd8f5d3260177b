"""What an evidence file really is, decided from its content, and the public copy of an image.

Neither the file name nor the browser's claimed type is trusted: the magic number says what a file
pretends to be, then a structural check confirms it is that and nothing else. A PNG must decode
to its last chunk and stop there; a Word document must be a ZIP whose manifest declares a Word
text; plain text must be UTF-8 without markup a browser would run. Everything here reads the file
in pieces or reads headers only, so a large or hostile file costs little memory.

Images are decoded by libvips, which reads a file in strips and shrinks while it decodes, so that
an image at the pixel limit costs memory in proportion to its public copy, not to its full size
(Pillow holds a whole decoded image, four bytes a pixel). Pillow reads headers and writes the
public copies from the shrunk pixels.
"""

import codecs
import hashlib
import io
import re
import struct
import warnings
import zipfile
import zlib
from dataclasses import dataclass

import filetype
import pyvips
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image

from core.counting import grouped

CHUNK_SIZE = 64 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"


@dataclass(frozen=True)
class Kind:
    mime: str
    label: str | Promise  # translated when shown
    pillow_format: str = ""
    vips_loader: str = ""  # the libvips loader class that decodes it; apps.py enables these alone

    @property
    def is_image(self) -> bool:
        return bool(self.pillow_format)


ACCEPTED_KINDS = {
    kind.mime: kind
    for kind in [
        Kind("application/pdf", gettext_lazy("PDF document")),
        Kind("image/jpeg", gettext_lazy("JPEG image"), "JPEG", "VipsForeignLoadJpeg"),
        Kind("image/png", gettext_lazy("PNG image"), "PNG", "VipsForeignLoadPng"),
        Kind("image/webp", gettext_lazy("WebP image"), "WEBP", "VipsForeignLoadWebp"),
        Kind("image/tiff", gettext_lazy("TIFF image"), "TIFF", "VipsForeignLoadTiff"),
        Kind("image/heic", gettext_lazy("HEIC image"), "HEIF", "VipsForeignLoadHeif"),
        Kind("video/mp4", gettext_lazy("MP4 video")),
        Kind("audio/mpeg", gettext_lazy("MP3 audio")),
        Kind("audio/ogg", gettext_lazy("Ogg audio")),
        Kind("audio/wav", gettext_lazy("WAV audio")),
        Kind(DOCX, gettext_lazy("Word document (DOCX)")),
        Kind(ODT, gettext_lazy("OpenDocument text (ODT)")),
        Kind("text/plain", gettext_lazy("plain text")),
    ]
}
# The detector's name for a type where it differs from the registered one.
DETECTOR_ALIASES = {"audio/x-wav": "audio/wav"}
ZIP_CONTAINERS = {
    "application/zip",
    "application/epub+zip",
    DOCX,
    ODT,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation",
}
# Markup that a browser would render or run, in text that claims to be plain.
SVG_MARKUP = re.compile(r"<\s*svg[\s>/]", re.IGNORECASE)
HTML_MARKUP = re.compile(
    r"<\s*(?:!doctype\s+html|html|head|body|script|iframe|frame|object|embed|meta|base|form|img|style|link)[\s>/]"
    r"|javascript\s*:",
    re.IGNORECASE,
)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
MARKUP_OVERLAP = 64

# Why a file's content is refused, one whole sentence for each thing it may turn out to be. The
# detected format and type come from the detector ("EXE", "application/x-msdownload"); the list of
# accepted kinds ends each sentence.
UNSUPPORTED = {
    "detected": gettext_lazy(
        "its content is a %(format)s file (%(mime)s), which is not accepted. Accepted: %(accepted)s."
    ),
    "damaged": gettext_lazy(
        "its content is a damaged %(format)s file (%(mime)s), which is not accepted. Accepted: %(accepted)s."
    ),
    "not_utf8": gettext_lazy(
        "its content is a binary file of no recognised format (not UTF-8 text), which is not accepted. "
        "Accepted: %(accepted)s."
    ),
    "control_characters": gettext_lazy(
        "its content is a binary file of no recognised format (control characters in text), which is not accepted. "
        "Accepted: %(accepted)s."
    ),
    "svg": gettext_lazy("its content is a SVG image (image/svg+xml), which is not accepted. Accepted: %(accepted)s."),
    "html": gettext_lazy("its content is a HTML document (text/html), which is not accepted. Accepted: %(accepted)s."),
    "docm": gettext_lazy(
        "its content is a macro-enabled Word document (DOCM), which is not accepted. Accepted: %(accepted)s."
    ),
}


def accepted_kinds_text() -> str:
    return ", ".join(str(kind.label) for kind in ACCEPTED_KINDS.values() if kind_is_readable(kind))


def kind_is_readable(kind: Kind) -> bool:
    """An image kind is accepted only where this server's Pillow can decode it (HEIC needs a plugin)."""
    return not kind.is_image or kind.pillow_format in Image.registered_extensions().values()


def refusal(name: str, message: str, code: str) -> ValidationError:
    return ValidationError(_("“%(name)s”: %(problem)s") % {"name": name, "problem": message}, code=code)


def check_file_name(name: str) -> None:
    """The uploaded name is kept as data only; one that tries to be a path is refused outright."""
    parts = re.split(r"[/\\]", name or "")
    if not name or len(parts) > 1 or name.strip() in {".", ".."} or CONTROL_CHARACTERS.search(name):
        raise refusal(
            name, _("the file name must be a plain name, without folders, “..” or control characters."), "name"
        )


def check_size(name: str, size: int) -> None:
    if not size:
        raise refusal(name, _("the file is empty."), "empty")
    limit = settings.EVIDENCE_MAX_UPLOAD_SIZE
    if size > limit:
        raise refusal(name, too_large(limit), "too_large")


def too_large(limit: int) -> str:
    return _("the file is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)}


def sha256_of(file: File) -> str:
    digest = hashlib.sha256()
    for chunk in file.chunks(CHUNK_SIZE):
        digest.update(chunk)
    return digest.hexdigest()


def inspect(file: File, name: str) -> Kind:
    """The accepted kind of `file`, or a ValidationError that names what it was found to be."""
    check_file_name(name)
    check_size(name, file.size)
    file.seek(0)
    head = file.read(8192)
    guessed = filetype.guess(head)
    if guessed is None:
        return _check_text(file, name)
    mime = DETECTOR_ALIASES.get(guessed.mime, guessed.mime)
    if mime in ZIP_CONTAINERS:
        return _check_zip_document(file, name, guessed.extension.upper(), guessed.mime)
    kind = ACCEPTED_KINDS.get(mime)
    if kind is None:
        raise _unsupported(name, "detected", format=guessed.extension.upper(), mime=guessed.mime)
    if not kind_is_readable(kind):
        raise refusal(
            name,
            _(
                "it is a %(kind)s, which this server cannot decode (its Pillow has no support for it); "
                "convert it to JPEG or PNG first."
            )
            % {"kind": kind.label},
            "unsupported_type",
        )
    STRUCTURE_CHECKS[kind.mime](file, name, kind)
    return kind


def _unsupported(name: str, found: str, **params: str) -> ValidationError:
    """`found` is a key of UNSUPPORTED; `params` fill its sentence."""
    message = UNSUPPORTED[found] % {**params, "accepted": accepted_kinds_text()}
    return refusal(name, message, "unsupported_type")


def _malformed(name: str, kind: Kind, sentence: str, **params: str) -> ValidationError:
    """`sentence` is a whole one, starting "it starts like a %(kind)s but is not a sound one: "."""
    return refusal(name, sentence % {**params, "kind": kind.label}, "malformed")


def _check_text(file: File, name: str) -> Kind:
    decoder = codecs.getincrementaldecoder("utf-8-sig")("strict")
    tail = ""
    file.seek(0)
    try:
        for chunk in file.chunks(CHUNK_SIZE):
            text = tail + decoder.decode(chunk)
            _refuse_markup(name, text)
            tail = text[-MARKUP_OVERLAP:]
        _refuse_markup(name, tail + decoder.decode(b"", final=True))
    except UnicodeDecodeError:
        raise _unsupported(name, "not_utf8") from None
    return ACCEPTED_KINDS["text/plain"]


def _refuse_markup(name: str, text: str) -> None:
    if SVG_MARKUP.search(text):
        raise _unsupported(name, "svg")
    if HTML_MARKUP.search(text):
        raise _unsupported(name, "html")
    if CONTROL_CHARACTERS.search(text):
        raise _unsupported(name, "control_characters")


def _check_zip_document(file: File, name: str, detected_format: str, detected_mime: str) -> Kind:
    """DOCX and ODT are ZIP archives: the container's own manifest says which, not the first bytes."""
    file.seek(0)
    try:
        archive = zipfile.ZipFile(file)
        entries = {info.filename: info for info in archive.infolist()}
        declared_odt = (
            "mimetype" in entries
            and entries["mimetype"].file_size < 100
            and archive.read("mimetype").strip() == ODT.encode()
        )
        if declared_odt and {"content.xml", "META-INF/manifest.xml"} <= entries.keys():
            return ACCEPTED_KINDS[ODT]
        manifest = entries.get("[Content_Types].xml")
        if manifest is not None and manifest.file_size < 1024 * 1024:
            content_types = archive.read(manifest)
            if b"macroEnabled" in content_types or "word/vbaProject.bin" in entries:
                raise _unsupported(name, "docm")
            if b"wordprocessingml.document.main+xml" in content_types and "word/document.xml" in entries:
                return ACCEPTED_KINDS[DOCX]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        raise _unsupported(name, "damaged", format=detected_format, mime=detected_mime) from None
    raise _unsupported(name, "detected", format=detected_format, mime=detected_mime)


def _check_pdf(file: File, name: str, kind: Kind) -> None:
    file.seek(max(file.size - 1024, 0))
    if b"%%EOF" not in file.read():
        raise _malformed(
            name,
            kind,
            _(
                "it starts like a %(kind)s but is not a sound one: "
                "it has no end-of-file marker (%(marker)s); it may be truncated."
            ),
            marker="%%EOF",
        )


def _check_image(file: File, name: str, kind: Kind) -> None:
    """Header first: the pixel count is checked before a single pixel is decoded. Then every pixel
    is decoded, shrunk as it streams, so that a damaged image is refused here rather than when its
    public copy is made, after the form has been accepted."""
    limit = settings.EVIDENCE_MAX_IMAGE_PIXELS
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file, formats=[kind.pillow_format]) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        too_many = _("the image has more pixels than the limit of %(limit)s.") % {"limit": grouped(limit)}
        raise refusal(name, too_many, "too_many_pixels") from None
    except Exception as error:  # a decoder fed hostile bytes may fail in many ways; each is a refusal
        raise _does_not_decode(name, kind, error.__class__.__name__) from None
    if width * height > limit:
        too_many = _("the image has more pixels than the limit of %(limit)s (%(width)s × %(height)s).") % {
            "limit": grouped(limit),
            "width": grouped(width),
            "height": grouped(height),
        }
        raise refusal(name, too_many, "too_many_pixels")
    if kind.mime == "image/png":
        _check_png_chunks(file, name, kind)
    try:
        shrunk_pixels(file, settings.EVIDENCE_THUMBNAIL_SIDE)
    except pyvips.Error as error:  # its text may be another upload's: libvips keeps one error log
        raise _does_not_decode(name, kind, error.__class__.__name__) from None


def _does_not_decode(name: str, kind: Kind, error: str) -> ValidationError:
    return _malformed(
        name, kind, _("it starts like a %(kind)s but is not a sound one: it does not decode (%(error)s)."), error=error
    )


def _check_png_chunks(file: File, name: str, kind: Kind) -> None:
    """Every chunk's checksum holds and nothing follows IEND: a polyglot hides its second format there."""
    file.seek(8)
    while True:
        header = file.read(8)
        if len(header) < 8:
            raise _malformed(
                name, kind, _("it starts like a %(kind)s but is not a sound one: it ends before its last chunk (IEND).")
            )
        length, chunk_type = struct.unpack(">I4s", header)
        checksum = zlib.crc32(chunk_type)
        remaining = length
        while remaining:
            data = file.read(min(remaining, CHUNK_SIZE))
            if not data:
                raise _malformed(name, kind, _("it starts like a %(kind)s but is not a sound one: it is truncated."))
            checksum = zlib.crc32(data, checksum)
            remaining -= len(data)
        stored = file.read(4)
        if len(stored) < 4 or struct.unpack(">I", stored)[0] != checksum:
            raise _malformed(
                name,
                kind,
                _("it starts like a %(kind)s but is not a sound one: its %(chunk)s chunk is damaged."),
                chunk=repr(chunk_type.decode("latin-1")),
            )
        if chunk_type == b"IEND":
            break
    if file.read(1):
        raise _malformed(
            name,
            kind,
            _(
                "it starts like a %(kind)s but is not a sound one: "
                "data follows the end of the image, as in a file made to pass for two formats."
            ),
        )


def _check_mp4(file: File, name: str, kind: Kind) -> None:
    """The top-level boxes tile the file exactly, starting with `ftyp` and including the `moov` index."""
    position, boxes = 0, []
    while position < file.size:
        file.seek(position)
        header = file.read(8)
        if len(header) < 8:
            raise _malformed(
                name, kind, _("it starts like a %(kind)s but is not a sound one: it ends inside a box header.")
            )
        box_size, box_type = struct.unpack(">I4s", header)
        if box_size == 1:
            box_size = struct.unpack(">Q", file.read(8).rjust(8, b"\0"))[0]
        elif box_size == 0:
            box_size = file.size - position
        if box_size < 8 or position + box_size > file.size:
            raise _malformed(
                name,
                kind,
                _("it starts like a %(kind)s but is not a sound one: its %(box)s box runs past the end of the file."),
                box=repr(box_type.decode("latin-1")),
            )
        boxes.append(box_type)
        position += box_size
    if boxes[0] != b"ftyp" or b"moov" not in boxes:
        raise _malformed(
            name, kind, _("it starts like a %(kind)s but is not a sound one: it has no movie index (moov box).")
        )


def _check_mp3(file: File, name: str, kind: Kind) -> None:
    file.seek(0)
    header = file.read(10)
    offset = 0
    if header[:3] == b"ID3":
        tag_size = (header[6] << 21) | (header[7] << 14) | (header[8] << 7) | header[9]
        offset = 10 + tag_size + (10 if header[5] & 0x10 else 0)
    file.seek(offset)
    window = file.read(4096)  # encoders may leave some padding between the tag and the first frame
    if not any(_is_mp3_frame_header(window[start : start + 4]) for start in range(len(window) - 3)):
        raise _malformed(
            name,
            kind,
            _("it starts like a %(kind)s but is not a sound one: no MPEG layer III audio frame follows its header."),
        )


def _is_mp3_frame_header(frame: bytes) -> bool:
    return (
        frame[0] == 0xFF
        and frame[1] & 0xE0 == 0xE0
        and (frame[1] >> 3) & 0b11 != 0b01  # MPEG version not reserved
        and (frame[1] >> 1) & 0b11 == 0b01  # layer III
        and frame[2] >> 4 not in (0, 15)  # a real bitrate
        and (frame[2] >> 2) & 0b11 != 0b11  # a real sample rate
    )


OGG_AUDIO_CODECS = (b"\x01vorbis", b"OpusHead", b"\x7fFLAC", b"Speex   ")


def _check_ogg(file: File, name: str, kind: Kind) -> None:
    """Pages follow one another to the end of the file, and the first carries an audio codec."""
    position = 0
    while position < file.size:
        file.seek(position)
        header = file.read(27)
        if len(header) < 27 or header[:4] != b"OggS" or header[4] != 0:
            raise _malformed(
                name, kind, _("it starts like a %(kind)s but is not a sound one: its pages do not follow one another.")
            )
        segment_table = file.read(header[26])
        body_size = sum(segment_table)
        if position == 0 and not file.read(8).startswith(OGG_AUDIO_CODECS):
            raise _malformed(
                name,
                kind,
                _(
                    "it starts like a %(kind)s but is not a sound one: "
                    "its first stream is not Vorbis, Opus, FLAC or Speex audio."
                ),
            )
        position += 27 + len(segment_table) + body_size
    if position != file.size:
        raise _malformed(name, kind, _("it starts like a %(kind)s but is not a sound one: its last page is truncated."))


def _check_wav(file: File, name: str, kind: Kind) -> None:
    """A format chunk, then a data chunk; a recording cut short in its data is still accepted."""
    position, seen = 12, set()
    while position + 8 <= file.size:
        file.seek(position)
        chunk_id, chunk_size = struct.unpack("<4sI", file.read(8))
        if chunk_id == b"data":
            if b"fmt " not in seen:
                break
            return
        seen.add(chunk_id)
        position += 8 + chunk_size + (chunk_size & 1)
    raise _malformed(
        name,
        kind,
        _("it starts like a %(kind)s but is not a sound one: it lacks a format chunk followed by audio data."),
    )


STRUCTURE_CHECKS = {
    "application/pdf": _check_pdf,
    "image/jpeg": _check_image,
    "image/png": _check_image,
    "image/webp": _check_image,
    "image/tiff": _check_image,
    "image/heic": _check_image,
    "video/mp4": _check_mp4,
    "audio/mpeg": _check_mp3,
    "audio/ogg": _check_ogg,
    "audio/wav": _check_wav,
}


@dataclass(frozen=True)
class PublicImage:
    image: bytes
    thumbnail: bytes
    extension: str


def shrunk_pixels(file: File, side: int) -> Image.Image:
    """The image in `file`, upright (the camera's orientation applied), in sRGB, at most `side`
    pixels a side, as bare pixels with no metadata at all.

    libvips decodes in strips and shrinks as it goes (JPEG, WebP and HEIC at a reduced scale
    already), so memory follows `side`, not the image. Any decoding error, a truncated file
    included, raises pyvips.Error.
    """
    file.seek(0)
    # libvips reads through these callbacks until the pixels are written out below: `source` must
    # stay referenced until then.
    source = pyvips.SourceCustom()
    source.on_read(file.read)
    source.on_seek(file.seek)
    image = pyvips.Image.thumbnail_source(source, side, height=side, size="down", option_string="fail_on=error")
    image = image.colourspace("srgb")
    mode = "RGBA" if image.hasalpha() else "RGB"
    return Image.frombytes(mode, (image.width, image.height), image.write_to_memory())


def public_copies(file: File) -> PublicImage:
    """Copies rebuilt from pixels alone, so no metadata (EXIF, GPS, XMP, IPTC, maker notes, embedded
    thumbnails, ICC profiles, text chunks) can survive; the camera's orientation is applied first."""
    image = shrunk_pixels(file, settings.EVIDENCE_PUBLIC_IMAGE_SIDE)
    thumbnail = image.copy()
    thumbnail.thumbnail((settings.EVIDENCE_THUMBNAIL_SIDE,) * 2)
    image_format, extension = ("PNG", "png") if image.mode == "RGBA" else ("JPEG", "jpg")
    return PublicImage(_encode(image, image_format), _encode(thumbnail, image_format), extension)


def _encode(image: Image.Image, image_format: str) -> bytes:
    buffer = io.BytesIO()
    options = {"quality": 88, "optimize": True} if image_format == "JPEG" else {"optimize": True}
    image.save(buffer, image_format, **options)
    return buffer.getvalue()
