"""The choices of the search form's region and charge pickers: plain grouped `<select>` lists, which
work without JavaScript and let a reader choose several values of one filter.

The two lists are the same on every search page: every legal provision, and every region with
public incidents. Made once per interface language and kept for `PICKERS_LIFETIME` seconds in
Django's cache, they cost a page the marking of its chosen values only. A new provision or a
region's first public incident reaches the pickers within that time; the facets and results,
which are never kept, show them at once.
"""

import re
from dataclasses import dataclass, field, replace

from django.core.cache import cache
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.counting import EXACT_COUNT_LIMIT
from core.translation import reader_language
from places.models import Place

from .facets import path_ids
from .models import Incident, LegalProvision
from .querysets import SAMPLE_SHARE

PICKERS_LIFETIME = 60


def picker_choices(cleaned: dict) -> dict[str, list["ChoiceGroup"]]:
    """The region and charge pickers, the valid chosen values selected; `cleaned` is the
    FilterSet form's cleaned data. The regions are those of every public incident, not only of
    the current results: a reader widens a search with them too."""
    regions, charges = cache.get_or_set(f"search-pickers:{reader_language()}", all_choices, PICKERS_LIFETIME)
    return {
        "region_choices": with_chosen_places(regions, cleaned.get("region") or []),
        "charge_choices": selected(charges, {provision.slug for provision in cleaned.get("charge") or []}),
    }


def all_choices() -> tuple[list["ChoiceGroup"], list["ChoiceGroup"]]:
    """Both pickers, nothing selected, in the reader's language."""
    return region_choices(regions_with_public_incidents()), charge_choices()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool = False


@dataclass
class ChoiceGroup:
    label: str
    choices: list[Choice] = field(default_factory=list)
    # The country whose regions the group lists: where a chosen place missing from it belongs.
    country_id: int | None = None


def selected(groups: list[ChoiceGroup], values: set[str]) -> list[ChoiceGroup]:
    """The groups with the choices of `values` selected; the groups without any are shared as
    they are."""
    if not values:
        return groups
    return [
        replace(group, choices=[replace(choice, selected=choice.value in values) for choice in group.choices])
        if any(choice.value in values for choice in group.choices)
        else group
        for group in groups
    ]


def regions_with_public_incidents() -> list[tuple[Place, list[Place]]]:
    """Each country with public incidents and its places one level down that have some, by name.

    Read from the places' paths alone, without counting: from the estimation sample when it is
    large enough to stand for every public incident (a region too rare to be in it is missing, as
    from the counts), else from every public incident.
    """
    public = Incident.objects.public().order_by()
    in_sample = dict(public.in_sample().values_list("place_path").annotate(Count("pk")))
    if sum(in_sample.values()) * SAMPLE_SHARE > 1.5 * EXACT_COUNT_LIMIT:
        paths = set(in_sample)
    else:
        paths = set(public.values_list("place_path", flat=True).distinct())
    tree: dict[int, set[int]] = {}
    for ids in map(path_ids, paths):
        if ids:
            tree.setdefault(ids[0], set()).update(ids[1:2])
    places = Place.objects.only(*PLACE_LABEL_FIELDS).in_bulk(
        [*tree, *(pk for inside in tree.values() for pk in inside)]
    )
    return sorted(
        ((places[country], sorted((places[pk] for pk in inside), key=by_label)) for country, inside in tree.items()),
        key=lambda entry: by_label(entry[0]),
    )


# What a place's label and its choice need; a place's other columns (its names for search) are long.
PLACE_LABEL_FIELDS = ("slug", "path", "name", "name_en", "name_ru", "name_kk")


def by_label(place: Place) -> str:
    return place.label.casefold()


def region_choices(tree: list[tuple[Place, list[Place]]]) -> list[ChoiceGroup]:
    """Each country with public incidents, as a whole, then its regions that have some."""
    return [
        ChoiceGroup(
            country.label,
            [
                Choice(country.slug, _("%(country)s (whole country)") % {"country": country.label}),
                *(Choice(region.slug, region.label) for region in regions),
            ],
            country.pk,
        )
        for country, regions in tree
    ]


def with_chosen_places(groups: list[ChoiceGroup], chosen: list[Place]) -> list[ChoiceGroup]:
    """The region picker with the chosen places selected. A chosen place that the list lacks (a
    town picked from the facets, a region without public incidents) is added under its country,
    or at the end, so that sending the form again keeps it."""
    groups = selected(groups, {place.slug for place in chosen})
    listed = {choice.value for group in groups for choice in group.choices}
    missing = [place for place in chosen if place.slug not in listed]
    if not missing:
        return groups
    by_country = {group.country_id: replace(group, choices=[*group.choices]) for group in groups}
    others = ChoiceGroup(str(_("Other places")))
    for place in missing:
        by_country.get(path_ids(place.path)[0], others).choices.append(Choice(place.slug, place.label, selected=True))
    return [*by_country.values(), *([others] if others.choices else [])]


PROVISION_LABEL_FIELDS = (
    "slug",
    "jurisdiction",
    "code",
    "code_ru",
    "code_kk",
    "edition",
    "article",
    "part",
    "title_original",
    "title_original_language",
    "title_en",
    "title_ru",
    "title_kk",
)


def charge_choices() -> list[ChoiceGroup]:
    """Every legal provision, grouped by jurisdiction and code (with its edition), articles in
    numeric order: "Kazakhstan, Penal Code (1997)": Article 164, Article 174…"""
    groups: dict[tuple, ChoiceGroup] = {}
    provisions = list(LegalProvision.objects.only(*PROVISION_LABEL_FIELDS))
    # The few jurisdictions once each, rather than one copy per provision.
    jurisdictions = Place.objects.only(*PLACE_LABEL_FIELDS).in_bulk({p.jurisdiction_id for p in provisions})
    for provision in provisions:
        provision.jurisdiction = jurisdictions[provision.jurisdiction_id]
    labelled = [(provision.code_reference, provision) for provision in provisions]
    for code_reference, provision in sorted(labelled, key=lambda row: (row[0].casefold(), article_order(row[1]))):
        group = groups.setdefault(
            (provision.jurisdiction_id, provision.code, provision.edition), ChoiceGroup(code_reference)
        )
        group.choices.append(Choice(provision.slug, f"{provision.article_reference} — {provision.title}"))
    return list(groups.values())


def article_order(provision: LegalProvision) -> list:
    """Article 17 before Article 164: the numbers in an article's reference compared as numbers."""
    return [
        int(part) if part.isdigit() else part for part in re.split(r"(\d+)", f"{provision.article} {provision.part}")
    ]
