"""Test data for the settlement pipeline: DUF numbers and person rows as the services take them."""

import itertools
from datetime import date

_duf = itertools.count(1)


def next_duf(year=2026) -> str:
    return f"{year}{next(_duf):08d}"


def person(birth_date: date, permit: date, sex="M", first="Test", last="Person", nationality="ERI") -> dict:
    return {"duf_number": next_duf(), "first_name": first, "last_name": last, "birth_date": birth_date, "sex": sex,
            "nationality": nationality, "residence_permit_date": permit}
