"""One way to write numbers for Norwegian readers: pages, e-mails and PDFs all go through here.

Conventions (Språkrådet, and CLDR's nb locale that Django's own nb formats follow): a no-break space
(U+00A0) between thousands, a decimal comma, a no-break space before "%", "kr" before the amount.
Halves round away from zero, as people expect, not to the nearest even digit.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# The one thousands separator, also used between a number and its unit so they never break apart.
NBSP = "\u00a0"
MISSING = "–"  # shown where there is no figure


def _decimal(value):
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    try:
        # str() first: Decimal(0.1) would carry the float's binary error into the rounding.
        return Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None


def number(value, decimals: int = 0) -> str:
    """1234567 -> "1 234 567"; number(1234.56, 1) -> "1 234,6"; None -> "–"."""
    amount = _decimal(value)
    if amount is None or not amount.is_finite():
        return MISSING
    quantum = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = NBSP.join(groups)
    if decimals > 0:
        text += "," + fraction
    return sign + text


def percent(value, decimals: int = 1) -> str:
    """A value already in percent: 61 -> "61,0 %"."""
    text = number(value, decimals)
    return text if text == MISSING else f"{text}{NBSP}%"


def ratio_percent(value, decimals: int = 1) -> str:
    """A share between 0 and 1: 0.61 -> "61,0 %"."""
    amount = _decimal(value)
    return percent(None if amount is None else amount * 100, decimals)


def kroner(value, decimals: int = 0) -> str:
    """1234567 -> "kr 1 234 567"; kroner(99.5, 2) -> "kr 99,50"."""
    text = number(value, decimals)
    return text if text == MISSING else f"kr{NBSP}{text}"


def count_noun(count, singular: str, plural: str) -> str:
    """1 -> "1 person", 2 -> "2 personer", 0 -> "0 personer" (Norwegian uses the plural for zero)."""
    amount = _decimal(count)
    if amount is None:
        return f"{MISSING} {plural}"
    noun = singular if abs(amount) == 1 else plural
    return f"{number(amount, 0 if amount == amount.to_integral_value() else 1)}{NBSP}{noun}"
