"""Query parameters shared by the pages: parsed strictly, so a malformed value is a 400, never a 500.

`str.isdigit()` accepts "²" and "٣", which `int()` then refuses (or turns into a year Python's dates can't
hold): every number from a query string goes through `int_param` instead.
"""

from django.core.exceptions import BadRequest
from django.utils import timezone

# The years the pages and forms accept (the app's data starts in 2000; 2100 is far enough ahead).
MIN_YEAR = 2000
MAX_YEAR = 2100
# Database ids are 32-bit on every backend we run (SQLite's are 64, PostgreSQL's serial 32).
MAX_ID = 2**31 - 1


def parse_int(value, *, min_value: int, max_value: int) -> int | None:
    """The whole number in `value` (ASCII digits, an optional minus), or None when it is malformed or out of range."""
    text = str(value).strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > 12 or not (digits.isascii() and digits.isdigit()):
        return None
    number = int(text)
    return number if min_value <= number <= max_value else None


def int_param(data, name: str, *, min_value: int, max_value: int, default=None):
    """A number from the query string: `default` when missing or empty, a 400 (BadRequest) when malformed."""
    value = data.get(name, "")
    if value in ("", None):
        return default
    number = parse_int(value, min_value=min_value, max_value=max_value)
    if number is None:
        raise BadRequest(f"Ugyldig verdi for «{name}».")
    return number


def id_param(data, name: str, default=None):
    """A database id from the query string (or a form's POST data): 400 when it is not one."""
    return int_param(data, name, min_value=1, max_value=MAX_ID, default=default)


def year_param(data, name: str = "year") -> int:
    """The year asked for in the query string, or this year when it is missing; 400 when malformed or out of range."""
    return int_param(data, name, min_value=MIN_YEAR, max_value=MAX_YEAR, default=timezone.localdate().year)
