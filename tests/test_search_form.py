"""The search form: region and charge pickers that work without JavaScript, several values of one
filter, and each filter value in force shown as a chip that removes it alone."""

import re

import pytest
from django.core.cache import cache
from django.test.html import parse_html

from incidents.models import Charge

from .factories import make_incident, make_person, make_provision

pytestmark = pytest.mark.django_db

PAGE = "/incidents/"
ARTICLE_164 = "kz-penal-code-1997-article-164"
ARTICLE_174 = "kz-penal-code-2014-article-174"


def picker(html: str, name: str) -> dict[str, list[tuple[str, str, bool]]]:
    """The groups of a picker: group label -> [(value, label, selected)]."""
    select = re.search(rf'<select id="search-{name}" name="{name}" multiple[^>]*>.*?</select>', html, re.S).group(0)
    groups = {}
    for group in parse_html(select).children:
        options = [child for child in group.children if getattr(child, "name", "") == "option"]
        groups[dict(group.attributes)["label"]] = [
            (dict(option.attributes)["value"], option.children[0], "selected" in dict(option.attributes))
            for option in options
        ]
    return groups


def test_the_region_picker_lists_countries_and_regions_with_public_incidents(client, demo):
    html = client.get(PAGE).content.decode()
    assert picker(html, "region") == {
        "Kazakhstan": [
            ("kazakhstan", "Kazakhstan (whole country)", False),
            ("astana", "Astana", False),
            ("mangghystau-oblysy", "Mangghystaū oblysy", False),
        ]
    }
    assert '<label for="search-region">Regions</label>' in html


def test_the_pickers_keep_the_chosen_values_even_those_they_do_not_list(client, demo):
    html = client.get(PAGE, {"region": ["zhanaozen", "astana", "mazowieckie"]}).content.decode()
    assert picker(html, "region") == {
        "Kazakhstan": [
            ("kazakhstan", "Kazakhstan (whole country)", False),
            ("astana", "Astana", True),
            ("mangghystau-oblysy", "Mangghystaū oblysy", False),
            ("zhanaozen", "Zhanaozen", True),
        ],
        "Other places": [("mazowieckie", "Mazowieckie", True)],
    }


def test_the_kept_pickers_are_in_each_reader_s_language_and_select_only_this_search_s_values(client, demo):
    client.get(PAGE, {"region": "astana"})
    russian = picker(client.get(PAGE, headers={"accept-language": "ru"}).content.decode(), "region")
    assert list(russian) == ["Казахстан"]
    assert [selected for _value, _label, selected in russian["Казахстан"]] == [False, False, False]
    english = picker(client.get(PAGE, {"region": "kazakhstan"}).content.decode(), "region")
    assert english["Kazakhstan"][0] == ("kazakhstan", "Kazakhstan (whole country)", True)


def test_a_new_provision_reaches_the_charge_picker_when_the_kept_lists_expire(client, demo):
    client.get(PAGE)
    make_provision("17", code="Penal Code", edition="1997")
    assert "kazakhstan-penal-code-1997-article-17" not in client.get(PAGE).content.decode()
    cache.clear()
    assert "kazakhstan-penal-code-1997-article-17" in client.get(PAGE).content.decode()


def test_the_charge_picker_groups_articles_by_jurisdiction_and_code(client, demo):
    make_provision("17", code="Penal Code", edition="1997")
    html = client.get(PAGE, {"charge": ARTICLE_164}).content.decode()
    groups = picker(html, "charge")
    assert [(value, selected) for value, _label, selected in groups["Kazakhstan, Penal Code (1997)"]] == [
        ("kazakhstan-penal-code-1997-article-17", False),
        (ARTICLE_164, True),
    ]
    assert groups["Kazakhstan, Penal Code (2014)"][0][:2] == (
        ARTICLE_174,
        "Article 174 — Incitement of social, national, clan, racial, class or religious discord",
    )


def test_each_value_in_force_is_a_chip_that_removes_it_alone(client, demo):
    html = client.get(
        PAGE, {"q": "amirova", "region": ["aktau", "zhanaozen"], "charge": ARTICLE_174, "charge_equivalents": "1"}
    ).content.decode()
    chips = re.findall(r'<a class="chip" href="([^"]+)">([^:]+): <strong>([^<]+)</strong>', html)
    assert chips == [
        (
            "?q=amirova&amp;region=zhanaozen&amp;charge=kz-penal-code-2014-article-174&amp;charge_equivalents=1",
            "Region",
            "Aktau",
        ),
        (
            "?q=amirova&amp;region=aktau&amp;charge=kz-penal-code-2014-article-174&amp;charge_equivalents=1",
            "Region",
            "Zhanaozen",
        ),
        (
            "?q=amirova&amp;region=aktau&amp;region=zhanaozen",
            "Charge",
            "Kazakhstan, Penal Code (2014), Article 174: Incitement of social, national, clan, racial, class or "
            "religious discord",
        ),
    ]


def test_removing_one_of_two_charges_keeps_the_equivalents_for_the_other(client, demo):
    other = make_provision("999")
    Charge.objects.create(person=make_person(), provision=other, incident=make_incident(), status="charged")
    html = client.get(PAGE, {"charge": [ARTICLE_174, other.slug], "charge_equivalents": "1"}).content.decode()
    hrefs = re.findall(r'<a class="chip" href="([^"]+)">', html)
    assert hrefs == [
        f"?charge={other.slug}&amp;charge_equivalents=1",
        f"?charge={ARTICLE_174}&amp;charge_equivalents=1",
    ]


def test_the_form_sends_person_and_organisation_along_and_the_pickers_send_the_rest(client, demo):
    html = client.get(PAGE, {"person": "ajzhangul-amirova", "region": "aktau"}).content.decode()
    form = html.split('role="search"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="person" value="ajzhangul-amirova">' in form
    assert 'name="region" value=' not in form
    assert '<option value="aktau" selected>Aktau</option>' in form


def test_the_facets_come_before_the_results_in_the_page(client, demo):
    html = client.get(PAGE).content.decode()
    assert html.index('<aside class="facets"') < html.index('<section class="results"')
    assert html.index('role="search"') < html.index('<aside class="facets"')


def test_a_page_with_a_bad_value_keeps_the_pickers(client, demo):
    html = client.get(PAGE, {"region": ["astana", "atlantis"], "charge": ARTICLE_164}).content.decode()
    assert picker(html, "region")["Kazakhstan"][1] == ("astana", "Astana", False)
    assert (ARTICLE_164, True) in [
        (value, selected) for value, _l, selected in picker(html, "charge")["Kazakhstan, Penal Code (1997)"]
    ]
