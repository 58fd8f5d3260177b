"""The synthetic dataset behind the benchmarks: realistic proportions, repeatable from a seed."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from cases.models import Case, CaseCharge, CaseStage, CustodyPeriod, Sentence
from incidents.models import Charge, Incident, Involvement
from organisations.models import Organisation, OrganisationAlias
from people.models import NameVariant, Person
from places.models import Place

pytestmark = pytest.mark.django_db


def generate(seed: int, incidents: int = 600):
    call_command("generate_dataset", incidents=incidents, seed=seed, stdout=None, verbosity=0)


def snapshot(seed: int) -> list[tuple]:
    return list(
        Incident.objects.filter(slug__startswith=f"gen{seed}-")
        .order_by("slug")
        .values_list(
            "slug", "title", "summary", "start_date", "start_precision", "place__slug", "status", "confidential"
        )
    )


def remove(seed: int):
    prefix = f"gen{seed}-"
    for model in (CustodyPeriod, Sentence, CaseStage, CaseCharge):
        model.objects.filter(case__slug__startswith=prefix).delete()
    Case.objects.filter(slug__startswith=prefix).delete()
    Charge.objects.filter(incident__slug__startswith=prefix).delete()
    Involvement.objects.filter(incident__slug__startswith=prefix).delete()
    Incident.objects.filter(slug__startswith=prefix).delete()
    Person.objects.filter(slug__startswith=prefix).delete()
    Organisation.objects.filter(slug__startswith=prefix, parent__isnull=False).delete()
    Organisation.objects.filter(slug__startswith=prefix).delete()
    Place.objects.filter(slug__startswith=prefix, kind="city").delete()
    Place.objects.filter(slug__startswith=prefix).delete()
    from incidents.models import LegalProvision

    LegalProvision.objects.filter(slug__startswith=prefix).delete()


def test_proportions_follow_the_brief():
    generate(seed=3)
    incidents = Incident.objects.filter(slug__startswith="gen3-")
    assert incidents.count() == 600
    assert Person.objects.filter(slug__startswith="gen3-").count() == 200
    assert Organisation.objects.filter(slug__startswith="gen3-").count() == 30
    assert Involvement.objects.filter(incident__in=incidents).count() == 1800
    assert 100 <= Charge.objects.filter(incident__in=incidents).count() <= 260
    assert 30 <= incidents.filter(status="draft").count() <= 100
    assert 1 <= incidents.filter(confidential=True).count() <= 35
    scripts = set(NameVariant.objects.filter(person__slug__startswith="gen3-").values_list("script", flat=True))
    assert scripts == {"latin", "cyrillic"}
    assert OrganisationAlias.objects.filter(organisation__slug__startswith="gen3-").exists()
    assert Organisation.objects.filter(slug__startswith="gen3-", parent__isnull=False).exists()
    busiest_place = (
        incidents.values("place").order_by().annotate(n=__import__("django.db.models").db.models.Count("pk"))
    )
    counts = sorted((row["n"] for row in busiest_place), reverse=True)
    assert counts[0] >= 5 * counts[len(counts) // 2], "places should be skewed, a few holding many incidents"


def test_same_seed_same_data_and_no_double_load(without_demo):
    generate(seed=5, incidents=200)
    first = snapshot(5)
    with pytest.raises(CommandError, match="already loaded"):
        generate(seed=5, incidents=200)
    remove(5)
    generate(seed=5, incidents=200)
    assert snapshot(5) == first


def test_a_tenth_of_the_people_have_a_case_and_custody_and_some_are_held_today(without_demo):
    generate(seed=6, incidents=1500)
    people = Person.objects.filter(slug__startswith="gen6-").count()
    cases = Case.objects.filter(slug__startswith="gen6-")
    assert 0.08 * people <= cases.count() <= 0.1 * people
    assert Case.objects.public().filter(slug__startswith="gen6-").count() == cases.count()
    periods = CustodyPeriod.objects.filter(case__in=cases)
    assert periods.public().count() == periods.count()
    assert Sentence.objects.filter(case__in=cases, kind="imprisonment").exists()
    today = datetime.date.today()
    assert CustodyPeriod.objects.held_on(today).confirmed().exists()
    for period in periods.filter(end_date__isnull=True):
        assert period.start_date <= period.last_confirmed <= today
    # No one is held twice over: at most one open period a person.
    open_periods = periods.filter(end_date__isnull=True)
    assert open_periods.count() == open_periods.values("person").distinct().count()
    with pytest.raises(CommandError, match="has its cases and custody already"):
        call_command("generate_custody", seed=6, stdout=None)


def test_generated_incidents_are_findable_by_any_spelling_of_their_people():
    generate(seed=4, incidents=300)
    involvement = (
        Involvement.objects.public()
        .filter(incident__slug__startswith="gen4-", role="victim", person__consent_to_publish=True)
        .select_related("person")
        .first()
    )
    cyrillic = involvement.person.name_variants.filter(script="cyrillic").first()
    found = Incident.objects.public().matching(cyrillic.name)
    assert involvement.incident in found
