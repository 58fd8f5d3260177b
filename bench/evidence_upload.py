"""How fast and in how much memory an evidence upload streams in, is hashed and is inspected.

    DEBUG=1 .venv/bin/python bench/evidence_upload.py [megabytes]

Builds a multipart request body of plain text on disk, feeds it to Django's multipart parser with
the project's upload handler, then runs the content inspection. Prints throughput and the peak
resident memory, which must stay far below the file size: nothing holds the whole file.
"""

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.http.multipartparser import MultiPartParser  # noqa: E402

from evidence_files.files import inspect  # noqa: E402
from evidence_files.uploads import HashingUploadHandler  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(megabytes: int) -> None:
    boundary = "bench-boundary"
    line = "Witness statement, line of plain UTF-8 text: Айжангуль Амирова, Aktau, 6 January 2012.\n".encode()
    with tempfile.TemporaryFile() as body:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="add_files"; filename="statement.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n".encode()
        )
        block = line * (1024 * 1024 // len(line))
        for _ in range(megabytes):
            body.write(block)
        body.write(f"\r\n--{boundary}--\r\n".encode())
        length = body.tell()
        body.seek(0)
        meta = {"CONTENT_TYPE": f"multipart/form-data; boundary={boundary}", "CONTENT_LENGTH": str(length)}
        before = peak_rss_mb()
        started = time.perf_counter()
        _, files = MultiPartParser(meta, body, [HashingUploadHandler()]).parse()
        upload = files["add_files"]
        parsed = time.perf_counter()
        kind = inspect(upload, upload.name)
        inspected = time.perf_counter()
    size_mb = upload.size / 1024 / 1024
    print(f"file: {size_mb:.0f} MB, detected {kind.label}, SHA-256 {upload.sha256[:16]}…")
    print(f"stream + hash: {parsed - started:.2f} s ({size_mb / (parsed - started):.0f} MB/s)")
    print(f"inspection:    {inspected - parsed:.2f} s ({size_mb / (inspected - parsed):.0f} MB/s)")
    print(f"peak resident memory: {peak_rss_mb():.0f} MB (before the upload: {before:.0f} MB)")
    upload.close()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 150)
