"""Possible duplicates: a person or an organisation entered under another spelling of a name
already stored is shown beside the records it resembles before it is saved."""

import itertools

import pytest
from django.urls import reverse

from core.duplicates import likely_the_same, possible_duplicates
from organisations.models import Organisation
from people.models import NameVariant, Person

from .factories import admin_form_data
from .spelling_pairs import DIFFERENT_NAMES, SAME_NAME

SAME_PAIRS = [pair for spellings in SAME_NAME for pair in itertools.combinations(spellings, 2)]


def test_the_labelled_pairs_are_flagged_well_enough():
    assert len(SAME_PAIRS) + len(DIFFERENT_NAMES) >= 200
    true_flags = sum(likely_the_same(first, second) for first, second in SAME_PAIRS)
    false_flags = sum(likely_the_same(first, second) for first, second in DIFFERENT_NAMES)
    assert true_flags / len(SAME_PAIRS) >= 0.9
    assert true_flags / (true_flags + false_flags) >= 0.8


@pytest.mark.django_db
def test_the_database_finds_the_stored_spelling_of_each_name(without_demo):
    stored = {spellings[0]: Person.objects.create(name=spellings[0]) for spellings in SAME_NAME}
    asked = [(spellings[0], other) for spellings in SAME_NAME for other in spellings[1:]]
    found = 0
    for first, other in asked:
        candidates = possible_duplicates(
            Person.objects.all(), other, field="name_normalised", variants=NameVariant.objects.all(), owner="person"
        )
        found += stored[first] in [candidate.record for candidate in candidates]
    assert found / len(asked) >= 0.9


ADD_PERSON = reverse("admin:people_person_add")


@pytest.mark.django_db
def test_a_new_spelling_of_a_stored_person_is_shown_with_them_before_it_is_saved(admin_client, demo):
    form = admin_form_data(admin_client.get(ADD_PERSON))
    response = admin_client.post(ADD_PERSON, {**form, "name": "Aizhangul Amirova"})
    html = response.content.decode()
    assert response.status_code == 200 and "Possible duplicates" in html
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    assert reverse("admin:people_person_change", args=[amirova.pk]) in html
    assert "Halyk Maidan" in html  # what tells her apart: her organisations
    assert not Person.objects.filter(name="Aizhangul Amirova").exists()

    response = admin_client.post(ADD_PERSON, {**form, "name": "Aizhangul Amirova", "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Person.objects.filter(name="Aizhangul Amirova").exists()


@pytest.mark.django_db
def test_a_name_like_no_other_saves_at_once_and_an_unchanged_name_is_not_checked_again(admin_client, demo):
    form = admin_form_data(admin_client.get(ADD_PERSON))
    assert admin_client.post(ADD_PERSON, {**form, "name": "Bakhytzhan Toregozhina"}).status_code == 302
    amirova = Person.objects.get(slug="ajzhangul-amirova")
    duplicate = Person.objects.create(name="Ayzhangul Amirova")  # entered before the check existed
    change = reverse("admin:people_person_change", args=[duplicate.pk])
    data = {**admin_form_data(admin_client.get(change)), "occupation": "teacher"}
    assert admin_client.post(change, data).status_code == 302
    assert amirova.pk != duplicate.pk


@pytest.mark.django_db
def test_an_organisation_entered_again_under_another_spelling_is_shown(admin_client, demo):
    add = reverse("admin:organisations_organisation_add")
    form = admin_form_data(admin_client.get(add))
    html = admin_client.post(add, {**form, "name": "Khalyk Maidan", "kind": "movement"}).content.decode()
    assert "Possible duplicates" in html and "Halyk Maidan" in html
    assert not Organisation.objects.filter(name="Khalyk Maidan").exists()


@pytest.mark.django_db
def test_the_person_picker_of_an_incident_tells_people_of_one_name_apart(admin_client):
    import datetime

    Person.objects.create(name="Gulnara Zhanbolova", birth_date=datetime.date(1972, 8, 18), occupation="activist")
    Person.objects.create(name="Gulnara Zhanbolova", birth_date=datetime.date(1990, 1, 1), birth_date_precision="year")
    Person.objects.create(name="Gulnara Zhanbolova")
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"term": "Zhanbolova", "app_label": "incidents", "model_name": "involvement", "field_name": "person"},
    )
    labels = sorted(result["text"] for result in response.json()["results"])
    assert labels == [
        "Gulnara Zhanbolova",
        "Gulnara Zhanbolova — born 18 August 1972 — activist",
        "Gulnara Zhanbolova — born 1990",
    ]
