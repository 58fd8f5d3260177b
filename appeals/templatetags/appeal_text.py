"""Filters for the Markdown of a drafted appeal."""

import re

from django import template

register = template.Library()

MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>#|])")


@register.filter
def md(value) -> str:
    """Text from a record, taken literally in Markdown: a name with an asterisk stays a name."""
    return MARKDOWN_SYNTAX.sub(r"\\\1", str(value))


@register.filter
def cite(record) -> str:
    """The numbers of the sources behind a fact, as " [1, 3]", or nothing."""
    numbers = getattr(record, "citation_numbers", [])
    return f" [{', '.join(str(number) for number in numbers)}]" if numbers else ""


@register.filter
def full_stop(value) -> str:
    """The text ended as a sentence: "6 January 2012." but never "6 января 2012 г.."."""
    text = str(value).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else f"{text}."
