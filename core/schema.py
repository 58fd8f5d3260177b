"""The API's OpenAPI schema, saying what the API answers and takes, read off the code that does it.

drf-spectacular describes the 200 answers from the serializers and each filter by its type. What it
cannot see is added here, from the same fields and classes that decide: the 400 and 404 answers
every operation can give and their JSON, each filter's limits (the search text's length, a
record's address, how many values at once), that an empty value is the same as none (the search
form sends its empty fields), and times of day without an offset.
"""

from django import forms
from django.core.validators import RegexValidator
from django.db import models
from django_filters.fields import ModelMultipleChoiceField
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent, get_view_model
from rest_framework import serializers

from .filters import MAX_CHOSEN, SearchTextField

# A time of day as the API writes it (ISO 8601 without an offset: the incident's local time).
LOCAL_TIME = {
    "type": "string",
    "format": "partial-time",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{1,6})?$",
    "example": "09:30:00",
}
# Not a standard format: text with at least one letter or digit to look for.
SEARCH_TEXT_FORMAT = "search-text"
NO_NULL_CHARACTERS = r"^[^\u0000]*$"

PROBLEMS = {
    "type": "object",
    "description": "Each parameter at fault, with why in words: a parameter the address does not take, a second "
    "value of one that takes one, a value that names nothing or is malformed, a date_to before date_from.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
    "minProperties": 1,
}
PROBLEM = {
    "type": "object",
    "properties": {"detail": {"type": "string", "description": "What is not there, in words."}},
    "required": ["detail"],
}


class VigilAutoSchema(AutoSchema):
    """Every operation with its 400 and 404 answers; times of day as the API writes them."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        media_types = next(iter(responses.values()))["content"].keys()
        errors = {
            "400": ("ParameterProblems", PROBLEMS, "A parameter it does not take, or a wrong value."),
            "404": ("Problem", PROBLEM, "No such record, or no such page of the list."),
        }
        for code, (name, schema, description) in errors.items():
            component = ResolvedComponent(name=name, type=ResolvedComponent.SCHEMA, object=name, schema=schema)
            self.registry.register_on_missing(component)
            responses.setdefault(
                code,
                {
                    "content": {media_type: {"schema": component.ref} for media_type in media_types},
                    "description": description,
                },
            )
        return responses

    def _resolve_path_parameters(self, variables):
        """A record's address in the path, with the limits of the field that holds it."""
        parameters = super()._resolve_path_parameters(variables)
        model = get_view_model(self.view, emit_warnings=False)
        lookup = getattr(self.view, "lookup_field", None)
        for parameter in parameters:
            if model is not None and parameter["name"] == lookup:
                parameter["schema"] = {**parameter["schema"], **address_limits(model._meta.get_field(lookup))}
        return parameters

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if isinstance(field, serializers.TimeField):
            # `format: time` is RFC 3339's time with an offset, which a local time has not.
            schema.update(LOCAL_TIME)
        return schema


class ListFilterExtension(DjangoFilterExtension):
    """The search filters with their limits, read off their form fields, and their help text."""

    target_class = "core.api.ListFilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        field = filter_field.field
        for parameter in parameters:
            parameter["description"] = str(filter_field.extra.get("help_text") or filter_field.label)
            # An empty value is no value: `?type=&q=` is what the search form sends when left blank.
            parameter["allowEmptyValue"] = True
            parameter["schema"] = {**parameter["schema"], **limits(field)}
        return parameters


def limits(field: forms.Field) -> dict:
    """What a filter's form field accepts, as JSON Schema."""
    if isinstance(field, ModelMultipleChoiceField):
        address = record_address(field)
        # An empty value among several chooses nothing (the field drops it).
        address["pattern"] = f"^(?:{address['pattern'][1:-1]})?$"
        return {"type": "array", "items": address, "maxItems": MAX_CHOSEN}
    if isinstance(field, forms.ModelChoiceField):
        return record_address(field)
    if isinstance(field, SearchTextField):
        return {"format": SEARCH_TEXT_FORMAT, "maxLength": field.max_length, "pattern": NO_NULL_CHARACTERS}
    if isinstance(field, forms.IntegerField):
        return {"type": "integer", **({"minimum": field.min_value} if field.min_value is not None else {})}
    return {}


def record_address(field: forms.ModelChoiceField) -> dict:
    """A record named by its address (its slug)."""
    return address_limits(field.queryset.model._meta.get_field(field.to_field_name))


def address_limits(model_field: models.Field) -> dict:
    """What a record's address may be: the limits of the model field that holds it."""
    schema = {"type": "string", "maxLength": model_field.max_length}
    for validator in model_field.validators:
        if isinstance(validator, RegexValidator) and not validator.inverse_match:
            schema["pattern"] = validator.regex.pattern.replace(r"\Z", "$")
    return schema
