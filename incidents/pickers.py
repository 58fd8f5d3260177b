"""The choices of the search form's region and charge pickers: plain grouped `<select>` lists, which
work without JavaScript and let a reader choose several values of one filter."""

import re
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from core.counting import EXACT_COUNT_LIMIT
from places.models import Place

from .facets import path_ids
from .models import Incident, LegalProvision
from .querysets import SAMPLE_SHARE


def picker_choices(cleaned: dict) -> dict[str, list["ChoiceGroup"]]:
    """The region and charge pickers, the valid chosen values selected; `cleaned` is the
    FilterSet form's cleaned data. The regions are those of every public incident, not only of
    the current results: a reader widens a search with them too."""
    return {
        "region_choices": region_choices(regions_with_public_incidents(), cleaned.get("region") or []),
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
    places = Place.objects.in_bulk([*tree, *(pk for inside in tree.values() for pk in inside)])
    return sorted(
        ((places[country], sorted((places[pk] for pk in inside), key=by_label)) for country, inside in tree.items()),
        key=lambda entry: by_label(entry[0]),
    )


def by_label(place: Place) -> str:
    return place.label.casefold()


def region_choices(tree: list[tuple[Place, list[Place]]], chosen: list[Place]) -> list[ChoiceGroup]:
    """Each country with public incidents, as a whole, then its regions that have some.

    A chosen place that the list lacks (a town picked from the facets, a region without public
    incidents) is listed under its country, or at the end, so that sending the form again keeps it.
    """
    chosen_slugs = {place.slug for place in chosen}
    groups = {}
    for country, regions in tree:
        whole = _("%(country)s (whole country)") % {"country": country.label}
        groups[country.pk] = ChoiceGroup(
            country.label,
            [
                Choice(country.slug, whole, country.slug in chosen_slugs),
                *(Choice(region.slug, region.label, region.slug in chosen_slugs) for region in regions),
            ],
        )
    listed = {choice.value for group in groups.values() for choice in group.choices}
    others = ChoiceGroup(str(_("Other places")))
    for place in chosen:
        if place.slug not in listed:
            groups.get(path_ids(place.path)[0], others).choices.append(Choice(place.slug, place.label, selected=True))
    return [*groups.values(), *([others] if others.choices else [])]


PROVISION_LABEL_FIELDS = (
    "slug",
    "jurisdiction",
    "code",
    "edition",
    "article",
    "part",
    "title_original",
    "title_original_language",
    "title_en",
    "title_ru",
    "title_kk",
)


def charge_choices(chosen: list[LegalProvision]) -> list[ChoiceGroup]:
    """Every legal provision, grouped by jurisdiction and code (with its edition), articles in
    numeric order: "Kazakhstan, Penal Code (1997)": Article 164, Article 174…"""
    chosen_ids = {provision.pk for provision in chosen}
    groups: dict[tuple, ChoiceGroup] = {}
    # Only what the labels show: a provision's jurisdiction is a place, whose other columns are long.
    provisions = LegalProvision.objects.select_related("jurisdiction").only(
        *PROVISION_LABEL_FIELDS, *(f"jurisdiction__{name}" for name in ("name", "name_en", "name_ru", "name_kk"))
    )
    labelled = [(provision.code_reference, provision) for provision in provisions]
    for code_reference, provision in sorted(labelled, key=lambda row: (row[0].casefold(), article_order(row[1]))):
        group = groups.setdefault(
            (provision.jurisdiction_id, provision.code, provision.edition), ChoiceGroup(code_reference)
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
