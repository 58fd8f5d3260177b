"""Filters shared by the public searches, so that the same input gets the same answer on every page
and in the API."""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .text import search_words

SEARCH_TEXT_MAX_LENGTH = 200
# Values of one parameter that mean "any of these" (`region=a&region=b`): enough for any search a
# person builds, few enough that the query stays small.
MAX_CHOSEN = 20


class SearchTextField(forms.CharField):
    """Search text with something to look for: punctuation alone would match every record."""

    default_error_messages = {
        "max_length": _("The search text has %(show_value)d characters; use at most %(limit_value)d."),
        "no_words": _("The search text has no letters or digits to look for."),
    }

    def clean(self, value):
        text = super().clean(value)
        if text and not search_words(text):
            raise forms.ValidationError(self.error_messages["no_words"], code="no_words")
        return text


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", SEARCH_TEXT_MAX_LENGTH)
        # Counted as typed, as the API's schema says (maxLength), not after the spaces around it
        # are dropped; spaces alone are no words to look for.
        kwargs.setdefault("strip", False)
        super().__init__(*args, **kwargs)


class YesNoField(forms.NullBooleanField):
    """true or false, as a link or a form sends it; anything else (" true" too, as the API's
    schema says `boolean`) is an error, not "no"."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Use true or false (or 1 and 0), not “%(value)s”.")}
    words = {
        "true": True,
        "1": True,
        "yes": True,
        "on": True,
        "false": False,
        "0": False,
        "no": False,
        "off": False,
    }

    def to_python(self, value):
        text = (value or "").lower()
        if not text:
            return None
        if text not in self.words:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params={"value": value})
        return self.words[text]


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class IsoDateField(forms.DateField):
    """A day written YYYY-MM-DD; a well-written day that does not exist (30 February) is told apart.

    Exactly that: not "2012-1-6" nor " 2012-01-06", which the date parser would let through,
    for the API's schema says `format: date`.
    """

    input_formats = ["%Y-%m-%d"]
    default_error_messages = {
        "invalid": _("Give a date as YYYY-MM-DD, for example 2012-01-06."),
        "no_such_day": _("There is no day %(value)s in the calendar; dates are written YYYY-MM-DD."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not (isinstance(value, str) and ISO_DATE.fullmatch(value)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return super().to_python(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                self.error_messages["no_such_day"], code="no_such_day", params={"value": value}
            ) from None


class IsoDateFilter(django_filters.DateFilter):
    field_class = IsoDateField


class SlugsField(django_filters.fields.ModelMultipleChoiceField):
    """Records named by their slugs, several at once, in the order given; each unknown slug is
    named in its own message, and an empty value (`region=`) chooses nothing."""

    default_error_messages = {"too_many": _("Choose at most %(limit)d at once, not %(count)d.")}

    def clean(self, value):
        if not isinstance(value, list | tuple):
            value = [value] if value else []
        # Every value given counts, repeated or empty, as the API's schema says (maxItems).
        if len(value) > MAX_CHOSEN:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"limit": MAX_CHOSEN, "count": len(value)}
            )
        slugs = list(dict.fromkeys(slug for slug in value if slug != ""))
        if not slugs:
            return []
        for slug in slugs:
            self.validate_no_null_characters(slug)
        found = {
            getattr(record, self.to_field_name): record
            for record in self.queryset.filter(**{f"{self.to_field_name}__in": slugs})
        }
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": slug}
                    )
                    for slug in unknown
                ]
            )
        return [found[slug] for slug in slugs]


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    """`name=a&name=b`: records that match any of them (the FilterSet's `method` says how)."""

    field_class = SlugsField
