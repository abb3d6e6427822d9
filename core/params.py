"""Query parameters shared by the pages."""

from django.utils import timezone


def year_param(data, name: str = "year") -> int:
    """The year asked for in the query string, or this year when it is missing or not a number."""
    value = data.get(name, "")
    return int(value) if value.isdigit() else timezone.localdate().year
