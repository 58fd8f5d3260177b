"""Each filter alone and combined, on the demo case and on factory-made data: page, CSV and API agree."""

import datetime

import pytest
from django.core.management import call_command

from incidents.models import Charge, Incident, IncidentType, Involvement
from places.models import Place

from .factories import involve, make_incident, make_organisation, make_person, make_provision
from .search_helpers import found_everywhere

pytestmark = pytest.mark.django_db

ARREST = "amirova-arrest-aktau-airport-2012"
SEARCH = "halyk-maidan-aktau-office-search-2012"
BREAK_IN = "amirov-flats-break-in-zhanaozen-2012"
SHOOTING = "shooting-amirova-saktaganova-zhanaozen-2011"
STRIKE = "mangistau-oil-strike-2011"
DECEMBER = "zhanaozen-events-16-december-2011"
SOKOLOVA = "natalia-sokolova-conviction"
KULIBAYEV = "kulibayev-statement-expert-club-2011"
DECLARATION = "activists-call-to-prosecute-kulibayev-2011"
MANGISTAU = "mangghystau-oblysy"


def test_no_filter_lists_every_verified_incident_newest_first(client, demo):
    assert found_everywhere(client, {}) == [
        BREAK_IN,
        SEARCH,
        ARREST,
        DECEMBER,
        SHOOTING,
        DECLARATION,
        KULIBAYEV,
        STRIKE,
        SOKOLOVA,
    ]


def test_region_includes_every_place_inside_it(client, demo):
    found = found_everywhere(client, {"region": MANGISTAU})
    assert {ARREST, SHOOTING, SEARCH, BREAK_IN, STRIKE, DECEMBER, SOKOLOVA} == set(found)
    assert found_everywhere(client, {"region": "zhanaozen"}) == [BREAK_IN, DECEMBER, SHOOTING]
    assert found_everywhere(client, {"region": "aktau-airport"}) == [ARREST]


def test_several_regions_mean_any_of_them(client, demo):
    assert found_everywhere(client, {"region": ["aktau", "astana"]}) == [SEARCH, ARREST, KULIBAYEV]
    assert found_everywhere(client, {"region": ["zhanaozen", "aktau-airport"]}) == [
        BREAK_IN,
        ARREST,
        DECEMBER,
        SHOOTING,
    ]
    assert found_everywhere(client, {"region": [MANGISTAU, "zhanaozen"]}) == found_everywhere(
        client, {"region": MANGISTAU}
    )
    assert found_everywhere(client, {"region": ["aktau", ""]}) == [SEARCH, ARREST]


def test_several_charges_mean_any_of_them(client, demo):
    article_164, article_174 = "kz-penal-code-1997-article-164", "kz-penal-code-2014-article-174"
    other = make_provision("999")
    incident = make_incident(title="Charged under another article")
    Charge.objects.create(person=make_person(), provision=other, incident=incident, status="charged")
    assert found_everywhere(client, {"charge": [article_164, other.slug]}) == [incident.slug, ARREST, SOKOLOVA]
    assert found_everywhere(client, {"charge": [article_174, other.slug]}) == [incident.slug]
    both = {"charge": [article_174, other.slug], "charge_equivalents": "1"}
    assert found_everywhere(client, both) == [incident.slug, ARREST, SOKOLOVA]


def test_a_place_moved_to_another_region_is_found_under_its_new_region(client, demo):
    town = Place.objects.create(name="Moving Town", kind="city", parent=Place.objects.get(slug=MANGISTAU))
    incident = make_incident(title="Arrest in a moving town", place=town)
    assert incident.slug in found_everywhere(client, {"region": MANGISTAU})
    town.parent = Place.objects.filter(parent__iso_code="KZ").exclude(slug=MANGISTAU).order_by("slug").first()
    town.save()
    assert incident.slug not in found_everywhere(client, {"region": MANGISTAU})
    assert found_everywhere(client, {"region": town.parent.slug}) == [incident.slug]
    incident.place = Place.objects.get(slug="zhanaozen")
    incident.save()
    assert incident.slug in found_everywhere(client, {"region": MANGISTAU})


def test_charge_and_its_equivalents(client, demo):
    article_164, article_174 = "kz-penal-code-1997-article-164", "kz-penal-code-2014-article-174"
    assert found_everywhere(client, {"charge": article_164}) == [ARREST, SOKOLOVA]
    assert found_everywhere(client, {"charge": article_174}) == []
    assert found_everywhere(client, {"charge": article_174, "charge_equivalents": "1"}) == [ARREST, SOKOLOVA]
    assert found_everywhere(client, {"charge": article_174, "charge_equivalents": "0"}) == []
    for ticked in ("true", "on", "yes"):  # "on" is what a checkbox sends
        assert found_everywhere(client, {"charge": article_174, "charge_equivalents": ticked}) == [ARREST, SOKOLOVA]


def test_type(client, demo):
    assert found_everywhere(client, {"type": "arrest"}) == [ARREST]
    assert found_everywhere(client, {"type": "statement"}) == [DECLARATION, KULIBAYEV]


def test_person_covers_involvements_and_charges(client, demo):
    assert found_everywhere(client, {"person": "ajzhangul-amirova"}) == [
        BREAK_IN,
        ARREST,
        SHOOTING,
        DECLARATION,
        STRIKE,
    ]
    assert found_everywhere(client, {"person": "natalia-sokolova"}) == [STRIKE, SOKOLOVA]


def test_organisation(client, demo):
    assert found_everywhere(client, {"organisation": "halyk-maidan"}) == [DECEMBER]
    assert found_everywhere(client, {"organisation": "halyk-maidan-mangistau"}) == [SEARCH]


@pytest.mark.parametrize(
    ("date_from", "date_to", "expected"),
    [
        # "May 2011" (month precision, still ongoing) is found by any range that touches it.
        ("2011-05-15", "2011-05-16", [STRIKE, SOKOLOVA]),
        ("2011-04-01", "2011-05-01", [STRIKE, SOKOLOVA]),
        ("2011-04-01", "2011-04-30", [SOKOLOVA]),  # Sokolova's case is known only as "2011"
        ("2012-01-06", "2012-01-06", [BREAK_IN, SEARCH, ARREST, STRIKE]),
        ("2011-10-08", "2011-10-08", [SHOOTING, STRIKE, SOKOLOVA]),
        ("2010-01-01", "2010-12-31", []),
    ],
)
def test_date_range_honours_precision_and_ongoing_incidents(client, demo, date_from, date_to, expected):
    assert found_everywhere(client, {"date_from": date_from, "date_to": date_to}) == expected


def test_open_ended_date_ranges(client, demo):
    assert found_everywhere(client, {"date_from": "2012-01-01"}) == [BREAK_IN, SEARCH, ARREST, STRIKE]
    assert found_everywhere(client, {"date_to": "2011-05-31"}) == [STRIKE, SOKOLOVA]


def test_filters_combine(client, demo):
    assert found_everywhere(client, {"region": MANGISTAU, "type": "attack", "q": "Сактаганова"}) == [SHOOTING]
    assert found_everywhere(client, {"person": "ajzhangul-amirova", "date_from": "2012-01-01"}) == [
        BREAK_IN,
        ARREST,
        STRIKE,
    ]
    assert found_everywhere(client, {"charge": "kz-penal-code-1997-article-164", "region": "aktau"}) == [ARREST]
    assert found_everywhere(client, {"organisation": "halyk-maidan", "type": "arrest"}) == []
    assert found_everywhere(
        client,
        {"q": "amirova", "region": "zhanaozen", "date_from": "2011-01-01", "date_to": "2011-12-31"},
    ) == [SHOOTING]


def test_every_filter_on_factory_made_data(client, db):
    call_command("load_demo", verbosity=0)
    almaty = Place.objects.get(iso_code="KZ-75")
    district = Place.objects.create(name="Medeu District", kind="district", parent=almaty)
    protest = IncidentType.objects.get(slug="protest")
    provision = make_provision("400", edition="2014")
    person = make_person("Dana Seitkali")
    union = make_organisation("Miners' Union")
    old = make_incident(
        title="Rally dispersed", incident_type=protest, place=district, start_date=datetime.date(2019, 3, 8)
    )
    new = make_incident(title="Picket fined", incident_type=protest, place=almaty, start_date=datetime.date(2020, 6, 1))
    elsewhere = make_incident(title="Picket in Aktau", incident_type=protest, start_date=datetime.date(2020, 6, 2))
    involve(old, person=person)
    involve(new, organisation=union)
    Charge.objects.create(person=person, provision=provision, incident=new, status="charged")

    assert found_everywhere(client, {"region": almaty.slug}) == [new.slug, old.slug]
    assert found_everywhere(client, {"region": district.slug}) == [old.slug]
    assert found_everywhere(client, {"person": person.slug}) == [new.slug, old.slug]
    assert found_everywhere(client, {"organisation": union.slug}) == [new.slug]
    assert found_everywhere(client, {"charge": provision.slug}) == [new.slug]
    assert found_everywhere(client, {"q": "picket", "region": almaty.slug}) == [new.slug]
    assert found_everywhere(client, {"q": "picket"}) == [elsewhere.slug, new.slug]
    assert found_everywhere(client, {"type": "protest", "date_to": "2019-12-31", "region": almaty.slug}) == [old.slug]
    assert found_everywhere(client, {"type": "protest", "person": person.slug, "date_from": "2020-01-01"}) == [new.slug]


def test_hidden_records_do_not_count_for_filters(client, db):
    """A charge or involvement that is not public does not make an incident match by person or charge."""
    call_command("load_demo", verbosity=0)
    person = make_person("Marat Zhylanbayev")
    provision = make_provision("500")
    incident = make_incident(title="Searched at home")
    involve(incident, person=person, confidential=True)
    # Known to nobody public: the address answers as for an unknown person, not with an empty list.
    assert client.get("/incidents/", {"person": person.slug}).status_code == 400
    assert client.get("/api/incidents/", {"person": person.slug}).status_code == 400
    hidden = make_incident(title="Unverified charge", status="submitted")
    Charge.objects.create(person=person, provision=provision, incident=hidden, status="charged")
    published = make_incident(title="Charged under a withheld name")
    withheld = make_person("Withheld Name", confidential=True)
    Charge.objects.create(person=withheld, provision=provision, incident=published, status="charged")
    assert found_everywhere(client, {"charge": provision.slug}) == []


def test_results_are_paginated_with_the_total(client, db):
    call_command("load_demo", verbosity=0)
    for _ in range(30):
        make_incident(title="Bulk marker")
    first = client.get("/incidents/", {"q": "bulk marker"})
    second = client.get("/incidents/", {"q": "bulk marker", "page": "2"})
    assert "30 verified incidents" in first.content.decode()
    assert len(first.context["incidents"]) == 25 and len(second.context["incidents"]) == 5
    assert 'href="?q=bulk+marker&amp;page=2"' in first.content.decode()
    dates = [incident.period_start for incident in [*first.context["incidents"], *second.context["incidents"]]]
    assert dates == sorted(dates, reverse=True)
    api = client.get("/api/incidents/", {"q": "bulk marker", "page": "2"}).json()
    assert api["count"] == 30 and len(api["results"]) == 5


@pytest.mark.parametrize("busy_from", [1000, 2], ids=["a few rows", "walked newest first"])
def test_an_actors_incidents_follow_the_rows_rule_in_either_shape(monkeypatch, db, busy_from):
    """`involving()` reads an actor's part of the rule from the actor at hand: it must find exactly
    the incidents that the general rule (`Involvement.objects.public()`, `Charge.objects.public()`)
    finds, for people and organisations, confidential or not."""
    monkeypatch.setattr("incidents.querysets.BUSY_PERSON", busy_from)
    call_command("load_demo", verbosity=0)
    provision = make_provision("600")
    named, covert = make_person("Aruzhan Named"), make_person("Covert Person", confidential=True)
    union, secret_union = make_organisation("Open Union"), make_organisation("Secret Union", confidential=True)
    for actor in ({"person": named}, {"person": covert}, {"organisation": union}, {"organisation": secret_union}):
        involve(make_incident(title="Public row"), **actor)
        involve(make_incident(title="Confidential row"), confidential=True, **actor)
        involve(make_incident(title="Draft", status="draft"), **actor)
    for person in (named, covert):
        Charge.objects.create(person=person, provision=provision, incident=make_incident(), status="charged")
        draft = make_incident(title="Draft charge", status="draft")
        Charge.objects.create(person=person, provision=provision, incident=draft, status="charged")

    public = Incident.objects.public()
    for person in (named, covert):
        expected = {
            *Involvement.objects.public().filter(person=person).values_list("incident", flat=True),
            *Charge.objects.public().filter(person=person).values_list("incident", flat=True),
        }
        assert set(public.involving(person=person).values_list("pk", flat=True)) == expected
    for organisation in (union, secret_union):
        rows = Involvement.objects.public().filter(organisation=organisation)
        expected = set(rows.values_list("incident", flat=True))
        assert set(public.involving(organisation=organisation).values_list("pk", flat=True)) == expected
    assert len(public.involving(person=named)) == 2 and len(public.involving(organisation=union)) == 1
    assert not public.involving(person=covert).exists() and not public.involving(organisation=secret_union).exists()
