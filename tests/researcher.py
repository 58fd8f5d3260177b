"""A researcher at work on a Vigil site, in a process of its own (see tests/instances.py).

    python -m tests.researcher populate        evidence files and a source's copy on the demo's incidents
    python -m tests.researcher save NAME       save incidents with evidence files in a loop, printing
                                               `saved TITLE SHA256` once each save has committed; stops
                                               after a save fails (`failed TITLE: ERROR`) or on SIGTERM
    python -m tests.researcher report          the site's state as JSON, for the tests to compare

Saves take the way the admin takes: the upload inspected by content, then the incident, its
evidence record and the file stored in one transaction wrapped by `removing_unrecorded_files`.
"""

import datetime
import io
import json
import signal
import sys
import uuid

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.db import Error, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from PIL import Image  # noqa: E402

from core.backups import row_counts  # noqa: E402
from core.storages import stored_names  # noqa: E402
from evidence_files.files import inspect  # noqa: E402
from evidence_files.models import EvidenceFile, StoredFile  # noqa: E402
from evidence_files.services import removing_unrecorded_files, store_evidence_file  # noqa: E402
from evidence_files.storage import evidence_storage  # noqa: E402
from incidents.models import Evidence, Incident, IncidentType  # noqa: E402
from places.models import Place  # noqa: E402
from sources.models import Source  # noqa: E402

TITLE_PREFIX = "Saved by "


def upload(number: int, label: str) -> ContentFile:
    """Content of its own for each save (evidence is stored by content): a photo, or a statement."""
    if number % 3 == 0:
        buffer = io.BytesIO()
        Image.frombytes("RGB", (8, 6), uuid.uuid4().bytes * 9).save(buffer, "PNG")
        return ContentFile(buffer.getvalue(), name=f"photo-{number}.png")
    return ContentFile(f"Statement {label}, {uuid.uuid4()}.\n".encode(), name=f"statement-{number}.txt")


def save_incident_with_evidence(title: str, number: int, user) -> str:
    content = upload(number, title)
    kind = inspect(content, content.name)
    with removing_unrecorded_files(), transaction.atomic():
        incident = Incident.objects.create(
            title=title,
            incident_type=IncidentType.objects.get(slug="arrest"),
            start_date=datetime.date(2021, 1, 1) + datetime.timedelta(days=number % 365),
            place=Place.objects.get(iso_code="KZ"),
            status=Incident.Status.VERIFIED,
        )
        evidence = Evidence.objects.create(incident=incident, kind="document", description=f"Evidence of {title}")
        attachment, _ = store_evidence_file(evidence=evidence, upload=content, kind=kind, uploaded_by=user)
    return attachment.stored_file.sha256


def researcher(name: str):
    user, _ = get_user_model().objects.get_or_create(username=name, defaults={"is_staff": True})
    return user


def populate() -> None:
    user = researcher("populating-researcher")
    for number, incident in enumerate(Incident.objects.order_by("pk")[:6]):
        content = upload(number, incident.title)
        evidence = Evidence.objects.create(incident=incident, kind="document", description="A copy")
        store_evidence_file(evidence=evidence, upload=content, kind=inspect(content, content.name), uploaded_by=user)
    source = Source(title="Court ruling, scanned")
    source.file.save("ruling.txt", ContentFile(b"The court ruled.\n"))
    print(f"{StoredFile.objects.count()} stored evidence files, 1 source copy")


def save_in_a_loop(name: str) -> None:
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    user = researcher(name)
    number = 0
    while not stopping:
        number += 1
        title = f"{TITLE_PREFIX}{name}, number {number}"
        try:
            sha256 = save_incident_with_evidence(title, number, user)
        except Error as error:  # the database gone: a DatabaseError, or an InterfaceError
            print(f"failed {title}: {error}".replace("\n", " "), flush=True)
            return
        print(f"saved {title}|{sha256}", flush=True)


def report() -> None:
    saved = {}
    for attachment in EvidenceFile.objects.filter(evidence__incident__title__startswith=TITLE_PREFIX).select_related(
        "evidence__incident", "stored_file"
    ):
        saved.setdefault(attachment.evidence.incident.title, []).append(attachment.stored_file.sha256)
    recorded = set()
    for names in StoredFile.objects.values_list("original", "public_image", "thumbnail"):
        recorded.update(name for name in names if name)
    response = Client().get("/incidents/export.csv")
    csv = b"".join(response.streaming_content) if response.streaming else response.content
    state = {
        "row_counts": row_counts(),
        "saved": saved,
        "recorded_files": sorted(recorded),
        "stored_files": sorted(stored_names(evidence_storage)) if evidence_storage.exists("") else [],
        "csv_status": response.status_code,
        "csv": csv.decode(),
    }
    json.dump(state, sys.stdout)


if __name__ == "__main__":
    action, *arguments = sys.argv[1:]
    {"populate": populate, "save": save_in_a_loop, "report": report}[action](*arguments)
