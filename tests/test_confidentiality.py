"""People who did not consent appear under a stable pseudonym; staff-only rows never move it."""

import re

import pytest

from incidents.models import Involvement
from people.models import Person

from .factories import make_incident

pytestmark = pytest.mark.django_db


def person(name: str, consents: bool = False, **fields) -> Person:
    return Person.objects.create(name=name, consent_to_publish=consents, **fields)


def without_csrf_token(page: str) -> str:
    """The page without the language switcher's CSRF token, which is masked anew on every request."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_pseudonyms_follow_first_public_appearance_and_ignore_staff_only_rows(client, demo):
    incident = make_incident(title="Raid on a newsroom")
    # A staff-only row created first must not take a letter.
    Involvement.objects.create(incident=incident, role="victim", person=person("Hidden Witness"), confidential=True)
    Involvement.objects.create(
        incident=incident, role="victim", person=person("Confidential Victim", confidential=True)
    )
    Involvement.objects.create(incident=incident, role="victim", person=person("Gulnara Secret"))
    Involvement.objects.create(incident=incident, role="victim", person=person("Named Editor", consents=True))
    Involvement.objects.create(incident=incident, role="witness", person=person("Timur Secret"))

    assert list(incident.public_person_names.values()) == ["Person A", "Named Editor", "Person B"]
    first = client.get(incident.get_absolute_url()).content.decode()
    shown = " ".join(re.sub(r"<[^>]+>", " ", first).split())
    assert "Victim: Person A" in shown and "Witness: Person B" in shown
    assert "Named Editor" in first
    for hidden in ("Gulnara", "Timur", "Hidden Witness", "Confidential Victim"):
        assert hidden not in first
    assert without_csrf_token(client.get(incident.get_absolute_url()).content.decode()) == without_csrf_token(first)


def test_the_same_person_keeps_one_pseudonym_within_an_incident(demo):
    incident = make_incident()
    secret = person("Aliya Secret")
    Involvement.objects.create(incident=incident, role="victim", person=secret)
    Involvement.objects.create(incident=incident, role="witness", person=secret)
    other = person("Other Secret")
    Involvement.objects.create(incident=incident, role="witness", person=other)
    assert incident.public_person_names == {secret.pk: "Person A", other.pk: "Person B"}


def test_involvements_of_unpublished_incidents_and_corrections_are_not_public(demo):
    from incidents import workflow

    from .factories import make_user

    draft = make_incident(status="draft")
    Involvement.objects.create(incident=draft, role="victim", unidentified_actor="Draft-only actor")
    arrest = draft.__class__.objects.get(slug="amirova-arrest-aktau-airport-2012")
    correction = workflow.propose_correction(incident=arrest, by=make_user("Researcher"))
    public = Involvement.objects.public()
    assert not public.filter(incident__in=[draft, correction]).exists()
    assert public.filter(incident=arrest).count() == arrest.involvements.count()
