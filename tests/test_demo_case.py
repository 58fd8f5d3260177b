"""The demo case holds every fact of the seed announcement, as DESIGN.md's table lists them."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from core.text import normalise_name
from incidents.models import Charge, Evidence, Incident, IncidentLink, Involvement, LegalProvision
from organisations.models import Membership, Organisation
from people.models import NameVariant, Person, Relationship
from places.models import Place
from sources.models import Citation, Source

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
SHOOTING = "shooting-amirova-saktaganova-zhanaozen-2011"


def test_person_has_every_spelling_in_both_scripts(demo):
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    names = set(amirova.name_variants.values_list("name", flat=True))
    assert {"Ajzhangul Ersaynovna Amirova", "Ayzhangul Amirova", "A. Amirova", "Айжангуль Амирова"} <= names
    scripts = set(amirova.name_variants.values_list("script", flat=True))
    assert scripts == {"latin", "cyrillic"}
    patronymic = amirova.name_variants.get(kind=NameVariant.Kind.PATRONYMIC, script="latin")
    assert "Ersaynovna" in patronymic.name
    assert amirova.birth_date == datetime.date(1972, 8, 18)
    assert amirova.birth_place.name == "Zhanaozen"


@pytest.mark.parametrize("spelling", ["Ayzhangul", "Ajzhangul", "amirova", "Амирова", "Айжангуль"])
def test_every_spelling_finds_the_same_person(demo, spelling):
    term = normalise_name(spelling)
    found = Person.objects.filter(name_variants__normalised__contains=term).distinct()
    assert list(found.values_list("slug", flat=True)) == ["ajzhangul-amirova"]


def test_organisation_aliases_and_branches(demo):
    halyk_maidan = Organisation.objects.get(slug="halyk-maidan")
    aliases = set(halyk_maidan.aliases.values_list("name", flat=True))
    assert {"People's Movement Halyk Maidan", "National Front", "Popular Front", "Halyk Maidana"} <= aliases
    mangistau_branch = halyk_maidan.branches.get()
    assert mangistau_branch.area.iso_code == "KZ-47"
    alga_branch = Organisation.objects.get(slug="alga-almaty")
    assert alga_branch.parent.slug == "alga-peoples-party"
    assert alga_branch.area.iso_code == "KZ-75"
    assert Organisation.objects.get(slug="ozenmunaygaz").parent.parent.slug == "samruk-kazyna"


def test_memberships_and_relationships(demo):
    roles = set(Membership.objects.filter(person__slug="ajzhangul-amirova").values_list("organisation__slug", "role"))
    assert ("alga-almaty", "head of the city branch") in roles
    assert ("halyk-maidan", "member of the central council") in roles
    assert ("halyk-maidan-mangistau", "head of the regional branch") in roles
    sibling = Relationship.objects.get(kind=Relationship.Kind.SIBLING)
    assert {sibling.person.slug, sibling.relative.slug} == {"elmurat-amirov", "ajzhangul-amirova"}
    assert Relationship.objects.filter(kind="grandparent", relative__slug="ajzhangul-amirova").exists()


def test_incidents_with_dates_times_and_precision(demo):
    arrest = Incident.objects.get(slug=ARREST)
    assert (arrest.start_date, arrest.local_time) == (datetime.date(2012, 1, 6), datetime.time(9, 30))
    assert arrest.date_display == "6 January 2012, 09:30"
    assert arrest.incident_type.slug == "arrest"
    shooting = Incident.objects.get(slug=SHOOTING)
    assert shooting.date_display == "8 October 2011, around 22:00"
    strike = Incident.objects.get(slug="mangistau-oil-strike-2011")
    assert (strike.start_precision, strike.date_display) == ("month", "since May 2011")
    assert Incident.objects.get(slug="halyk-maidan-aktau-office-search-2012").incident_type.slug == "search"
    assert Incident.objects.get(slug="amirov-flats-break-in-zhanaozen-2012").incident_type.slug == "break-in"
    assert Incident.objects.public().count() == Incident.objects.count() == 9


def test_places_form_a_hierarchy(demo):
    airport = Incident.objects.get(slug=ARREST).place
    assert [place.name for place in airport.ancestors()] == [
        "Kazakhstan",
        "Mangghystaū oblysy",
        "Aktau",
        "Aktau International Airport",
    ]
    mangistau = Place.objects.get(iso_code="KZ-47")
    inside = Incident.objects.filter(place__in=Place.objects.within(mangistau))
    assert {ARREST, SHOOTING} <= set(inside.values_list("slug", flat=True))
    assert Incident.objects.get(slug=SHOOTING).place.name.startswith("Microdistrict 5")


def test_involvements_name_people_organisations_and_unidentified_actors(demo):
    arrest = Incident.objects.get(slug=ARREST)
    assert arrest.involvements.get(role="perpetrator").organisation.slug == "kazakhstan-law-enforcement"
    assert arrest.involvements.get(role="victim").person.slug == "ajzhangul-amirova"
    shooter = Involvement.objects.get(incident__slug=SHOOTING, role="perpetrator")
    assert shooter.person is None and shooter.organisation is None
    assert "young man" in shooter.unidentified_actor and "18 to 20" in shooter.unidentified_actor
    wounded = Involvement.objects.get(incident__slug=SHOOTING, person__slug="zhanar-saktaganova")
    assert wounded.role == "victim"


def test_links_between_incidents(demo):
    arrest = Incident.objects.get(slug=ARREST)
    same_chain = set(
        IncidentLink.objects.filter(from_incident=arrest, kind="same_chain").values_list("to_incident__slug", flat=True)
    )
    assert same_chain == {"halyk-maidan-aktau-office-search-2012", "amirov-flats-break-in-zhanaozen-2012"}
    assert IncidentLink.objects.filter(from_incident__slug=SHOOTING, to_incident=arrest, kind="context").exists()


def test_provision_and_both_charges(demo):
    article = LegalProvision.objects.get(jurisdiction__iso_code="KZ", code="Penal Code", edition="1997", article="164")
    assert "discord" in article.title_en
    assert article.equivalents.get().article == "174"
    charged = Charge.objects.get(person__slug="ajzhangul-amirova")
    assert (charged.provision, charged.status) == (article, "charged")
    convicted = Charge.objects.get(person__slug="natalia-sokolova")
    assert (convicted.provision, convicted.status) == (article, "convicted")
    # The six years are the judgment's, in the case (cases.Sentence), not the charge's.
    assert convicted.case_link.case.sentences.get().term_months == 72


def test_evidence_and_confidential_details(demo):
    medical = Evidence.objects.get(incident__slug=SHOOTING, kind="medical")
    assert "lumbar" in medical.description and not medical.confidential
    seized = Evidence.objects.get(kind="seized")
    assert "laptop" in seized.description and "printer" in seized.description
    assert Evidence.objects.filter(kind="testimony", confidential=True).count() == 2
    break_in = Incident.objects.get(slug="amirov-flats-break-in-zhanaozen-2012")
    assert "flats 15 and 16" in break_in.location_detail


def test_sources_are_cited_with_confidence(demo):
    announcement = Source.objects.get(publisher="Open Dialog Foundation")
    assert announcement.published_on == datetime.date(2012, 1, 6)
    assert announcement.contact_name == "Ludmila Kozlovska"
    assert Source.objects.filter(publisher="Tengrinews").exists()
    for incident in Incident.objects.all():
        claims = set(incident.citations.values_list("claim", flat=True))
        assert {"record", "date", "place"} <= claims, incident.slug
    assert Citation.objects.filter(confidence="medium").exists()


def test_loading_twice_changes_no_counts(demo):
    models = [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"places", "sources", "people", "organisations", "incidents"}
        and not model._meta.model_name.startswith("historical")  # history grows with every save, by design
    ]
    before = {model.__name__: model.objects.count() for model in models}
    call_command("load_demo", verbosity=0)
    after = {model.__name__: model.objects.count() for model in models}
    assert after == before
