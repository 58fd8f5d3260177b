import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PublicChange


class CursorFilter(django_filters.NumberFilter):
    """A cursor is a whole number: 1.5 is refused, not rounded."""

    field_class = forms.IntegerField


class ChangeFilter(django_filters.FilterSet):
    since = CursorFilter(
        field_name="id",
        lookup_expr="gt",
        min_value=0,
        label=_("The cursor of the last change already read; 0 or none for the first."),
    )

    class Meta:
        model = PublicChange
        fields = ["since"]
