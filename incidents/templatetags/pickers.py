"""The options of the search form's pickers, written in one pass.

A picker lists every region and every legal provision: hundreds of `<option>`s on every search
page, each a handful of template nodes when written with `{% for %}`. Joined here from the
`Choice` groups, escaped by `format_html` like any template variable.
"""

from django import template
from django.utils.html import format_html_join

register = template.Library()


@register.simple_tag
def picker_options(groups, titled: bool = False):
    """`<optgroup>`s of `<option>`s, the chosen ones selected; `titled` repeats each label as the
    option's title, for labels longer than the picker is wide."""
    option = '<option value="{0}" title="{1}"{2}>{1}</option>' if titled else '<option value="{0}"{2}>{1}</option>'
    return format_html_join(
        "",
        '<optgroup label="{}">{}</optgroup>',
        (
            (
                group.label,
                format_html_join(
                    "",
                    option,
                    ((choice.value, choice.label, " selected" if choice.selected else "") for choice in group.choices),
                ),
            )
            for group in groups
        ),
    )
