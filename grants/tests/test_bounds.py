"""Sane bounds (issue 9): a grant year, claim or payment batch outside 2000-2100 or quarter 1-4 can't be stored."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from grants.models import GrantClaim, PaymentBatch


@pytest.mark.parametrize("model, values", [
    (PaymentBatch, {"year": 2025, "quarter": 5, "total": Decimal("0"), "file_content": ""}),
    (PaymentBatch, {"year": 9999, "quarter": 1, "total": Decimal("0"), "file_content": ""}),
    (GrantClaim, {"year": 1, "quarter": 1}),
])
def test_out_of_range_periods_are_refused_by_the_database(ref, model, values):
    if model is GrantClaim:
        values = {**values, "municipality": ref["oslo"]}
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**values)
