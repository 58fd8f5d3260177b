"""Criminal cases: the case page, sentences as a whole per judgment, the public rule and entry."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case, CaseCharge, CaseStage, Sentence
from incidents import workflow
from incidents.models import Charge, Incident, LegalProvision
from organisations.models import Organisation
from people.models import Person

from .factories import admin_form_data, make_incident, make_person, make_provision, make_user

pytestmark = pytest.mark.django_db

SOKOLOVA = "/cases/natalia-sokolova-article-164/"
AMIROVA = "/cases/ajzhangul-amirova-article-164/"


def make_case(incident: Incident, **fields) -> Case:
    case = Case.objects.create(title=fields.pop("title", f"Case of {incident.title}"), **fields)
    case.incidents.add(incident)
    return case


def charge(case: Case, incident: Incident, person: Person, provision: LegalProvision, status="convicted") -> Charge:
    made = Charge.objects.create(incident=incident, person=person, provision=provision, status=status)
    CaseCharge.objects.create(case=case, charge=made)
    return made


def test_the_demo_case_page_shows_the_conviction_and_the_six_years(client, demo):
    html = client.get(SOKOLOVA).content.decode()
    assert "Prosecution of Natalia Sokolova" in html
    assert "Article 164" in html and "convicted" in html
    assert "Imprisonment, 6 years" in html
    assert "Trial" in html and "Found guilty under Article 164" in html
    assert "Emergency announcement: new arrests in Zhanaozen" in html
    assert "medium confidence" in html  # the sentence's source, as the announcement mentions it in passing
    assert 'href="/incidents/natalia-sokolova-conviction/"' in html


def test_the_case_page_reads_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    client.get(AMIROVA)  # content types cached
    # The case, its incidents, charges, stages, sentences, custody periods and every citation.
    with django_assert_num_queries(7):
        response = client.get(AMIROVA)
    assert response.status_code == 200


def test_a_combined_sentence_is_shown_once_not_added_up_per_article(client, demo):
    verdict = make_incident(title="Verdict in the Zhanaozen case")
    person = make_person("Roza Tuletaeva")
    case = make_case(verdict, title="Zhanaozen strikers case", number="1-7/2012")
    for article in ("164", "170", "241"):
        provision = LegalProvision.objects.filter(article=article).first() or make_provision(article)
        charge(case, verdict, person, provision)
    Sentence.objects.create(case=case, incident=verdict, person=person, kind="imprisonment", term_months=90)
    html = client.get(case.get_absolute_url()).content.decode()
    assert html.count("Imprisonment, 7 years 6 months") == 1
    assert "22 years" not in html
    assert "1-7/2012" in html


def test_a_sentence_describes_kind_regime_fine_and_additional_penalties(demo):
    sentence = Sentence(
        kind="imprisonment", term_months=18, regime="strict", confiscation=True, activity_ban="journalism"
    )
    sentence.activity_ban_months = 36
    assert sentence.description == (
        "imprisonment, 1 year 6 months, strict regime; confiscation of property; banned from journalism for 3 years"
    )
    fine = Sentence(kind="fine", fine_amount=500000, fine_currency="KZT")
    assert fine.description == "fine, 500\u00a0000.00 KZT"


def test_a_case_is_public_only_through_a_public_incident(client, demo):
    draft = make_incident(status="draft", title="Arrest not yet verified")
    case = make_case(draft, title="Case not yet public")
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(case.get_permanent_url()).status_code == 404
    case.incidents.add(make_incident())
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(case.get_permanent_url())["Location"] == case.get_absolute_url()
    case.confidential = True
    case.save()
    assert client.get(case.get_absolute_url()).status_code == 404


def test_rows_of_an_unpublished_incident_stay_off_a_public_case(client, demo):
    case = Case.objects.get(slug="natalia-sokolova-article-164")
    draft = make_incident(status="draft", title="Appeal hearing draft")
    CaseStage.objects.create(case=case, incident=draft, kind="appeal", outcome_note="Zebrafinch appeal")
    assert "Zebrafinch" not in client.get(SOKOLOVA).content.decode()


def test_a_defendant_without_consent_is_pseudonymised_on_the_case_page(client, demo):
    verdict = make_incident()
    hidden = make_person("Gulnara Withheld", consent_to_publish=False)
    case = make_case(verdict)
    charge(case, verdict, hidden, LegalProvision.objects.get(article="164"))
    Sentence.objects.create(
        case=case, incident=verdict, person=hidden, kind="fine", fine_amount=100, fine_currency="KZT"
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Withheld" not in html and "gulnara" not in html.casefold()
    assert "Person A" in html and "Fine, 100.00 KZT" in html


def test_judge_and_prosecutor_are_named_only_when_they_may_be(client, demo):
    verdict = make_incident()
    case = make_case(verdict)
    court = Organisation.objects.create(name="Zhanaozen City Court", kind="court")
    judge = make_person("Judge Aidos Named")
    prosecutor = make_person("Prosecutor Unnamed", consent_to_publish=False)
    CaseStage.objects.create(
        case=case, incident=verdict, kind="trial", court=court, judge=judge, prosecutor=prosecutor, outcome="convicted"
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Zhanaozen City Court" in html and "Judge Aidos Named" in html
    assert "Prosecutor Unnamed" not in html


# Entry in the admin


def sentence_form(client, case: Case, **row) -> dict:
    page = client.get(reverse("admin:cases_case_change", args=[case.pk]))
    data = admin_form_data(page)
    prefix = "sentences"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(total + 1)
    for name, value in row.items():
        data[f"{prefix}-{total}-{name}"] = str(value)
    data.setdefault(f"{prefix}-{total}-judgment_date_precision", "day")
    return data


@pytest.fixture
def draft_case(demo):
    verdict = make_incident(status="draft", title="Verdict, draft")
    person = make_person("Maks Bokaev")
    case = make_case(verdict)
    return case, verdict, person


def test_a_regime_on_a_fine_is_a_form_error(staff_client, draft_case):
    case, verdict, person = draft_case
    data = sentence_form(
        staff_client,
        case,
        person=person.pk,
        incident=verdict.pk,
        kind="fine",
        regime="strict",
        fine_amount="1000",
        fine_currency="KZT",
    )
    response = staff_client.post(reverse("admin:cases_case_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert "Only imprisonment has a regime." in response.content.decode()
    assert not Sentence.objects.filter(case=case).exists()


def test_a_sentence_on_an_acquittal_is_a_form_error(staff_client, draft_case):
    case, verdict, person = draft_case
    charge(case, verdict, person, LegalProvision.objects.get(article="164"), status="acquitted")
    data = sentence_form(
        staff_client, case, person=person.pk, incident=verdict.pk, kind="imprisonment", term_months="60"
    )
    response = staff_client.post(reverse("admin:cases_case_change", args=[case.pk]), data)
    assert "ended in acquittal or were dropped: there is no sentence" in response.content.decode()
    assert not Sentence.objects.filter(case=case).exists()


def test_a_sentence_is_entered_on_the_case_and_kept_in_history(staff_client, draft_case):
    case, verdict, person = draft_case
    data = sentence_form(
        staff_client,
        case,
        person=person.pk,
        incident=verdict.pk,
        kind="imprisonment",
        term_months="60",
        regime="general",
        activity_ban="public activity",
        activity_ban_months="24",
    )
    response = staff_client.post(reverse("admin:cases_case_change", args=[case.pk]), data)
    assert response.status_code == 302
    sentence = Sentence.objects.get(case=case)
    assert (sentence.term_months, sentence.regime, sentence.activity_ban_months) == (60, "general", 24)
    assert sentence.history.count() == 1


def test_a_published_incident_takes_new_sentences_only_through_a_correction(staff_client, demo):
    case = Case.objects.get(slug="natalia-sokolova-article-164")
    published = Incident.objects.get(slug="natalia-sokolova-conviction")
    data = sentence_form(
        staff_client, case, person=Person.objects.get(slug="natalia-sokolova").pk, incident=published.pk, kind="fine"
    )
    response = staff_client.post(reverse("admin:cases_case_change", args=[case.pk]), data)
    assert response.status_code == 200
    assert Sentence.objects.filter(case=case).count() == 1


def test_a_sentence_is_corrected_through_the_incident_review(demo):
    researcher, verifier, other_verifier = make_user("Researcher"), make_user("Verifier"), make_user("Verifier")
    published = Incident.objects.get(slug="natalia-sokolova-conviction")
    copy = workflow.propose_correction(incident=published, by=researcher)
    corrected = Sentence.objects.get(incident=copy)
    corrected.regime = "general"
    corrected.save()
    assert Sentence.objects.public().get(case__slug="natalia-sokolova-article-164").regime == ""
    workflow.submit(incident=copy, by=researcher)
    assert any("changed sentence" in line and "regime" in line for line in workflow.describe_correction(copy))
    workflow.verify(incident=copy, by=verifier, note="Regime confirmed by a second source")
    assert Sentence.objects.get(case__slug="natalia-sokolova-article-164").regime == "general"
    assert Sentence.objects.filter(case__slug="natalia-sokolova-article-164").count() == 1
    assert other_verifier  # nobody else needed


def test_editing_a_row_counts_as_editing_its_incident_for_the_four_eyes_rule(client, draft_case):
    case, verdict, person = draft_case
    researcher, verifier = make_user("Researcher"), make_user("Verifier")
    verdict.created_by = researcher
    verdict.save()
    workflow.submit(incident=verdict, by=researcher)
    client.force_login(verifier)
    data = sentence_form(client, case, person=person.pk, incident=verdict.pk, kind="imprisonment", term_months="12")
    assert client.post(reverse("admin:cases_case_change", args=[case.pk]), data).status_code == 302
    with pytest.raises(workflow.WorkflowError):
        workflow.verify(incident=verdict, by=verifier, note="Looks right")


def test_the_case_admin_pages_render_for_a_researcher(signed_in, demo):
    client = signed_in("Researcher")
    case = Case.objects.get(slug="natalia-sokolova-article-164")
    assert client.get(reverse("admin:cases_case_change", args=[case.pk])).status_code == 200
    assert client.get(reverse("admin:cases_case_add")).status_code == 200
    sentence = Sentence.objects.get(case=case)
    assert client.get(reverse("admin:cases_sentence_change", args=[sentence.pk])).status_code == 200
    assert client.get(reverse("admin:cases_case_history", args=[case.pk])).status_code == 200


def test_judgment_dates_keep_their_precision(demo):
    verdict = make_incident()
    case = make_case(verdict)
    sentence = Sentence.objects.create(
        case=case,
        incident=verdict,
        person=make_person(),
        judgment_date=datetime.date(2012, 6, 4),
        judgment_date_precision="month",
        kind="imprisonment",
    )
    assert sentence.judgment_date == datetime.date(2012, 6, 1)
    assert sentence.judgment_date_display == "June 2012"
