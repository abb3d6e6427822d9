"""Template filters over core.formatting: {% load formatting %}, then {{ places|number }},
{{ share|percent }}, {{ amount|kroner }}, {{ persons|count_noun:"person,personer" }}."""

from django import template

from core import formatting

register = template.Library()


@register.filter
def number(value, decimals=0):
    return formatting.number(value, int(decimals))


@register.filter
def count(value):
    """A person count that may be suppressed: the marker ("<5", ":") as it is, a number grouped."""
    return value if isinstance(value, str) else formatting.number(value)


@register.filter
def percent(value, decimals=1):
    return formatting.percent(value, int(decimals))


@register.filter
def ratio_percent(value, decimals=1):
    return formatting.ratio_percent(value, int(decimals))


@register.filter
def kroner(value, decimals=0):
    return formatting.kroner(value, int(decimals))


@register.filter
def count_noun(value, forms):
    """forms is "singular,plural", e.g. "person,personer" or "husstand,husstander"."""
    singular, _, plural = forms.partition(",")
    return formatting.count_noun(value, singular, plural or singular)
