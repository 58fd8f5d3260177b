from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import HistoryAdmin, LabelsItsColumns, NormalisedNameSearchMixin
from core.merge_admin import MergesAdmin
from core.partial_dates import PartialDatesForm
from sources.admin import CitationInline

from .forms import OrganisationForm
from .models import Membership, Organisation, OrganisationAlias


class MembershipInline(LabelsItsColumns, admin.TabularInline):
    model = Membership
    form = PartialDatesForm
    extra = 0
    autocomplete_fields = ["person", "organisation"]
    fields = ["person", "organisation", "role", "start_date", "end_date"]


class OrganisationAliasInline(LabelsItsColumns, admin.TabularInline):
    model = OrganisationAlias
    extra = 1
    fields = ["name", "kind", "language"]


class BranchInline(LabelsItsColumns, admin.TabularInline):
    model = Organisation
    fk_name = "parent"
    verbose_name = _("branch")
    verbose_name_plural = _("branches and parts")
    extra = 0
    fields = ["name", "kind", "area"]
    autocomplete_fields = ["area"]
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(MergesAdmin, NormalisedNameSearchMixin, HistoryAdmin):
    form = OrganisationForm
    list_display = ["name", "kind", "parent", "area", "confidential"]
    list_filter = ["kind", "confidential"]
    list_select_related = ["parent", "area"]
    search_fields = ["name", "aliases__name", "slug"]
    normalised_search_fields = ("name_normalised", "aliases__normalised")
    autocomplete_fields = ["parent", "area"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [OrganisationAliasInline, BranchInline, MembershipInline, CitationInline]
    fields = [
        "name",
        "slug",
        "kind",
        "parent",
        "area",
        "description",
        "confidential",
        "public_id",
        "created_at",
        "updated_at",
    ]


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(NormalisedNameSearchMixin, HistoryAdmin):
    list_display = ["name", "organisation", "kind", "language"]
    list_filter = ["kind"]
    list_select_related = ["organisation"]
    search_fields = ["name", "organisation__name"]
    normalised_search_fields = ("normalised",)
    autocomplete_fields = ["organisation"]


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["person", "role", "organisation", "start_date", "end_date"]
    list_select_related = ["person", "organisation"]
    search_fields = ["person__name", "organisation__name", "role"]
    autocomplete_fields = ["person", "organisation"]
    date_hierarchy = "start_date"
    inlines = [CitationInline]
