from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_address(context, path: str) -> str:
    """An address with this site's scheme and host, as a citation copied elsewhere needs it."""
    return context["request"].build_absolute_uri(path)
