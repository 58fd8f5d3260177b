"""Text search: any spelling or script of a name finds the case; hidden records are never found."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.text import normalise_name
from incidents.models import Charge, Incident, Involvement
from organisations.models import OrganisationAlias
from people.models import NameVariant, Person

from .factories import involve, make_incident, make_organisation, make_person, make_provision
from .search_helpers import found_everywhere, page_html, page_slugs

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
DECEMBER_EVENTS = "zhanaozen-events-16-december-2011"


@pytest.mark.parametrize(
    "typed", ["Ayzhangul", "Ajzhangul", "amirova", "Амирова", "Айжангуль", "AMIRÓVA", "Ersaynovna"]
)
def test_every_spelling_and_script_of_the_name_finds_the_arrest(client, demo, typed):
    assert ARREST in found_everywhere(client, {"q": typed})


@pytest.mark.parametrize(
    ("spellings", "meant"),
    [
        (("Ayzhangul", "Aizhangul", "Ajzhangul", "Айжангуль"), ARREST),
        (("Amirova", "Amirowa", "Амирова"), ARREST),
        (("Zhanaozen", "Janaozen", "Жанаозен", "Жаңаөзен"), DECEMBER_EVENTS),
        (("Kulibayev", "Kulibaev", "Кулибаев"), "activists-call-to-prosecute-kulibayev-2011"),
        (("Mangistau", "Mangystau", "Маңғыстау"), "mangistau-oil-strike-2011"),
    ],
)
def test_every_rendering_of_a_name_finds_the_same_incidents(client, demo, spellings, meant):
    """Transliterations are folded into one spelling on saving and on querying (`core.text`)."""
    found = {typed: found_everywhere(client, {"q": typed}) for typed in spellings}
    assert meant in found[spellings[0]]
    assert all(incidents == found[spellings[0]] for incidents in found.values()), found


@pytest.mark.parametrize(
    "typed", ["Popular Front", "Halyk Maidan", "national front", "Халық Майданы", "Peoples Movement"]
)
def test_every_name_of_the_organisation_finds_its_incident(client, demo, typed):
    assert DECEMBER_EVENTS in found_everywhere(client, {"q": typed})


def test_a_case_is_found_by_its_people_as_soon_as_a_verifier_publishes_it(client, demo, signed_in):
    """Names enter the search text while the incident is a draft; publishing must not lose them."""
    researcher, verifier = signed_in("Researcher"), signed_in("Verifier")
    detention = make_incident(title="Detention at the border crossing", status="draft")
    victim = make_person("Serik Tolegenov")
    NameVariant.objects.create(person=victim, name="Серік Төлегенов", kind="transliteration")
    involve(detention, person=victim)
    involve(detention, role="perpetrator", organisation=make_organisation("Border Service"))
    assert found_everywhere(client, {"q": "Tolegenov"}) == []

    researcher.post(reverse("admin:incidents_incident_submit", args=[detention.pk]))
    review = reverse("admin:incidents_incident_review", args=[detention.pk])
    verifier.post(review, {"decision": "verify", "note": "Checked against the lawyer's statement"})
    assert Incident.objects.get(pk=detention.pk).status == "verified"
    for typed in ("Tolegenov", "Төлегенов", "border service"):
        assert found_everywhere(client, {"q": typed}) == [detention.slug], typed


def test_every_word_must_match(client, demo):
    assert found_everywhere(client, {"q": "Амирова airport"}) == [ARREST]
    assert found_everywhere(client, {"q": "Amirova Zebrafish"}) == []


def test_titles_and_summaries_are_searched_whatever_the_case(client, demo):
    assert found_everywhere(client, {"q": "ARRIVALS hall"}) == [ARREST]


def test_factory_incident_found_by_a_name_variant_in_another_script(client, db):
    call_command("load_demo", verbosity=0)
    incident = make_incident(title="Journalist detained")
    person = make_person("Gulzhan Yergaliyeva")
    NameVariant.objects.create(person=person, name="Гульжан Ергалиева")
    involve(incident, person=person)
    assert found_everywhere(client, {"q": "Ергалиева"}) == [incident.slug]
    assert found_everywhere(client, {"q": "gulzhan"}) == [incident.slug]


@pytest.mark.parametrize("status", ["draft", "submitted", "rejected", "retracted"])
def test_a_hidden_incidents_unique_word_finds_nothing_anywhere(client, demo, status):
    make_incident(title="Zebrafish marker", summary="Okapi", status=status)
    make_incident(title="Quokka marker", confidential=True)
    for word in ("Zebrafish", "Okapi", "Quokka"):
        assert found_everywhere(client, {"q": word}) == []
        html = client.get("/incidents/", {"q": word}).content.decode()
        assert "0 verified incidents" in html and word not in html.split('role="search"', 1)[1].split("</form>", 1)[1]


def test_a_confidential_involvement_cannot_be_found_by_its_actor(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    secret = make_person("Axolotl Secretwitness")
    involve(arrest, role="witness", person=secret, confidential=True)
    involve(arrest, role="witness", unidentified_actor="Capybara onlooker", confidential=True)
    assert found_everywhere(client, {"q": "Axolotl"}) == []
    assert found_everywhere(client, {"q": "Capybara"}) == []


def test_a_confidential_person_or_organisation_cannot_be_found(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, role="witness", person=make_person("Pangolin Hidden", confidential=True))
    involve(arrest, role="other", organisation=make_organisation("Narwhal Bureau", confidential=True))
    assert found_everywhere(client, {"q": "Pangolin"}) == []
    assert found_everywhere(client, {"q": "Narwhal"}) == []


def test_a_person_without_consent_is_not_findable_by_name_and_shown_under_a_pseudonym(client, demo):
    arrest = Incident.objects.get(slug=ARREST)
    person = make_person("Wombat Private", consent_to_publish=False)
    NameVariant.objects.create(person=person, name="Вомбат Приватный")
    involve(arrest, role="witness", person=person)
    assert found_everywhere(client, {"q": "Wombat"}) == []
    assert found_everywhere(client, {"q": "Вомбат"}) == []
    html = client.get(arrest.get_absolute_url()).content.decode()
    assert "Wombat" not in html and person.slug not in html
    assert "Person A" in html
    assert client.get(person.get_absolute_url()).status_code == 404
    api = client.get(f"/api/incidents/{ARREST}/").json()
    witness = next(i for i in api["involvements"] if i["role"] == "witness")
    assert witness == {
        "role": "witness",
        "actor": "Person A",
        "actor_kind": "person",
        "actor_slug": None,
        "description": "",
        "citations": [],
    }


def test_a_person_only_charged_finds_the_incident_as_one_involved_does(client, demo):
    """A defendant is named on the incident's page without an involvement row; the public rule is
    the same: no name of a person without consent or of a confidential person finds the case."""
    trial = make_incident(title="Trial over a social media post")
    provision = make_provision("274")
    defendant = make_person("Serikzhan Bilash")
    NameVariant.objects.create(person=defendant, name="Серікжан Білаш")
    charge = Charge.objects.create(person=defendant, provision=provision, incident=trial, status="indicted")
    for hidden in (
        make_person("Ocelot Unconsenting", consent_to_publish=False),
        make_person("Tapir Confidential", confidential=True),
    ):
        NameVariant.objects.create(person=hidden, name=f"{hidden.name} Variant")
        Charge.objects.create(person=hidden, provision=provision, incident=trial, status="charged")
    assert not Involvement.objects.filter(incident=trial).exists()

    for typed in ("Bilash", "Серікжан", "Serikzhan Bilash"):
        assert found_everywhere(client, {"q": typed}) == [trial.slug], typed
    for typed in ("Ocelot", "Unconsenting", "Tapir", "Confidential Variant"):
        assert found_everywhere(client, {"q": typed}) == [], typed

    defendant.consent_to_publish = False
    defendant.save()
    assert found_everywhere(client, {"q": "Bilash"}) == []
    defendant.consent_to_publish = True
    defendant.save()
    assert found_everywhere(client, {"q": "Bilash"}) == [trial.slug]
    charge.delete()
    assert found_everywhere(client, {"q": "Bilash"}) == []


class TestSearchTextFollowsEveryChange:
    """The denormalised search column is rebuilt whenever a record that feeds it changes."""

    @pytest.fixture
    def case(self, db):
        call_command("load_demo", verbosity=0)
        incident = make_incident(title="Detention at a border post")
        person = make_person("Bakhyt Tleuzhan")
        organisation = make_organisation("Steppe Rights Watch")
        return (
            incident,
            person,
            organisation,
            involve(incident, person=person),
            involve(incident, organisation=organisation),
        )

    def found(self, client, word) -> list[str]:
        return page_slugs(client, {"q": word})

    def test_renaming_a_person(self, client, case):
        incident, person, *_ = case
        person.name = "Bakhytzhan Tleuzhanov"
        person.save()
        assert self.found(client, "Bakhytzhan") == [incident.slug]
        person.name = "Serik Abenov"
        person.save()
        assert self.found(client, "Tleuzhan") == []

    def test_adding_editing_and_removing_a_name_variant(self, client, case):
        incident, person, *_ = case
        variant = NameVariant.objects.create(person=person, name="Бахыт Тлеужан")
        assert self.found(client, "Бахыт") == [incident.slug]
        variant.name = "Bakhit Tleujan"
        variant.save()
        assert self.found(client, "Tleujan") == [incident.slug]
        variant.delete()
        assert self.found(client, "Tleujan") == []

    def test_adding_and_removing_an_organisation_alias_and_renaming_it(self, client, case):
        incident, _person, organisation, *_ = case
        alias = OrganisationAlias.objects.create(organisation=organisation, name="Dala Kukyk")
        assert self.found(client, "Dala Kukyk") == [incident.slug]
        alias.delete()
        assert self.found(client, "Kukyk") == []
        organisation.name = "Prairie Rights Watch"
        organisation.save()
        assert self.found(client, "Prairie") == [incident.slug]
        assert self.found(client, "Steppe") == []

    def test_withdrawn_consent_and_confidential_flags(self, client, case):
        incident, person, organisation, *_ = case
        person.consent_to_publish = False
        person.save()
        assert self.found(client, "Tleuzhan") == []
        person.consent_to_publish = True
        person.save()
        assert self.found(client, "Tleuzhan") == [incident.slug]
        person.confidential = True
        person.save()
        assert self.found(client, "Tleuzhan") == []
        organisation.confidential = True
        organisation.save()
        assert self.found(client, "Steppe") == []

    def test_confidential_and_deleted_involvements(self, client, case):
        incident, _person, _organisation, person_involvement, organisation_involvement = case
        person_involvement.confidential = True
        person_involvement.save()
        assert self.found(client, "Tleuzhan") == []
        organisation_involvement.delete()
        assert self.found(client, "Steppe") == []
        assert Involvement.objects.filter(incident=incident).count() == 1

    def test_editing_the_incident_text(self, client, case):
        incident, *_ = case
        incident.title = "Detention at a customs checkpoint"
        incident.save()
        assert self.found(client, "customs") == [incident.slug]
        assert self.found(client, "border") == []

    def test_the_rebuild_command_repairs_bulk_updates(self, client, case):
        incident, person, *_ = case
        Person.objects.filter(pk=person.pk).update(name_normalised=normalise_name("Renamed in bulk"))
        assert self.found(client, "renamed") == []
        call_command("refresh_search_text", verbosity=0)
        assert self.found(client, "renamed") == [incident.slug]


def test_the_trigram_index_exists_only_on_postgresql_and_serves_the_search(db):
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "incidents_incident")
    assert ("incidents_incident_search_text_trgm" in indexes) == (connection.vendor == "postgresql")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    assert "incidents_incident_search_text_trgm" in Incident.objects.matching("amirova").explain()
    assert "incidents_incident_search_text_trgm" in Incident.objects.spelled_like("amirva").explain()


def test_the_sample_has_its_own_trigram_index_on_postgresql(db):
    """Estimating a text search reads the sample's matches through an index a hundredth the size."""
    from django.db import connection

    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, "incidents_incident")
    assert ("incident_sample_search_text_trgm" in indexes) == (connection.vendor == "postgresql")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'incident_sample_search_text_trgm'")
        definition = cursor.fetchone()[0]
    assert "gin (search_text gin_trgm_ops)" in definition
    assert "WHERE ((sample_bucket = 0) AND (NOT confidential) AND ((status)::text = 'verified'::text))" in definition


def test_a_misspelt_name_finds_similar_spellings_on_postgresql_marked_as_such(client, demo):
    """Only when no incident matches q as typed, and never by a name the public pages hide."""
    from django.db import connection

    arrest = Incident.objects.get(slug=ARREST)
    involve(arrest, role="witness", person=make_person("Pangolin Hidden", confidential=True))
    misspelt = found_everywhere(client, {"q": "Kulibyev"})
    assert found_everywhere(client, {"q": "Pangolim"}) == []
    if connection.vendor != "postgresql":
        assert misspelt == []
        return
    exact = found_everywhere(client, {"q": "Kulibayev"})
    assert len(exact) == 4 and misspelt == exact
    similar = page_html(client, {"q": "Kulibyev"})
    assert similar.count('<span class="similar-spelling">similar spelling</span>') == len(misspelt)
    assert "similar-spelling" not in page_html(client, {"q": "Kulibayev"})
    one_word_misspelt = found_everywhere(client, {"q": "Kulibyev expert"})
    assert one_word_misspelt and one_word_misspelt == found_everywhere(client, {"q": "Kulibayev expert"})


def test_a_word_matches_the_beginning_of_words_not_their_middle(client, demo):
    make_incident(title="Statement by Qozhakhmetov")
    make_incident(title="Statement by Akhmetova")
    found = Incident.objects.public().matching("Ахметов").values_list("title", flat=True)
    assert list(found) == ["Statement by Akhmetova"]
