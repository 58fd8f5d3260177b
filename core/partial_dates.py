"""A date known to a year, a month or a day, typed as such: `2024`, `2024-03`, `2024-03-08` (or,
as Russian and Kazakh documents write them, `03.2024` and `08.03.2024`), after "around" (or "~",
"около", "шамамен") when the sources give it roughly.

The models keep a date and its precision in two fields (`core.dates`); entry forms show one text
box for both, so nobody types a day they do not know and then picks "month" from a menu.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from .dates import DatePrecision, truncate_to_precision

FORMATS = [
    (re.compile(r"(?P<year>\d{4})"), DatePrecision.YEAR),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})"), DatePrecision.MONTH),
    (re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})"), DatePrecision.DAY),
    (re.compile(r"(?P<month>\d{1,2})\.(?P<year>\d{4})"), DatePrecision.MONTH),
    (re.compile(r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"), DatePrecision.DAY),
]


# Words before a date that say it is approximate, in the site's languages, and the one it is shown with.
AROUND = re.compile(r"^(?:around|about|approx\.?|circa|ca\.|c\.|~|около|примерно|ок\.|шамамен|шам\.)\s*", re.IGNORECASE)


@dataclass(frozen=True)
class PartialDate:
    date: datetime.date
    precision: str
    approximate: bool = False

    def __str__(self) -> str:
        if self.precision == DatePrecision.YEAR:
            written = f"{self.date:%Y}"
        elif self.precision == DatePrecision.MONTH:
            written = f"{self.date:%Y-%m}"
        else:
            written = self.date.isoformat()
        return f"~{written}" if self.approximate else written


def parse_partial_date(text: str) -> PartialDate | None:
    """The date a text names, to the precision it is written with; None when it is written in
    none of the formats, ValueError when it is but no such day exists (2024-02-30)."""
    text = text.strip()
    approximate = AROUND.match(text)
    if approximate:
        text = text[approximate.end() :]
    for pattern, precision in FORMATS:
        found = pattern.fullmatch(text)
        if found:
            parts = found.groupdict()
            day = datetime.date(int(parts["year"]), int(parts.get("month") or 1), int(parts.get("day") or 1))
            return PartialDate(day, precision, bool(approximate))
    return None


class PartialDateInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"size": 12, "placeholder": _("2024, 2024-03 or 2024-03-08"), **(attrs or {})})

    def format_value(self, value):
        return "" if value is None else str(value)


class PartialDateField(forms.Field):
    widget = PartialDateInput
    default_error_messages = {
        "invalid": _("Enter a year (2024), a month (2024-03) or a day (2024-03-08)."),
        "not_in_calendar": _("%(value)s is not a day of the calendar."),
        "never_approximate": _("This date is given exactly or not at all: leave out “around”."),
    }

    def to_python(self, value):
        if isinstance(value, PartialDate) or value in self.empty_values:
            return value or None
        try:
            parsed = parse_partial_date(str(value))
        except ValueError as error:
            raise forms.ValidationError(
                self.error_messages["not_in_calendar"], code="not_in_calendar", params={"value": value}
            ) from error
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


def precision_pairs(model) -> list[tuple[str, str]]:
    """The model's (date field, precision field) pairs: `start_date` and `start_precision`,
    `date` and `date_precision`, `birth_date` and `birth_date_precision`."""
    names = {field.name for field in model._meta.concrete_fields}
    pairs = []
    for name in sorted(names):
        if name.endswith("_precision"):
            stem = name.removesuffix("_precision")
            date_name = stem if stem in names else f"{stem}_date"
            if date_name in names:
                pairs.append((date_name, name))
    return pairs


class PartialDatesForm(forms.ModelForm):
    """A model form whose dates with a precision are each one text box, wherever the form leaves
    the precision field out (the admin's fieldsets do); a form that shows both is left as it is."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The model's "dates are approximate" flag, which "around" before a date sets, when it has one.
        names = {field.name for field in self._meta.model._meta.concrete_fields}
        shown_apart = "dates_approximate" in self.fields
        self.approximate_field = "dates_approximate" if "dates_approximate" in names and not shown_apart else None
        self.partial_dates = [
            (date_name, precision_name)
            for date_name, precision_name in precision_pairs(self._meta.model)
            if date_name in self.fields and precision_name not in self.fields
        ]
        for date_name, precision_name in self.partial_dates:
            shown = self.fields[date_name]
            spoken = {"aria-label": shown.widget.attrs["aria-label"]} if "aria-label" in shown.widget.attrs else {}
            self.fields[date_name] = PartialDateField(
                label=shown.label,
                required=shown.required,
                widget=PartialDateInput(spoken),
                help_text=self.partial_date_help(),
            )
            known = getattr(self.instance, date_name)
            if known is not None:
                approximate = bool(self.approximate_field and getattr(self.instance, self.approximate_field))
                self.initial[date_name] = PartialDate(known, getattr(self.instance, precision_name), approximate)

    def partial_date_help(self) -> str:
        if self.approximate_field:
            return _(
                "A year, a month or a day, as far as the sources know it: 2024, 2024-03 or 2024-03-08; "
                "“around 2024-03” when they give it roughly."
            )
        return _("A year, a month or a day, as far as the sources know it: 2024, 2024-03 or 2024-03-08.")

    def clean(self):
        cleaned_data = super().clean()
        approximate = False
        for date_name, precision_name in self.partial_dates:
            value = cleaned_data.get(date_name)
            if isinstance(value, PartialDate):
                if value.approximate and not self.approximate_field:
                    self.add_error(date_name, self.fields[date_name].error_messages["never_approximate"])
                    continue
                approximate |= value.approximate
                cleaned_data[date_name] = truncate_to_precision(value.date, value.precision)
                setattr(self.instance, precision_name, value.precision)
        if self.approximate_field:
            setattr(self.instance, self.approximate_field, approximate)
        return cleaned_data
