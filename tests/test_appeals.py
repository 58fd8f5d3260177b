"""Appeals: drafted from verified, public facts with numbered sources, edited by staff, made
final, downloaded as PDF, DOCX and Markdown, and recorded as sent."""

import datetime
import io
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from docx import Document

from appeals.demo import WRITTEN_ON
from appeals.documents import docx_of, html_of, missing_glyphs, pdf_document, pdf_of
from appeals.drafting import candidate_incidents, draft_text, gather_facts
from appeals.models import Appeal, Intervention
from incidents.models import Incident
from organisations.models import Organisation
from people.models import NameVariant, Person
from sources.models import Citation, Source

from .factories import involve, make_incident, make_person, make_user

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
SHOOTING = "shooting-amirova-saktaganova-zhanaozen-2011"
# Every name the seed document gives, as written there, and their Russian spellings in the demo,
# and the letters of the Kazakh alphabet that Russian lacks.
SEED_NAMES = [
    "Ajzhangul Ersaynovna Amirova",
    "Ayzhangul",
    "Shalabaev Amirovich Salamat",
    "Natalia Sokolova",
    "Elmurat Amirov",
    "Zhanar Saktaganova",
    "Timur Kulibayev",
    "Ludmila Kozlovska",
    "Halyk Maidan",
    "Samruk-Kazyna",
    "Open Dialog Foundation",
]
KAZAKH_LETTERS = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"


def draft(template=Appeal.Template.UN_COMMUNICATION, language="en", slug=ARREST, today=None) -> str:
    incident = Incident.objects.get(slug=slug)
    facts = gather_facts(candidate_incidents(incident=incident), language, today or timezone.localdate(), incident)
    return draft_text(template=template, language=language, facts=facts, today=today or timezone.localdate())[1]


def appeal_of(text: str, language: str = "en", **fields) -> Appeal:
    arrest = Incident.objects.get(slug=ARREST)
    return Appeal.objects.create(
        template="press", language=language, incident=arrest, title="Appeal", text=text, **fields
    )


def test_a_un_communication_holds_the_elements_the_special_procedures_ask_for_with_numbered_sources(demo):
    text = draft()
    for heading in (
        "## 1. Alleged victims",
        "## 2. Alleged perpetrators",
        "## 3. Date, place and facts",
        "## 4. Charges",
        "## 5. Domestic remedies pursued",
        "Action requested",
        "## Sources",
    ):
        assert heading in text
    assert "- Ajzhangul Amirova, Opposition activist" in text
    assert "Law enforcement agencies of Kazakhstan: Carried out the arrest. [1]" in text
    assert "6 January 2012, 09:30, Aktau International Airport, Aktau" in text
    assert "Article 164 (Incitement of social, national, clan, racial or religious discord), charged" in text
    assert "1. Emergency announcement: new arrests in Zhanaozen, Open Dialog Foundation, 2012-01-06" in text


def test_a_draft_in_russian_uses_the_russian_spelling_of_names_and_russian_headings(demo):
    text = draft(language="ru")
    assert "Айжангуль Амирова" in text and "Ajzhangul Amirova:" not in text
    assert "## 4. Обвинения" in text and "## Источники" in text
    # The records' summaries are in English: the draft says they are to be translated.
    assert "[Некоторые факты ниже" in text


def test_each_template_draws_on_the_same_facts(demo):
    press = draft(Appeal.Template.PRESS_RELEASE)
    letter = draft(Appeal.Template.AUTHORITY_LETTER)
    assert press.startswith("# Emergency announcement: Ajzhangul Amirova arrested at Aktau airport")
    assert letter.startswith("[Name and title of the addressee]")
    for text in (press, letter):
        assert "Ajzhangul Amirova: Kazakhstan, Penal Code (1997), Article 164" in text
        assert "## Sources" in text


def test_a_draft_states_nothing_the_public_pages_do_not(demo):
    arrest = Incident.objects.get(slug=ARREST)
    hidden_person = make_person("Secret Witness", confidential=True)
    involve(arrest, "witness", person=hidden_person)
    unnamed = make_person("Gulnara Unnamed", consent_to_publish=False)
    involve(arrest, "victim", person=unnamed, description="Detained with her")
    secret_source = Source.objects.create(title="Informant's note", confidential=True)
    Citation.objects.create(cited_record=arrest, source=secret_source, claim="date")
    confidential_row = involve(arrest, "victim", person=make_person("Hidden Victim"), confidential=True)
    make_incident(title="Unverified search", status=Incident.Status.DRAFT)
    text = draft()
    assert "Person A: Detained with her." in text and "Gulnara" not in text
    for secret in ("Secret Witness", "Informant's note", "Hidden Victim", "Unverified search", "building 62"):
        assert secret not in text
    assert confidential_row.person.name not in text


def test_names_and_summaries_are_text_not_markdown(demo):
    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, "victim", person=make_person("Star *Name* [1](javascript:x)"))
    text = draft()
    assert r"Star \*Name\* \[1\](javascript:x)" in text
    html = html_of(text)
    assert "Star *Name* [1](javascript:x)" in html and "<em>Name</em>" not in html


def test_a_researcher_drafts_edits_makes_final_downloads_and_records_the_sending(signed_in, demo):
    client = signed_in("Researcher")
    arrest = Incident.objects.get(slug=ARREST)
    page = client.get(f"/admin/incidents/incident/{arrest.pk}/change/").content.decode()
    assert f"/admin/appeals/appeal/draft/?incident={arrest.pk}" in page
    form = client.get(f"/admin/appeals/appeal/draft/?incident={arrest.pk}").content.decode()
    assert "Halyk Maidan office in Aktau searched" in form and "Write the draft" in form
    response = client.post(
        f"/admin/appeals/appeal/draft/?incident={arrest.pk}",
        {"template": "letter", "language": "ru", "incidents": [arrest.pk]},
    )
    appeal = Appeal.objects.get(incident=arrest, template="letter")
    assert response.status_code == 302 and response["Location"] == f"/admin/appeals/appeal/{appeal.pk}/change/"
    assert appeal.created_by == client.user and list(appeal.incidents.all()) == [arrest]
    assert "Халык" not in appeal.text and "Айжангуль Амирова" in appeal.text
    assert "Halyk Maidan office" not in appeal.text  # only the incident chosen

    edited = appeal.text.replace("[Имя и должность адресата]", "Генеральному прокурору").strip()
    client.post(f"/admin/appeals/appeal/{appeal.pk}/change/", {"title": appeal.title, "text": edited})
    appeal.refresh_from_db()
    assert appeal.text.startswith("Генеральному прокурору")

    client.post(f"/admin/appeals/appeal/{appeal.pk}/make-final/")
    appeal.refresh_from_db()
    assert appeal.is_final and appeal.finalised_by == client.user
    client.post(f"/admin/appeals/appeal/{appeal.pk}/change/", {"title": "Changed", "text": "Changed"})
    appeal.refresh_from_db()
    assert appeal.text == edited, "a final appeal's text never changes"
    assert {record.text for record in appeal.history.filter(status="final")} == {edited}
    assert appeal.history.filter(status="draft").exists()

    pdf = client.get(f"/admin/appeals/appeal/{appeal.pk}/download.pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="appeal-' in pdf["Content-Disposition"]
    docx = client.get(f"/admin/appeals/appeal/{appeal.pk}/download.docx")
    paragraphs = [paragraph.text for paragraph in Document(io.BytesIO(docx.content)).paragraphs]
    assert paragraphs[0] == "Генеральному прокурору\n[Орган и адрес]", "the addressee's lines kept apart"
    markdown = client.get(f"/admin/appeals/appeal/{appeal.pk}/download.md")
    assert markdown.content.decode() == edited
    preview = client.get(f"/admin/appeals/appeal/{appeal.pk}/preview/").content.decode()
    assert "<h2>Источники</h2>" in preview

    sending = client.get(f"/admin/appeals/intervention/add/?appeal={appeal.pk}").content.decode()
    assert "Генеральному прокурору" in sending and f'value="{appeal.title}"' in sending


def test_an_appeal_is_drafted_only_from_verified_facts(signed_in, demo):
    draft_incident = make_incident(title="Not yet verified", status=Incident.Status.DRAFT)
    client = signed_in("Researcher")
    page = client.get(f"/admin/appeals/appeal/draft/?incident={draft_incident.pk}").content.decode()
    assert "an appeal is drafted only from verified facts" in page and "Write the draft" not in page
    refused = client.post(
        f"/admin/appeals/appeal/draft/?incident={draft_incident.pk}",
        {"template": "un", "language": "en", "incidents": [draft_incident.pk]},
    )
    assert "an appeal is drafted only from verified facts" in refused.content.decode()
    assert not Appeal.objects.filter(incident=draft_incident).exists()
    assert client.get("/admin/appeals/appeal/draft/?incident=999999").status_code == 404
    assert client.get("/admin/appeals/appeal/draft/?incident=abc").status_code == 404


def test_a_person_or_a_case_gives_their_public_incidents(demo):
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    slugs = set(candidate_incidents(person=amirova).values_list("slug", flat=True))
    assert {ARREST, SHOOTING} <= slugs
    assert not candidate_incidents(person=make_person("Nobody")).exists()


def test_only_staff_roles_draft_appeals(client, signed_in, demo):
    arrest = Incident.objects.get(slug=ARREST)
    address = f"/admin/appeals/appeal/draft/?incident={arrest.pk}"
    assert client.get(address).status_code == 302  # to the sign-in page
    client.force_login(make_user(None))
    assert client.get(address).status_code == 403
    appeal = appeal_of("Text")
    assert client.get(f"/admin/appeals/appeal/{appeal.pk}/download.pdf").status_code == 403
    assert signed_in("Verifier").get(address).status_code == 200


def test_every_character_of_the_seed_names_has_a_glyph_in_the_pdf(demo):
    variants = list(NameVariant.objects.filter(language__in=["ru", "kk"]).values_list("name", flat=True))
    assert "Айжангуль Амирова" in variants
    names = [*SEED_NAMES, *variants, KAZAKH_LETTERS]
    text = "\n\n".join(
        [f"# {names[0]}", *names, *(f"**{name}** *{name}*" for name in names), *(f"- {name}" for name in names)]
    )
    pdf = pdf_document(appeal_of(text, language="kk"))
    assert missing_glyphs(pdf) == []
    assert len(pdf.fonts) == 4, "regular, bold, italic and bold italic all embedded"
    control = pdf_document(appeal_of("Чжан 张"))
    assert missing_glyphs(control) == ["张"], "a character without a glyph is caught"


def test_rendering_makes_no_network_request(demo, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("no network in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    appeal = appeal_of(
        "# Title\n\n![photo](http://example.com/photo.png) <img src='http://example.com/x.png'>\n\n"
        "[a link](http://example.com/)\n\n" + draft(Appeal.Template.PRESS_RELEASE)
    )
    assert pdf_of(appeal).startswith(b"%PDF")
    assert docx_of(appeal).startswith(b"PK")
    html = html_of(appeal.text)
    assert "<img" not in html and "&lt;img" in html
    assert attempts == []


def test_the_demo_appeal_carries_the_facts_of_the_seed(demo):
    appeal = Appeal.objects.get(incident__slug=ARREST, template=Appeal.Template.PRESS_RELEASE)
    text = appeal.text
    assert appeal.status == Appeal.Status.DRAFT and WRITTEN_ON.isoformat() in text
    for fact in (
        "Ajzhangul Amirova arrested at Aktau airport",
        "09:30",
        "Article 164",
        "Halyk Maidan office in Aktau searched",
        "a private laptop, a printer and papers were taken",
        "8 October 2011",
        "Zhanar Saktaganova",
        "police custody, since 6 January 2012",
        "Open Dialog Foundation",
    ):
        assert fact in text
    assert "no source has confirmed" not in text, "written on the day of the arrest"


def test_a_response_received_as_a_file_is_kept_for_staff_only(signed_in, client, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    intervention = Intervention.objects.create(
        incident=Incident.objects.get(slug=ARREST),
        recipient_organisation=Organisation.objects.get(slug="kazakhstan-law-enforcement"),
        sent_on=datetime.date(2012, 1, 7),
        subject="Release",
        text_sent="Text",
        response_received_on=datetime.date(2012, 2, 1),
        response_file=SimpleUploadedFile("answer.pdf", b"%PDF-1.4 the prosecutor's answer"),
    )
    address = f"/admin/appeals/intervention/{intervention.pk}/response-file/"
    download = signed_in("Researcher").get(address)
    assert b"".join(download.streaming_content) == b"%PDF-1.4 the prosecutor's answer"
    assert 'filename="answer' in download["Content-Disposition"]
    assert client.get(address).status_code == 302
    assert b"answer" not in client.get(f"/incidents/{ARREST}/").content
