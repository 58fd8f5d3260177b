"""Nothing staff-only reaches the public: every public URL is walked and searched for marker words.

Each hidden thing carries a unique marker word. PUBLIC_URLS lists every public address; add new
public pages, exports and API endpoints there (placeholders: {incident}, {person},
{organisation}, {provision}, {place}, {case}, {marker}) and they are walked for every record and marker.
"""

import datetime
import io

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile

from appeals.models import Appeal, Intervention
from cases.models import Case, CaseCharge, CaseStage, CustodyPeriod, Sentence
from incidents import workflow
from incidents.models import Charge, Evidence, Incident, Involvement, LegalProvision
from organisations.models import Organisation
from people.models import NameVariant, Person
from places.models import Place
from sources.models import Citation, Source

from .factories import make_incident, make_user

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/incidents/",
    "/incidents/?page=2",
    "/incidents/{incident}/",
    "/incidents/?q={marker}",
    "/incidents/?person={person}",
    "/incidents/?organisation={organisation}",
    "/incidents/?region={place}",
    "/incidents/?charge={provision}&charge_equivalents=1",
    "/incidents/export.csv",
    "/incidents/export.csv?q={marker}",
    "/incidents/export.xlsx",
    "/incidents/export.xlsx?q={marker}",
    "/incidents/involvements.csv",
    "/incidents/involvements.csv?q={marker}",
    "/incidents/involvements.xlsx",
    "/incidents/involvements.xlsx?q={marker}",
    "/incidents/feed.atom",
    "/sitemap.xml",
    "/sitemap-pages.xml",
    "/sitemap-incidents.xml",
    "/sitemap-people.xml",
    "/sitemap-organisations.xml",
    "/sitemap-cases.xml",
    "/api/changes/",
    "/people/",
    "/people/?q={marker}",
    "/people/{person}/",
    "/organisations/",
    "/organisations/?q={marker}",
    "/organisations/{organisation}/",
    "/charges/",
    "/charges/{provision}/",
    "/regions/{place}/",
    "/cases/{case}/",
    "/detained/",
    "/detained/?status=unknown",
    "/detained/?status=unknown&q={marker}",
    "/detained/?status=unknown&region={place}",
    "/detained/export.csv?status=unknown",
    "/api/detained/?status=unknown",
    "/api/detained/?status=unknown&q={marker}",
    "/api/incidents/",
    "/api/incidents/?q={marker}",
    "/api/incidents/{incident}/",
    "/api/people/",
    "/api/people/?q={marker}",
    "/api/organisations/",
    "/api/charges/",
    "/api/popolo/",
    "/api/schema/",
]

MARKERS = {
    "draft": "Aardvarkdraft",
    "submitted": "Bisonsubmitted",
    "rejected": "Caracalrejected",
    "retracted": "Dingoretracted",
    "confidential incident": "Emuconfidential",
    "pending correction": "Fossacorrection",
    "exact location": "Geckoaddress",
    "private notes": "Heronnotes",
    "confidential involvement": "Ibisinvolvement",
    "confidential evidence": "Jackalevidence",
    "confidential person": "Koalaperson",
    "no-consent name": "Lemurname",
    "no-consent name variant": "Marmotvariant",
    "confidential source": "Narwhalsource",
    "source contact": "Ocelotcontact",
    "source notes": "Pumanotes",
    "confidential organisation": "Quailorganisation",
    "person notes": "Ravennotes",
    "review note": "Sealreviewnote",
    "charged without consent": "Tapircharged",
    "sentenced without consent": "Urialsentenced",
    "held without consent": "Vicunaheld",
    "confidential case": "Walruscase",
    "case notes": "Xeruscasenotes",
    "row of a correction": "Yakcorrection",
    "held in a draft incident": "Zebuheld",
    "held in a confidential case": "Addaxheld",
    "appeal text": "Bongoappeal",
    "private response": "Civetresponse",
    "appeal notes": "Dikdiknotes",
    "drafted appeal": "Elanddraft",
    "response file": "Fossaresponsefile",
}


def cite(record, source: Source) -> None:
    Citation.objects.create(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk, source=source, claim="record"
    )


@pytest.fixture
def hidden_records(demo, django_capture_on_commit_callbacks):
    """The hidden records, committed as far as the change feed knows (what a commit runs is run)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_hidden_records()


def make_hidden_records():
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    for status in ("draft", "submitted", "rejected", "retracted"):
        make_incident(status=status, title=f"Incident {MARKERS[status]}", summary=MARKERS[status])
    make_incident(title=f"Incident {MARKERS['confidential incident']}", confidential=True)

    host = make_incident(
        title="Public host incident",
        # Long ago: the people held since then are "status unknown" today, whatever the date.
        start_date=datetime.date(2019, 3, 1),
        location_detail=f"Flat 12, {MARKERS['exact location']}",
        private_notes=MARKERS["private notes"],
        created_by=researcher,
        status="submitted",
        submitted_by=researcher,
    )
    workflow.verify(incident=host, by=verifier, note=MARKERS["review note"])
    Involvement.objects.create(
        incident=host, role="witness", unidentified_actor=MARKERS["confidential involvement"], confidential=True
    )
    Evidence.objects.create(
        incident=host, kind="testimony", description=MARKERS["confidential evidence"], confidential=True
    )
    hidden_person = Person.objects.create(name=f"Anna {MARKERS['confidential person']}", confidential=True)
    Involvement.objects.create(incident=host, role="victim", person=hidden_person)
    unnamed = Person.objects.create(
        name=f"Dana {MARKERS['no-consent name']}",
        consent_to_publish=False,
        private_notes=MARKERS["person notes"],
    )
    NameVariant.objects.create(person=unnamed, name=f"Dana {MARKERS['no-consent name variant']}")
    Involvement.objects.create(incident=host, role="victim", person=unnamed, description="Detained overnight")
    charged = Person.objects.create(name=f"Ilya {MARKERS['charged without consent']}", consent_to_publish=False)
    Charge.objects.create(
        incident=host, person=charged, provision=LegalProvision.objects.get(article="164"), status="charged"
    )
    organisation = Organisation.objects.create(
        name=f"Group {MARKERS['confidential organisation']}", kind="ngo", confidential=True
    )
    Involvement.objects.create(incident=host, role="perpetrator", organisation=organisation)
    cite(host, Source.objects.create(title=f"Report {MARKERS['confidential source']}", confidential=True))
    cite(
        host,
        Source.objects.create(
            title="Public report",
            contact_name=f"Ms {MARKERS['source contact']}",
            contact_details=f"{MARKERS['source contact']}@example.org",
            notes=MARKERS["source notes"],
        ),
    )

    case = Case.objects.create(title="Public host case", private_notes=MARKERS["case notes"])
    case.incidents.add(host)
    CaseCharge.objects.create(case=case, charge=Charge.objects.get(incident=host, person=charged))
    sentenced = Person.objects.create(name=f"Oleg {MARKERS['sentenced without consent']}", consent_to_publish=False)
    Sentence.objects.create(
        case=case, incident=host, person=sentenced, kind="fine", fine_amount=10, fine_currency="KZT"
    )
    Sentence.objects.create(case=case, incident=host, person=hidden_person, kind="imprisonment", term_months=12)
    held = Person.objects.create(name=f"Rita {MARKERS['held without consent']}", consent_to_publish=False)
    CustodyPeriod.objects.create(person=held, incident=host, case=case, kind="police", start_date=host.start_date)
    hidden_case = Case.objects.create(title=f"Case {MARKERS['confidential case']}", confidential=True)
    hidden_case.incidents.add(host)
    draft = Incident.objects.get(status="draft")
    CustodyPeriod.objects.create(
        person=Person.objects.create(name=f"Nina {MARKERS['held in a draft incident']}"),
        incident=draft,
        kind="pre_trial",
        start_date=host.start_date,
    )
    CustodyPeriod.objects.create(
        person=Person.objects.create(name=f"Timur {MARKERS['held in a confidential case']}"),
        incident=host,
        case=hidden_case,
        kind="pre_trial",
        start_date=host.start_date,
    )
    CustodyPeriod.objects.create(
        person=Person.objects.create(name="Public Held Person"),
        incident=host,
        kind="police",
        start_date=host.start_date,
    )
    draft_case = Case.objects.create(title=f"Case {MARKERS['draft']}")
    draft_case.incidents.add(draft)
    CaseStage.objects.create(case=case, incident=draft, kind="appeal", outcome_note=MARKERS["draft"])

    Intervention.objects.create(
        incident=host,
        recipient_organisation=organisation,
        sent_on=host.start_date,
        subject=f"Appeal {MARKERS['appeal text']}",
        text_sent=MARKERS["appeal text"],
        response_received_on=host.start_date,
        response_text=MARKERS["private response"],
        response_file=SimpleUploadedFile(f"{MARKERS['response file']}.pdf", b"%PDF-1.4 answer"),
        notes=MARKERS["appeal notes"],
    )
    Appeal.objects.create(
        template=Appeal.Template.PRESS_RELEASE,
        language="en",
        incident=host,
        title=f"Appeal {MARKERS['drafted appeal']}",
        text=MARKERS["drafted appeal"],
    )
    correction = workflow.propose_correction(incident=host, by=researcher)
    correction.title = f"Incident {MARKERS['pending correction']}"
    correction.save()
    CaseStage.objects.create(case=case, incident=correction, kind="trial", outcome_note=MARKERS["row of a correction"])
    return host


def public_urls() -> list[str]:
    values = {
        "incident": list(Incident.objects.values_list("slug", flat=True)),
        "person": list(Person.objects.values_list("slug", flat=True)),
        "organisation": list(Organisation.objects.values_list("slug", flat=True)),
        "provision": list(LegalProvision.objects.values_list("slug", flat=True)),
        "place": list(Place.objects.filter(incidents__isnull=False).values_list("slug", flat=True).distinct()),
        "case": list(Case.objects.values_list("slug", flat=True)),
        "marker": list(MARKERS.values()),
    }
    urls = []
    for pattern in PUBLIC_URLS:
        placeholders = [name for name in values if "{" + name + "}" in pattern]
        if not placeholders:
            urls.append(pattern)
            continue
        (name,) = placeholders
        urls.extend(pattern.replace("{" + name + "}", value) for value in values[name])
    return urls


def test_no_marker_reaches_any_public_url(client, hidden_records):
    urls = public_urls()
    assert len(urls) > 30
    # The change feed has the public records, so the walk below reads their content there too.
    assert "Public host incident" in client.get("/api/changes/").content.decode()
    for address in urls:
        response = client.get(address)
        assert response.status_code < 500, address
        text = response_text(response).casefold()
        for what, marker in MARKERS.items():
            if marker.casefold() in address.casefold():
                # A search shows back what was typed; what must not appear is a hidden record found by it.
                for path in hidden_paths(marker):
                    assert path not in text, f"{what} found by searching at {address}"
            else:
                assert marker.casefold() not in text, f"{what} leaked at {address}"


def response_text(response) -> str:
    """What a response says: a spreadsheet's cells, else its body as text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
        return "\n".join(str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None)
    return body.decode(errors="replace")


def hidden_paths(marker: str) -> list[str]:
    """The public addresses that records carrying this marker would have, had they leaked."""
    word = marker.casefold()
    slugs = [
        *(
            f"/{slug}/"
            for slug in Incident.objects.exclude(pk__in=Incident.objects.public()).values_list("slug", flat=True)
        ),
        *(
            f"/{slug}/"
            for slug in Person.objects.exclude(pk__in=Person.objects.publicly_named()).values_list("slug", flat=True)
        ),
        *(
            f"/{slug}/"
            for slug in Organisation.objects.exclude(pk__in=Organisation.objects.public()).values_list(
                "slug", flat=True
            )
        ),
    ]
    slugs += [f"/{slug}/" for slug in Case.objects.exclude(pk__in=Case.objects.public()).values_list("slug", flat=True)]
    return [path for path in slugs if word in path]


def test_the_public_host_page_is_really_walked(client, hidden_records):
    """The walk above must see the page that holds the hidden details, and its public parts."""
    html = client.get(hidden_records.get_absolute_url()).content.decode()
    assert "Public host incident" in html
    assert "Person A" in html and "Detained overnight" in html
    assert "Person B" in html  # the charged person without consent
    assert "Public report" in html


def test_the_public_host_case_page_is_really_walked(client, hidden_records):
    html = client.get("/cases/public-host-case/").content.decode()
    assert "Public host case" in html
    assert "Person A" in html and "Person B" in html  # the charged and the sentenced person without consent
    assert "Fine, 10.00 KZT" in html
    assert client.get(f"/cases/case-{MARKERS['confidential case'].casefold()}/").status_code == 404


def test_the_list_of_people_held_is_really_walked(client, hidden_records):
    html = client.get("/detained/?status=unknown").content.decode()
    assert "Public Held Person" in html
    assert "Ajzhangul Amirova" in html
