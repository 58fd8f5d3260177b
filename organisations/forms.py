from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.duplicates import WarnsOfDuplicates, possible_duplicates
from incidents.models import Involvement

from .models import Organisation, OrganisationAlias


class OrganisationForm(WarnsOfDuplicates):
    """The organisation admin's form: a name that resembles one already entered is shown with it."""

    class Meta:
        model = Organisation
        fields = "__all__"

    def find_duplicates(self, name):
        return possible_duplicates(
            Organisation.objects.all(),
            name,
            field="name_normalised",
            variants=OrganisationAlias.objects.all(),
            owner="organisation",
            exclude=self.instance.pk,
        )

    def describe(self, organisation) -> list[str]:
        """What tells two organisations of one name apart: kind, where, parent, incidents."""
        details = [organisation.get_kind_display()]
        if organisation.area_id:
            details.append(organisation.area.label)
        if organisation.parent_id:
            details.append(_("part of %(parent)s") % {"parent": organisation.parent.name})
        incidents = Involvement.objects.filter(organisation=organisation).values("incident").distinct().count()
        details.append(
            ngettext("named in %(count)s incident", "named in %(count)s incidents", incidents) % {"count": incidents}
        )
        return details
