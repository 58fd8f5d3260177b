from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.admin import HistoryAdmin, LabelsItsColumns, NormalisedNameSearchMixin
from core.merge_admin import MergesAdmin
from organisations.admin import MembershipInline
from sources.admin import CitationInline

from .forms import PersonForm
from .models import NameVariant, Person, Relationship


class NameVariantInline(LabelsItsColumns, admin.TabularInline):
    model = NameVariant
    extra = 1
    fields = ["name", "kind", "script", "language"]


class RelationshipInline(LabelsItsColumns, admin.TabularInline):
    model = Relationship
    fk_name = "person"
    extra = 0
    autocomplete_fields = ["relative"]
    fields = ["kind", "relative", "note"]


@admin.register(Person)
class PersonAdmin(MergesAdmin, NormalisedNameSearchMixin, HistoryAdmin):
    form = PersonForm
    list_display = ["name", "occupation", "birth_date", "confidential", "consent_to_publish"]
    list_filter = ["confidential", "consent_to_publish"]
    search_fields = ["name", "name_variants__name", "slug"]
    normalised_search_fields = ("name_normalised", "name_variants__normalised")
    autocomplete_fields = ["birth_place"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    inlines = [NameVariantInline, RelationshipInline, MembershipInline, CitationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "occupation", "biography"]}),
        (_("Birth"), {"fields": ["birth_date", "birth_place"]}),
        (_("Staff only"), {"fields": ["private_notes", "confidential", "consent_to_publish"]}),
        (pgettext_lazy("fieldset", "Record"), {"fields": ["public_id", "created_at", "updated_at"]}),
    ]

    def autocomplete_label(self, person) -> str:
        """The name, with what tells people of one name apart: the birth and the occupation."""
        details = [
            _("born %(date)s") % {"date": person.birth_date_display} if person.birth_date else "",
            Truncator(person.occupation).chars(60),
        ]
        return " — ".join([person.name, *filter(None, details)])


@admin.register(NameVariant)
class NameVariantAdmin(NormalisedNameSearchMixin, HistoryAdmin):
    list_display = ["name", "person", "kind", "script", "language"]
    list_filter = ["kind", "script"]
    list_select_related = ["person"]
    search_fields = ["name", "person__name"]
    normalised_search_fields = ("normalised",)
    autocomplete_fields = ["person"]


@admin.register(Relationship)
class RelationshipAdmin(HistoryAdmin):
    list_display = ["person", "kind", "relative"]
    list_filter = ["kind"]
    list_select_related = ["person", "relative"]
    search_fields = ["person__name", "relative__name"]
    autocomplete_fields = ["person", "relative"]
    inlines = [CitationInline]
