"""The realistic range of every date, count and text the services accept (issue 9: one permit date of
9999-12-31 once broke every page of a region).

Two layers: the services check the tight bounds (relative to today, with a code per refusal), the database
holds fixed, generous ones in CheckConstraints (a constraint can't know today), so nothing written past the
services (admin, shell, a bulk job) can store a date Python's date arithmetic overflows on.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db.models import Q

from .params import MAX_YEAR, MIN_YEAR

# Fixed bounds, for the database.
EARLIEST_DATE = date(1900, 1, 1)  # births and residence permits
EARLIEST_CASE_DATE = date(MIN_YEAR, 1, 1)  # decisions, requests, lists, exits, agreements: the app's data starts 2000
LATEST_DATE = date(MAX_YEAR, 12, 31)
# Realistic counts: no municipality decides on more than 10,000 places a year (Oslo's largest was about 1,500),
# and a household is never split, but the registration form has room for twelve persons.
MAX_PLACES = 10_000
MAX_HOUSEHOLD_SIZE = 12
# How far ahead a deadline or a request year may be, and how far back a request year.
MAX_YEARS_AHEAD = 3
MAX_YEARS_BEHIND = 1


def date_between(field: str, earliest=EARLIEST_DATE, latest=LATEST_DATE, *, null=False) -> Q:
    """The condition of a CheckConstraint that keeps `field` within fixed bounds."""
    within = Q(**{f"{field}__gte": earliest, f"{field}__lte": latest})
    return within | Q(**{f"{field}__isnull": True}) if null else within


def int_between(field: str, low: int, high: int, *, null=False) -> Q:
    within = Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return within | Q(**{f"{field}__isnull": True}) if null else within


def check_date(errors: dict, field: str, value, *, earliest: date, latest: date, label: str = "Datoen"):
    """Add a coded error to `errors` when `value` lies outside [earliest, latest]."""
    if value is None:
        return
    if value > latest:
        errors[field] = ValidationError(f"{label} kan ikke være etter {latest:%d.%m.%Y}.", code="date_out_of_range")
    elif value < earliest:
        errors[field] = ValidationError(f"{label} kan ikke være før {earliest:%d.%m.%Y}.", code="date_out_of_range")


def check_count(errors: dict, field: str, value, *, high: int, low: int = 0, label: str = "Antallet"):
    if value is not None and not low <= value <= high:
        errors[field] = ValidationError(f"{label} må være mellom {low} og {high}.", code="count_out_of_range")


def check_year(errors: dict, field: str, year, today: date, *, behind=MAX_YEARS_BEHIND, ahead=MAX_YEARS_AHEAD):
    """A settlement year near today: from `behind` years back to `ahead` years ahead."""
    low, high = max(today.year - behind, MIN_YEAR), min(today.year + ahead, MAX_YEAR)
    if year is not None and not low <= year <= high:
        errors[field] = ValidationError(f"Året må være mellom {low} og {high}.", code="year_out_of_range")


def latest_deadline(today: date) -> date:
    return today + relativedelta(years=MAX_YEARS_AHEAD)


def check_lengths(errors: dict, instance, fields=None):
    """Text longer than its column: a coded error, not a database error (PostgreSQL refuses it with a 500)."""
    for f in instance._meta.concrete_fields:
        if getattr(f, "max_length", None) and (fields is None or f.name in fields):
            value = getattr(instance, f.attname)
            if isinstance(value, str) and len(value) > f.max_length:
                errors[f.name] = ValidationError(
                    f"Teksten er for lang (høyst {f.max_length} tegn).", code="too_long")


def raise_if(errors: dict):
    if errors:
        raise ValidationError(errors)
