"""Rules that live on the models: normalisation, dates with precision, places, constraints."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from core.dates import format_date, period_of
from core.text import normalise_name
from incidents.models import Incident, Involvement
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person
from places.models import Place

from .factories import make_incident


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("Айжангуль Амирова", "aizhangul amirova"),
        ("AYZHANGUL  amirova", "aizhangul amirova"),
        ("Ajzhangul Amirowa", "aizhangul amirova"),
        ("Жаңаөзен", "zhanaozien"),
        ("Janaozen", "zhanaozien"),
        ("Mangghystaū", "mangistau"),
        ("People's Movement", "pieoplies moviemient"),
        ("Peoples Movement", "pieoplies moviemient"),
        ("Alga!", "alga"),
        ("", ""),
    ],
)
def test_normalise_name(typed, normalised):
    assert normalise_name(typed) == normalised


def test_periods_and_display_follow_precision():
    day = datetime.date(2011, 5, 17)
    assert period_of(day, "month") == (datetime.date(2011, 5, 1), datetime.date(2011, 5, 31))
    assert period_of(day, "year") == (datetime.date(2011, 1, 1), datetime.date(2011, 12, 31))
    assert format_date(day, "month") == "May 2011"
    assert format_date(day, "year", approximate=True) == "around 2011"


@pytest.mark.django_db
def test_incident_period_covers_the_whole_month_and_ongoing_stays_open():
    strike = make_incident(start_date=datetime.date(2011, 5, 17), start_precision="month")
    assert (strike.start_date, strike.period_start, strike.period_end) == (
        datetime.date(2011, 5, 1),
        datetime.date(2011, 5, 1),
        datetime.date(2011, 5, 31),
    )
    ongoing = make_incident(start_date=datetime.date(2011, 5, 1), start_precision="month", ongoing=True)
    assert ongoing.period_end == datetime.date.max


@pytest.mark.django_db
def test_names_are_normalised_and_script_detected_on_save(without_demo):
    person = Person.objects.create(name="Élmurat AMIROV")
    variant = NameVariant.objects.create(person=person, name="Эльмурат Амиров")
    assert (person.name_normalised, person.slug) == ("ielmurat amirov", "elmurat-amirov")
    assert (variant.normalised, variant.script) == ("ielmurat amirov", "cyrillic")
    organisation = Organisation.objects.create(name="Халық Майданы", kind="movement")
    alias = OrganisationAlias.objects.create(organisation=organisation, name="Popular Front")
    assert organisation.slug == "khalyq-maydany"
    assert alias.normalised == "popular front"


@pytest.mark.django_db
def test_slugs_stay_unique_and_public_ids_never_change(without_demo):
    first = Person.objects.create(name="Natalia Sokolova")
    second = Person.objects.create(name="Natalia Sokolova")
    assert (first.slug, second.slug) == ("natalia-sokolova", "natalia-sokolova-2")
    public_id = first.public_id
    first.name = "Natalya Sokolova"
    first.save()
    first.refresh_from_db()
    assert first.public_id == public_id and first.slug == "natalia-sokolova"


@pytest.mark.django_db
def test_moving_a_place_moves_everything_inside_it():
    kazakhstan = Place.objects.get(iso_code="KZ")
    mangistau = Place.objects.get(iso_code="KZ-47")
    town = Place.objects.create(name="Town", kind="city", parent=kazakhstan)
    site = Place.objects.create(name="Site", kind="site", parent=town)
    assert site not in Place.objects.within(mangistau)
    town.parent = mangistau
    town.save()
    site.refresh_from_db()
    assert site in Place.objects.within(mangistau)
    assert [place.name for place in site.ancestors()] == ["Kazakhstan", mangistau.name, "Town", "Site"]


@pytest.mark.django_db
def test_iso_places_are_prefilled():
    assert Place.objects.filter(kind="country").count() >= 249
    mangistau = Place.objects.get(iso_code="KZ-47")
    assert (mangistau.kind, mangistau.parent.iso_code) == ("region", "KZ")
    assert Place.objects.within(Place.objects.get(iso_code="KZ")).filter(kind="region").count() >= 17


@pytest.mark.django_db
def test_database_refuses_an_involvement_without_exactly_one_actor(demo):
    incident = Incident.objects.first()
    person = Person.objects.first()
    organisation = Organisation.objects.first()
    for actors in ({}, {"person": person, "organisation": organisation}, {"person": person, "unidentified_actor": "x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Involvement.objects.create(incident=incident, role="victim", **actors)


@pytest.mark.django_db
def test_database_refuses_invalid_dates(demo):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_incident(start_date=datetime.date(2012, 1, 6), end_date=datetime.date(2012, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        make_incident(start_date=datetime.date(2012, 1, 1), start_precision="month", local_time=datetime.time(9, 30))
