from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.duplicates import WarnsOfDuplicates, possible_duplicates
from core.partial_dates import PartialDatesForm
from incidents.models import Involvement
from organisations.models import Membership

from .models import NameVariant, Person


class PersonForm(WarnsOfDuplicates, PartialDatesForm):
    """The person admin's form: a name that resembles someone already entered is shown with them."""

    class Meta:
        model = Person
        fields = "__all__"

    def find_duplicates(self, name):
        return possible_duplicates(
            Person.objects.all(),
            name,
            field="name_normalised",
            variants=NameVariant.objects.all(),
            owner="person",
            exclude=self.instance.pk,
        )

    def describe(self, person) -> list[str]:
        """What tells two people of one name apart: birth, occupation, organisations, incidents."""
        details = []
        if person.birth_date:
            details.append(_("born %(date)s") % {"date": person.birth_date_display})
        if person.occupation:
            details.append(person.occupation)
        organisations = Membership.objects.filter(person=person).values_list("organisation__name", flat=True)
        details += list(dict.fromkeys(organisations))
        incidents = Involvement.objects.filter(person=person).values("incident").distinct().count()
        details.append(
            ngettext("named in %(count)s incident", "named in %(count)s incidents", incidents) % {"count": incidents}
        )
        return details
