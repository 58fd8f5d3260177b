from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def person_name(person, label: str = ""):
    """The one place a person's name is rendered on public pages.

    Within an incident, pass `label`, the incident's public name for them ("Person A"); elsewhere
    `Person.public_name` applies. Only a person who may be named links to their page. A tag rather
    than an included template: lists render it on every row, and a tag renders in about half the
    time of an include.
    """
    shown = label or person.public_name
    url = person.public_url
    if url:
        return format_html('<a href="{}">{}</a>', url, shown)
    return format_html('<span class="pseudonym">{}</span>', shown)
