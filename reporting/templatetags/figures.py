"""{% load figures %}: a report figure as printed, through core.formatting, keeping the disclosure markers.

{{ r.settled_ytd|figure }} -> "3 432"; {{ g.average_months|figure }} -> "4,3"; {{ r.place_use|figure_percent }} ->
"57,9 %"; "<5" and ":" pass unchanged; a missing figure (None) is "–", while a real 0 stays "0" (|default would
hide it).
"""

from django import template

from core import formatting

register = template.Library()


def _decimals(value, decimals):
    if decimals not in (None, ""):
        return int(decimals)
    return 1 if isinstance(value, float) else 0


@register.filter
def figure(value, decimals=None):
    if value is None:
        return formatting.MISSING
    if isinstance(value, str) or isinstance(value, bool):
        return value  # "<5", ":" and "–" are printed as the markers they are
    return formatting.number(value, _decimals(value, decimals))


@register.filter
def figure_percent(value, decimals=1):
    if value is None or isinstance(value, str):
        return figure(value)
    return formatting.percent(value, int(decimals))
