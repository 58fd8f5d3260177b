"""People, organisations, legal provisions and regions: public pages linked to each other."""

import re

import pytest

from incidents.models import Charge, Incident
from organisations.models import Membership
from people.models import Person, Relationship

from .factories import involve, make_incident, make_organisation, make_person, make_provision

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"


def html_of(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    html = response.content.decode()
    if status == 200:
        assert html.count("<h1") == 1 and '<html lang="en">' in html
    return html


@pytest.mark.parametrize("typed", ["Айжангуль", "ayzhangul amirova", "A. Amirova", "Ersaynovna"])
def test_people_list_finds_a_person_by_any_name_variant(client, demo, typed):
    response = client.get("/people/", {"q": typed})
    assert [person.slug for person in response.context["people"]] == ["ajzhangul-amirova"]


def test_people_list_hides_people_who_may_not_be_named(client, demo):
    make_person("Secret Person", confidential=True)
    make_person("Private Person", consent_to_publish=False)
    html = html_of(client, "/people/")
    assert "Ajzhangul Amirova" in html
    assert "Secret Person" not in html and "Private Person" not in html
    assert client.get("/people/", {"q": "private"}).context["people"] == []


def test_person_page_shows_variants_memberships_incidents_and_charges(client, demo):
    html = html_of(client, "/people/ajzhangul-amirova/")
    for text in (
        "Айжангуль Ерсаиновна Амирова",
        "A. Amirova",
        "Member of the central council",
        'href="/organisations/halyk-maidan/"',
        f'href="/incidents/{ARREST}/"',
        'href="/charges/kz-penal-code-1997-article-164/"',
        "Elmurat Amirov",
    ):
        assert text in html, text


def test_person_pages_of_hidden_people_do_not_exist(client, demo):
    assert client.get(make_person("Secret", confidential=True).get_absolute_url()).status_code == 404
    assert client.get(make_person("Private", consent_to_publish=False).get_absolute_url()).status_code == 404


def test_a_relative_without_consent_is_not_listed(client, demo):
    """Not even under a pseudonym: "her brother, name withheld" on her page would point at him."""
    html = html_of(client, "/people/ajzhangul-amirova/")
    assert 'href="/people/elmurat-amirov/">Elmurat Amirov</a>' in html
    Person.objects.filter(slug="elmurat-amirov").update(consent_to_publish=False)
    html = html_of(client, "/people/ajzhangul-amirova/")
    assert "Elmurat" not in html and "Name withheld" not in html


def test_organisations_list_finds_an_organisation_by_any_alias(client, demo):
    for typed in ("Popular Front", "Halyk Maidan", "Халық"):
        slugs = [o.slug for o in client.get("/organisations/", {"q": typed}).context["organisations"]]
        assert "halyk-maidan" in slugs, typed


def test_organisation_page_shows_aliases_branches_members_and_incidents(client, demo):
    html = html_of(client, "/organisations/halyk-maidan/")
    for text in (
        "Popular Front",
        "National Front",
        'href="/organisations/halyk-maidan-mangistau/"',
        'href="/people/ajzhangul-amirova/"',
        "member of the central council",
        'href="/incidents/zhanaozen-events-16-december-2011/"',
    ):
        assert text in html, text
    branch = html_of(client, "/organisations/halyk-maidan-mangistau/")
    assert 'href="/organisations/halyk-maidan/"' in branch


def test_a_person_page_exists_once_a_case_of_theirs_is_public(client, demo):
    person = make_person("Pending Person")
    draft = make_incident(status="draft")
    involve(draft, person=person)
    involve(make_incident(), person=person, confidential=True)
    assert client.get(person.get_absolute_url()).status_code == 404
    Incident.objects.filter(pk=draft.pk).update(status="verified")
    assert draft.title in client.get(person.get_absolute_url()).content.decode()


def test_organisation_page_hides_confidential_branches_and_members(client, demo):
    parent = make_organisation("Open Union")
    make_organisation("Hidden Cell", parent=parent, confidential=True)
    Membership.objects.create(person=make_person("Covert Member", confidential=True), organisation=parent, role="x")
    Membership.objects.create(person=make_person("Idle Member"), organisation=parent, role="in no case")
    documented = make_person("Open Member")
    involve(make_incident(), person=documented)
    Membership.objects.create(person=documented, organisation=parent, role="treasurer")
    html = html_of(client, parent.get_absolute_url())
    assert "Hidden Cell" not in html and "Covert Member" not in html and "Idle Member" not in html
    assert "Open Member</a>: treasurer" in html
    assert client.get(make_organisation("Hidden", confidential=True).get_absolute_url()).status_code == 404


def test_a_branch_page_names_its_parent_only_when_the_parent_is_public(client):
    union = make_organisation("Open Union")
    branch = make_organisation("Open Union, Aktau branch", parent=union)
    html = html_of(client, branch.get_absolute_url())
    assert f'<dt>Branch or part of</dt><dd><a href="{union.get_absolute_url()}">Open Union</a></dd>' in html
    cell = make_organisation("Hidden Cell", confidential=True)
    cover = make_organisation("Cover Society", parent=cell)
    html = html_of(client, cover.get_absolute_url())
    assert "Hidden Cell" not in html and "Branch or part of" not in html
    assert "Branch or part of" not in html_of(client, union.get_absolute_url())


def test_charges_list_counts_only_public_cases(client, demo):
    provision = make_provision("77")
    Charge.objects.create(person=make_person(), provision=provision, incident=make_incident(), status="charged")
    hidden = make_incident(status="draft")
    Charge.objects.create(person=make_person(), provision=provision, incident=hidden, status="charged")
    response = client.get("/charges/")
    counts = {p.slug: p.case_count for p in response.context["provisions"]}
    assert counts["kz-penal-code-1997-article-164"] == 2
    assert counts[provision.slug] == 1


def test_provision_page_lists_cases_with_status_and_marks_equivalents(client, demo):
    html = html_of(client, "/charges/kz-penal-code-1997-article-164/")
    cases = html.split("Cases under this article", 1)[1]
    assert "Natalia Sokolova" in cases and "Convicted" in cases
    assert "Ajzhangul Amirova" in cases and "Charged, 6 January 2012" in cases
    newer = html_of(client, "/charges/kz-penal-code-2014-article-174/")
    own, marked = newer.split("Cases under its equivalents in other editions", 1)
    assert "No public case under this article." in own
    assert "Article 164 (1997 edition)" in marked and "Natalia Sokolova" in marked
    assert "charge=kz-penal-code-2014-article-174&amp;charge_equivalents=1" in newer


def test_region_page_lists_every_incident_inside_it(client, demo):
    response = client.get("/regions/mangghystau-oblysy/")
    slugs = {incident.slug for incident in response.context["incidents"]}
    assert ARREST in slugs and "shooting-amirova-saktaganova-zhanaozen-2011" in slugs
    assert "kulibayev-statement-expert-club-2011" not in slugs
    html = response.content.decode()
    assert 'href="/regions/zhanaozen/"' in html and 'href="/regions/kazakhstan/"' in html
    assert client.get("/regions/atlantis/").status_code == 404


def test_incident_page_links_everything_and_shows_the_timeline(client, demo):
    html = html_of(client, f"/incidents/{ARREST}/")
    for link in (
        'href="/people/ajzhangul-amirova/"',
        'href="/organisations/kazakhstan-law-enforcement/"',
        'href="/charges/kz-penal-code-1997-article-164/"',
        'href="/regions/mangghystau-oblysy/"',
    ):
        assert link in html, link
    timeline = html.split("Timeline of linked incidents", 1)[1].split("</ol>", 1)[0]
    order = [
        timeline.index(text)
        for text in (
            "since May 2011",
            "8 October 2011, around 22:00",
            "6 January 2012, 09:30",
            "Halyk Maidan office in Aktau searched",
            "around 6 January 2012",
        )
    ]
    assert order == sorted(order)
    assert "same chain of events" in timeline and "(this incident)" in timeline


def test_timeline_leaves_out_hidden_incidents(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    draft = make_incident(title="Unverified follow-up", status="draft")
    arrest.links_out.create(to_incident=draft, kind="follow_up")
    assert "Unverified follow-up" not in html_of(client, f"/incidents/{ARREST}/")


def test_every_claim_shows_its_sources_and_confidence(client, demo):
    html = html_of(client, "/incidents/kulibayev-statement-expert-club-2011/")
    assert 'id="source-1"' in html and 'id="source-2"' in html
    assert "Tengrinews" in html and "[2, medium confidence]" in html and "[1, high confidence]" in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        ("/people/", 1),  # a page, without a total
        ("/organisations/", 1),  # a page, without a total
        ("/charges/", 4),  # counts in the sample, capped count of charges, exact counts, provisions
        # place, sample estimate, rows (count and facet), page, places inside, ancestors, places of the map
        ("/regions/kazakhstan/", 7),
    ],
)
def test_list_pages_query_count_does_not_grow(client, demo, django_assert_num_queries, url, queries):
    with django_assert_num_queries(queries):
        client.get(url)
    for number in range(60):
        person = make_person()
        incident = make_incident()
        involve(incident, person=person)
        involve(incident, organisation=make_organisation())
        Charge.objects.create(
            person=person, provision=make_provision(f"9{number}"), incident=incident, status="charged"
        )
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200


def test_a_person_only_in_a_case_under_review_is_not_public_yet(client, demo):
    from incidents.models import Incident

    from .factories import involve, make_incident

    draft = make_incident(title="Detention being documented", status="draft")
    newcomer = make_person("Okapi Newcomer")
    involve(draft, role="victim", person=newcomer)
    assert "Okapi" not in client.get("/people/").content.decode()
    assert client.get(newcomer.get_absolute_url()).status_code == 404
    assert "Okapi" not in client.get("/api/people/").content.decode()
    assert client.get("/incidents/", {"person": newcomer.slug}).status_code == 400
    Incident.objects.filter(pk=draft.pk).update(status="verified")
    assert "Okapi Newcomer" in client.get("/people/").content.decode()
    assert client.get(newcomer.get_absolute_url()).status_code == 200


def test_every_person_linked_from_a_public_page_has_a_page(client, demo):
    """Relatives of documented people are public; people in no public case are not linked anywhere."""
    pages = ["/people/", "/organisations/", *(f"/organisations/{slug}/" for slug in ("open-dialog-foundation",))]
    pages += [f"/people/{slug}/" for slug in ("ajzhangul-amirova", "elmurat-amirov", "timur-kulibayev")]
    linked = set()
    for page in pages:
        linked |= set(re.findall(r'href="(/people/[^"?]+/)"', client.get(page).content.decode()))
    assert "/people/salamat-shalabaev/" in linked  # her grandfather, a relative of a documented person
    assert "/people/ludmila-kozlovska/" not in linked  # the source's contact person, in no case
    for address in linked:
        assert client.get(address).status_code == 200, address


def test_a_person_page_names_only_relatives_the_public_may_read_about(client, demo):
    """A relative is named by the people rule: not one whose only case is a draft, nor one who did
    not consent; and a relative who may not be named gives nobody a page."""
    in_case = make_person("Aigerim Publiccase")
    involve(make_incident(title="Arrest at the rally"), person=in_case)
    relative_only = make_person("Bolat Relativeonly")
    Relationship.objects.create(person=relative_only, kind="sibling", relative=in_case)
    draft_only = make_person("Dana Draftonly")
    involve(make_incident(title="Raid being documented", status="draft"), person=draft_only)
    Relationship.objects.create(person=relative_only, kind="spouse", relative=draft_only)
    Relationship.objects.create(person=draft_only, kind="parent", relative=relative_only)
    withheld = make_person("Gulnar Withheld", consent_to_publish=False)
    involve(make_incident(title="Search of a flat"), person=withheld)
    Relationship.objects.create(person=relative_only, kind="colleague", relative=withheld)
    brother_of_withheld = make_person("Erlan Onlybrother")
    Relationship.objects.create(person=brother_of_withheld, kind="sibling", relative=withheld)

    html = html_of(client, relative_only.get_absolute_url())
    assert f'<a href="{in_case.get_absolute_url()}">Aigerim Publiccase</a>' in html
    assert "Draftonly" not in html and "Name withheld" not in html
    assert client.get(draft_only.get_absolute_url()).status_code == 404
    assert client.get(brother_of_withheld.get_absolute_url()).status_code == 404
    assert "Onlybrother" not in html_of(client, "/people/")


@pytest.mark.parametrize(
    ("page", "queries"),
    [
        # person, variants, memberships, relationships, how busy, page, charges beside it; custody
        # periods; the cases of their charges, sentences and custody (then those cases, when there
        # are any: this person has none); the map: how busy, sample estimate, rows, their places
        ("person", 13),
        # organisation, aliases, branches, members, page (no parent to look up); the map: sample
        # estimate, rows, their places
        ("organisation", 8),
        # provision, equivalents, page (without equivalents, no query for their cases); the map
        ("provision", 6),
    ],
)
def test_record_pages_hold_a_page_of_incidents_whatever_their_number(client, django_assert_num_queries, page, queries):
    person = make_person("Busy Person", consent_to_publish=True)
    organisation = make_organisation("Busy Union")
    provision = make_provision("88")
    for _ in range(30):
        incident = make_incident()
        involve(incident, person=person)
        involve(incident, organisation=organisation)
        Charge.objects.create(person=person, provision=provision, incident=incident, status="charged")
    url = {"person": person, "organisation": organisation, "provision": provision}[page].get_absolute_url()
    with django_assert_num_queries(queries):
        first = client.get(url)
    assert 'rel="next">Older' in first.content.decode()
    rows = first.context["cases"] if page == "provision" else first.context["incidents"]
    assert len(rows) == 25
    second = client.get(url, {"page": "2"})
    rows = second.context["cases"] if page == "provision" else second.context["incidents"]
    assert len(rows) == 5
    assert 'rel="next"' not in second.content.decode()
    assert client.get(url, {"page": "3"}).status_code == 404
    assert client.get(url, {"page": "x"}).status_code == 404


def test_a_person_page_shows_each_charge_beside_its_incident(client):
    person = make_person("Charged Person", consent_to_publish=True)
    incident = make_incident(title="Arrest at the airport")
    involve(incident, person=person)
    Charge.objects.create(person=person, provision=make_provision("164"), incident=incident, status="charged")
    co_accused = make_person("Co-accused Person", consent_to_publish=True)
    Charge.objects.create(person=co_accused, provision=make_provision("174"), incident=incident, status="charged")
    other = make_incident(title="Unrelated search")
    involve(other, person=person)
    items = client.get(person.get_absolute_url()).content.decode().split('<li class="incident">')
    charged = next(item for item in items if "Arrest at the airport" in item)
    assert "Charged under" in charged and "Article 164" in charged
    assert "Article 174" not in charged, "a co-accused's charge is not this person's"
    assert "Charged under" not in next(item for item in items if "Unrelated search" in item)
