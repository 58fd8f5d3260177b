"""Case pages are reached from the pages of the people, incidents and provisions they concern, and a
person page tells their custody: never through a case or a period the public may not read."""

import datetime

import pytest

from cases.models import Case, CaseCharge, CustodyPeriod
from incidents.models import Charge, LegalProvision

from .factories import make_incident, make_person

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
SOKOLOVA_CASE = "/cases/natalia-sokolova-article-164/"


def test_the_person_incident_and_provision_pages_link_to_the_demo_case(client, demo):
    person = client.get("/people/natalia-sokolova/").content.decode()
    assert f'href="{SOKOLOVA_CASE}"' in person
    charges = person.split('<ul class="charges">', 1)[1].split("</ul>", 1)[0]
    assert f'Case: <a href="{SOKOLOVA_CASE}">' in charges  # beside her charge too
    verdict = client.get("/incidents/natalia-sokolova-conviction/").content.decode()
    assert "Part of the criminal case" in verdict and f'href="{SOKOLOVA_CASE}"' in verdict
    provision = client.get("/charges/kz-penal-code-1997-article-164/").content.decode()
    assert f'href="{SOKOLOVA_CASE}"' in provision


def test_a_person_page_tells_unknown_status_after_a_year_without_news(client, demo):
    html = client.get("/people/ajzhangul-amirova/").content.decode()
    assert "Police custody</strong>, since 6 January 2012" in html
    assert "Status unknown since 6 January 2012" in html
    assert "days in custody" not in html


def test_a_person_page_counts_the_days_of_unbroken_custody(client, demo):
    person = make_person("Askar Held")
    start = TODAY - datetime.timedelta(days=99)
    incident = make_incident()
    case = Case.objects.create(title="The case against Askar Held")
    CustodyPeriod.objects.create(
        person=person,
        incident=incident,
        case=case,
        kind="police",
        start_date=start,
        end_date=start + datetime.timedelta(days=2),
        end_reason="transferred",
    )
    CustodyPeriod.objects.create(
        person=person,
        incident=incident,
        case=case,
        kind="pre_trial",
        start_date=start + datetime.timedelta(days=2),
        last_confirmed=TODAY,
    )
    Charge.objects.create(incident=incident, person=person, provision=LegalProvision.objects.get(article="164"))
    html = client.get(person.get_absolute_url()).content.decode()
    assert "100 days in custody" in html
    assert "Released" not in html and "Transferred to another kind of custody" in html
    assert f'href="{case.get_absolute_url()}"' in html


def test_confidential_cases_and_rows_in_review_are_never_linked(client, demo):
    person = make_person("Bota Hidden")
    public_incident = make_incident(title="Arrest of Bota Hidden")
    draft = make_incident(title="Draft trial", status="draft")
    hidden_case = Case.objects.create(title="Walrus confidential case", confidential=True)
    hidden_case.incidents.add(public_incident)
    draft_case = Case.objects.create(title="Case seen only in a draft")
    draft_case.incidents.add(draft)
    charge = Charge.objects.create(
        incident=public_incident, person=person, provision=LegalProvision.objects.get(article="164")
    )
    CaseCharge.objects.create(case=hidden_case, charge=charge)
    CustodyPeriod.objects.create(person=person, incident=draft, case=draft_case, kind="police", start_date=TODAY)
    pages = [
        client.get(person.get_absolute_url()).content.decode(),
        client.get(public_incident.get_absolute_url()).content.decode(),
        client.get("/charges/kz-penal-code-1997-article-164/").content.decode(),
    ]
    for html in pages:
        assert "Walrus confidential case" not in html and "Case seen only in a draft" not in html
    assert "Custody" not in pages[0]
