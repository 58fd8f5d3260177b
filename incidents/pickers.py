"""The choices of the search form's region and charge pickers: plain grouped `<select>` lists, which
work without JavaScript and let a reader choose several values of one filter."""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from places.models import Place

from .facets import CountryBuckets, path_ids
from .models import Incident, LegalProvision
from .results import SearchResults


def picker_choices(cleaned: dict) -> dict[str, list["ChoiceGroup"]]:
    """The region and charge pickers, the valid chosen values selected; `cleaned` is the
    FilterSet form's cleaned data. The regions are those of every public incident, not only of
    the current results: a reader widens a search with them too."""
    tree = SearchResults.of(Incident.objects.public()).region_tree()
    return {
        "region_choices": region_choices(tree, cleaned.get("region") or []),
        "charge_choices": charge_choices(cleaned.get("charge") or []),
    }


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass
class ChoiceGroup:
    label: str
    choices: list[Choice] = field(default_factory=list)


def region_choices(tree: list[CountryBuckets], chosen: list[Place]) -> list[ChoiceGroup]:
    """Each country with public incidents, as a whole, then its regions that have some (`region_tree`).

    A chosen place that the list lacks (a town picked from the facets, a region without public
    incidents) is listed under its country, or at the end, so that sending the form again keeps it.
    """
    chosen_slugs = {place.slug for place in chosen}
    groups = {}
    for entry in tree:
        country = entry.country
        whole = _("%(country)s (whole country)") % {"country": country.label}
        groups[entry.country_id] = ChoiceGroup(
            country.label,
            [
                Choice(country.slug, whole, country.slug in chosen_slugs),
                *(Choice(bucket.slug, bucket.label, bucket.slug in chosen_slugs) for bucket in entry.regions),
            ],
        )
    listed = {choice.value for group in groups.values() for choice in group.choices}
    others = ChoiceGroup(str(_("Other places")))
    for place in chosen:
        if place.slug not in listed:
            groups.get(path_ids(place.path)[0], others).choices.append(Choice(place.slug, place.label, selected=True))
    return [*groups.values(), *([others] if others.choices else [])]


def charge_choices(chosen: list[LegalProvision]) -> list[ChoiceGroup]:
    """Every legal provision, grouped by jurisdiction and code (with its edition), articles in
    numeric order: "Kazakhstan, Penal Code (1997)": Article 164, Article 174…"""
    chosen_ids = {provision.pk for provision in chosen}
    groups: dict[tuple, ChoiceGroup] = {}
    provisions = LegalProvision.objects.select_related("jurisdiction")
    for provision in sorted(provisions, key=lambda p: (p.code_reference.casefold(), article_order(p))):
        group = groups.setdefault(
            (provision.jurisdiction_id, provision.code, provision.edition), ChoiceGroup(provision.code_reference)
        )
        group.choices.append(
            Choice(provision.slug, f"{provision.article_reference} — {provision.title}", provision.pk in chosen_ids)
        )
    return list(groups.values())


def article_order(provision: LegalProvision) -> list:
    """Article 17 before Article 164: the numbers in an article's reference compared as numbers."""
    return [
        int(part) if part.isdigit() else part for part in re.split(r"(\d+)", f"{provision.article} {provision.part}")
    ]
