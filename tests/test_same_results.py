"""The same searches find the same records on SQLite and on PostgreSQL.

PostgreSQL gets its own indexes (trigram, partial) and plans; none of that may change a result.
Each search's complete result list, in order, is compared with tests/expected_search_results.json.
The suite runs on both databases against that one file, so a difference on either fails here.
After an intended change of the search, rewrite the file with
`VIGIL_WRITE_EXPECTED_RESULTS=1 pytest tests/test_same_results.py` and review its diff.
"""

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import QueryDict

from incidents.filters import IncidentFilter
from incidents.models import Charge, Incident, Involvement
from people.models import NameVariant

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).with_name("expected_search_results.json")
SEED = 9

DEMO_SEARCHES = [
    "",
    "q=amirova",
    "q=Амирова",
    "q=Ayzhangul",
    "q=halyk maidan",
    "q=popular front",
    "region=kazakhstan",
    "region=mangghystau-oblysy",
    "charge=kz-penal-code-1997-article-164",
    "charge=kz-penal-code-2014-article-174&charge_equivalents=1",
    "type=arrest",
    "person=ajzhangul-amirova",
    "organisation=halyk-maidan",
    "date_from=2011-05-01&date_to=2011-05-31",
    "date_from=2012-01-01",
    "region=kazakhstan&type=statement&date_to=2011-12-31",
    "q=Mangistau",
    "q=Мангистау",
    "q=Amirova Zhanaozen",
    "region=aktau&region=astana",
    "charge=kz-penal-code-1997-article-164&charge=kz-penal-code-2014-article-174",
]


def generated_searches() -> list[str]:
    """Searches over the generated data, with examples read from it (the same on every database)."""
    incidents = Incident.objects.filter(slug__startswith=f"gen{SEED}-")
    first = incidents.public().order_by("slug").first()
    # The first names in code point order, compared here rather than by the database's collation.
    variants = NameVariant.objects.filter(person__involvements__incident__in=incidents.public())
    cyrillic = min(variants.filter(script="cyrillic").values_list("name", flat=True)).split()[-1]
    latin = min(variants.filter(script="latin").values_list("name", flat=True)).split()[0]
    provision = Charge.objects.filter(incident__in=incidents).order_by("provision__slug").first().provision
    victim = Involvement.objects.filter(incident=first, role="victim").get().person
    organisation = (
        Involvement.objects.filter(incident__in=incidents, organisation__isnull=False)
        .order_by("organisation__slug")
        .first()
        .organisation
    )
    country = first.place.ancestors()[0]
    return [
        f"q={cyrillic}",
        f"q={latin}",
        "q=journalist detained",
        f"region={country.slug}",
        f"region={first.place.slug}",
        f"charge={provision.slug}",
        f"type={first.incident_type.slug}",
        f"person={victim.slug}",
        f"organisation={organisation.slug}",
        "date_from=2010-03-01&date_to=2011-02-28",
        f"region={country.slug}&type={first.incident_type.slug}&date_from=2005-01-01",
        f"q=police&region={country.slug}",
        f"q={first.place.parent.parent.name.split()[0]}",
        f"region={first.place.slug}&region={first.place.parent.parent.slug}&type={first.incident_type.slug}",
    ]


def results(searches: list[str]) -> dict[str, list[str]]:
    found = {}
    for search in searches:
        filterset = IncidentFilter(QueryDict(search), queryset=Incident.objects.shown_in_lists())
        assert filterset.is_valid(), (search, filterset.errors)
        found[search] = list(filterset.qs.values_list("slug", flat=True))
    return found


def test_every_search_finds_the_expected_records_on_this_database(demo):
    found = {"demo": results(DEMO_SEARCHES)}
    call_command("generate_dataset", incidents=600, seed=SEED, verbosity=0)
    found["generated"] = results(generated_searches())
    if os.environ.get("VIGIL_WRITE_EXPECTED_RESULTS"):
        EXPECTED.write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n")
    expected = json.loads(EXPECTED.read_text())
    assert found == expected
    assert all(found["demo"].values()) and all(found["generated"].values()), "every search should find something"
