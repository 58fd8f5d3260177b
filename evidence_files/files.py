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

# What makes an accepted kind of document unsafe to open, one whole sentence for each.
HOSTILE = {
    "pdf_javascript": gettext_lazy(
        "it is a PDF document with JavaScript in it, which a PDF reader may run as soon as the file is opened; "
        "it is not accepted. Print it to a new PDF, which leaves scripts out, and upload that copy."
    ),
    "pdf_launch": gettext_lazy(
        "it is a PDF document with an action that starts another program (Launch), which is not accepted. "
        "Print it to a new PDF, which leaves actions out, and upload that copy."
    ),
    "pdf_embedded_file": gettext_lazy(
        "it is a PDF document with other files embedded in it, which is not accepted. "
        "Upload those files on their own, and the document printed to a new PDF without them."
    ),
    "pdf_objects_too_large": gettext_lazy(
        "it is a PDF document whose compressed objects unpack to more than %(limit)s, too much to check; "
        "it is not accepted."
    ),
    "pdf_objects_unreadable": gettext_lazy(
        "it is a PDF document whose compressed objects cannot be unpacked to check them for scripts; "
        "it is not accepted. Print it to a new PDF and upload that copy."
    ),
    "zip_too_large": gettext_lazy(
        "it is a %(kind)s whose parts unpack to %(size)s, more than the limit of %(limit)s; it is not accepted."
    ),
    "zip_ratio": gettext_lazy(
        "it is a %(kind)s with a part that unpacks to %(ratio)s times its stored size, as in a file made to "
        "exhaust the memory of whoever opens it; it is not accepted."
    ),
}

# PDF names that make a reader run code or hand over other files: JavaScript (what an /OpenAction
# or /AA runs when its /S is /JavaScript), an action that starts a program, embedded files.
PDF_ACTIVE_NAMES = {
    b"JS": "pdf_javascript",
    b"JavaScript": "pdf_javascript",
    b"Launch": "pdf_launch",
    b"EmbeddedFile": "pdf_embedded_file",
    b"EmbeddedFiles": "pdf_embedded_file",
}
PDF_TOKEN = re.compile(
    rb"(?=[/o>])"  # lets the regex engine skip ahead to where a token may start
    rb"(?:/(?P<name>[^\x00\t\n\x0c\r /<>\[\]()%{}]*)"  # a name, up to the next delimiter
    rb"|(?<![A-Za-z])(?P<object>obj)(?![A-Za-z])"  # the start of an indirect object
    rb"|>>\s*(?P<stream>stream)(?:\r\n|\n))"  # the start of a stream's data, after its dictionary
)
PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
PDF_TOKEN_OVERLAP = 64  # longer than any name above, even written with #xx escapes
PDF_FILTERS_OTHER_THAN_FLATE = {
    b"ASCIIHexDecode",
    b"ASCII85Decode",
    b"LZWDecode",
    b"RunLengthDecode",
    b"Crypt",
    b"AHx",
    b"A85",
    b"LZW",
    b"RL",
}
# The names of a stream's dictionary that say whether it is an object stream and how to read it.
PDF_OBJECT_STREAM_NAMES = {b"ObjStm", b"Filter", b"FlateDecode", *PDF_FILTERS_OTHER_THAN_FLATE}
# Object streams hold dictionaries and arrays only: even a document of a million objects packs
# them in less than this.
PDF_MAX_UNPACKED_OBJECTS = 64 * 1024 * 1024

# ZIP-based documents: the sizes that their central directory declares, read without unpacking.
# Text parts of a real document shrink 5 to 30 times in a ZIP; a part that shrinks more than
# ZIP_MAX_RATIO times and unpacks to more than ZIP_RATIO_GRACE is made of repetition, the shape of a
# file made to exhaust memory. Photos in a document barely shrink at all, so the total limit is well
# above the upload limit.
ZIP_MAX_UNPACKED_SIZE = 512 * 1024 * 1024
ZIP_MAX_RATIO = 100
ZIP_RATIO_GRACE = 1024 * 1024


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
            return _within_unpacked_limits(archive, name, ACCEPTED_KINDS[ODT])
        manifest = entries.get("[Content_Types].xml")
        if manifest is not None and manifest.file_size < 1024 * 1024:
            content_types = archive.read(manifest)
            if b"macroEnabled" in content_types or "word/vbaProject.bin" in entries:
                raise _unsupported(name, "docm")
            if b"wordprocessingml.document.main+xml" in content_types and "word/document.xml" in entries:
                return _within_unpacked_limits(archive, name, ACCEPTED_KINDS[DOCX])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, EOFError):
        raise _unsupported(name, "damaged", format=detected_format, mime=detected_mime) from None
    raise _unsupported(name, "detected", format=detected_format, mime=detected_mime)


def _within_unpacked_limits(archive: zipfile.ZipFile, name: str, kind: Kind) -> Kind:
    """`kind`, once the sizes that the archive's central directory declares are within the limits.

    Nothing is unpacked. An archive could declare less than its parts really unpack to: this
    check does not see that, and Python's zipfile, which reads the manifest above, stops at the
    declared size whatever the data says.
    """
    total = 0
    for entry in archive.infolist():
        total += entry.file_size
        if entry.file_size > ZIP_RATIO_GRACE and entry.file_size > ZIP_MAX_RATIO * entry.compress_size:
            ratio = entry.file_size // max(entry.compress_size, 1)
            message = HOSTILE["zip_ratio"] % {"kind": kind.label, "ratio": grouped(ratio)}
            raise refusal(name, message, "zip_ratio")
    if total > ZIP_MAX_UNPACKED_SIZE:
        message = HOSTILE["zip_too_large"] % {
            "kind": kind.label,
            "size": filesizeformat(total),
            "limit": filesizeformat(ZIP_MAX_UNPACKED_SIZE),
        }
        raise refusal(name, message, "zip_too_large")
    return kind


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
    scan = _PdfText(_UnpackedBudget())
    file.seek(0)
    try:
        for piece in file.chunks(CHUNK_SIZE):
            scan.feed(piece)
        scan.feed(b"", final=True)
        if scan.unreadable_object_stream and not scan.encrypted:
            raise _PdfRefused("pdf_objects_unreadable")
    except _PdfRefused as refused:
        message = HOSTILE[refused.code] % {"limit": filesizeformat(PDF_MAX_UNPACKED_OBJECTS)}
        raise refusal(name, message, refused.code) from None


class _PdfRefused(Exception):
    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


class _UnpackedBudget:
    """What is left of PDF_MAX_UNPACKED_OBJECTS, shared by every object stream of one document."""

    def __init__(self):
        self.left = PDF_MAX_UNPACKED_OBJECTS

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise _PdfRefused("pdf_objects_too_large")


class _PdfText:
    """Reads a PDF front to back, fed in pieces, and raises _PdfRefused at the first name of
    PDF_ACTIVE_NAMES, whether written plainly, with #xx escapes (/J#61vaScript), or packed in a
    compressed object stream.

    Names are read in the PDF's text, not in the data of its streams: images and fonts are binary,
    and in a large file a short name such as /JS turns up in them by chance. A stream's data runs
    from the `stream` keyword after its dictionary to the next `endstream`. Object streams
    (/Type /ObjStm, PDF 1.5 and later) hold the dictionaries that would otherwise be text, so their
    data is inflated and read like the text. One that cannot be inflated (a filter other than
    FlateDecode, or data that is not a deflate stream) is noted in `unreadable_object_stream`: in an
    encrypted document every stream is, and its other objects are still read.

    This is a scan, not a parser: it does not follow the cross-reference table, so a document
    crafted to show a reader objects hidden inside what looks like a stream's data, or behind a
    `stream` keyword written inside a string, would pass. It stops the features that ordinary
    malicious PDFs use and their common disguises.
    """

    def __init__(self, budget: _UnpackedBudget, *, has_streams: bool = True):
        self.budget = budget
        self.has_streams = has_streams
        self.pending = b""
        self.in_stream = False
        self.names_of_object: set[bytes] = set()
        self.encrypted = False
        self.object_stream: _ObjectStream | None = None
        self.unreadable_object_stream = False

    def feed(self, piece: bytes, *, final: bool = False) -> None:
        text = self.pending + piece
        position = 0
        while True:
            if self.in_stream:
                end = text.find(b"endstream", position)
                data_end = end if end >= 0 else max(position, len(text) - len(b"endstream"))
                if self.object_stream is not None:
                    self.object_stream.feed(text[position:data_end])
                position = data_end
                if end < 0:
                    break
                self._end_stream()
                position += len(b"endstream")
                continue
            match = PDF_TOKEN.search(text, position)
            if match is None or (not final and match.start() > len(text) - PDF_TOKEN_OVERLAP):
                position = len(text) if final else max(position, len(text) - PDF_TOKEN_OVERLAP)
                break
            position = match.end()
            if match["name"] is not None:
                self._read_name(match["name"])
            elif match["object"]:
                self.names_of_object = set()
            elif self.has_streams:
                self._start_stream()
        self.pending = text[position:]
        if final and self.in_stream:
            self._end_stream()

    def _read_name(self, name: bytes) -> None:
        if b"#" in name:
            name = PDF_NAME_ESCAPE.sub(lambda escape: bytes([int(escape[1], 16)]), name)
        if name in PDF_ACTIVE_NAMES:
            raise _PdfRefused(PDF_ACTIVE_NAMES[name])
        if name in PDF_OBJECT_STREAM_NAMES:
            self.names_of_object.add(name)
        self.encrypted |= name == b"Encrypt"

    def _start_stream(self) -> None:
        self.in_stream = True
        names = self.names_of_object
        if b"ObjStm" not in names:
            return
        if b"Filter" not in names:
            self.object_stream = _ObjectStream(self.budget, inflate=False)
        elif b"FlateDecode" in names and not names & PDF_FILTERS_OTHER_THAN_FLATE:
            self.object_stream = _ObjectStream(self.budget, inflate=True)
        else:
            self.unreadable_object_stream = True

    def _end_stream(self) -> None:
        if self.object_stream is not None:
            self.unreadable_object_stream |= not self.object_stream.finish()
        self.in_stream = False
        self.object_stream = None
        self.names_of_object = set()


class _ObjectStream:
    """The data of one object stream, inflated as it comes, within the document's budget, and read
    as PDF text."""

    def __init__(self, budget: _UnpackedBudget, *, inflate: bool):
        self.budget = budget
        self.inflater = zlib.decompressobj() if inflate else None
        self.text = _PdfText(budget, has_streams=False)
        self.started = False
        self.readable = True

    def feed(self, data: bytes) -> None:
        if not self.started:
            data = data.lstrip(b"\r\n")  # the end of line after `stream`; no deflate stream starts so
            self.started = bool(data)
        if not data or not self.readable:
            return
        if self.inflater is None:
            self.budget.spend(len(data))
            self.text.feed(data)
            return
        try:
            while data and not self.inflater.eof:
                unpacked = self.inflater.decompress(data, CHUNK_SIZE)
                self.budget.spend(len(unpacked))
                self.text.feed(unpacked)
                data = self.inflater.unconsumed_tail
        except zlib.error:
            self.readable = False

    def finish(self) -> bool:
        """Reads what is left; whether the whole stream could be read."""
        self.text.feed(b"", final=True)
        return self.readable and (self.inflater is None or self.inflater.eof)


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
