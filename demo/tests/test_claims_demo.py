"""The demo writes the quarters' claims in bulk (issue 14): the same claims, lines, approvals and payment file as
services.build_claims, approve_claim and create_payment_batch make one municipality at a time."""

import re
from datetime import date

from django.db import transaction

from core.models import Role
from core.roles import actor_for
from demo.grants import seed_claims
from grants import services
from grants.models import GrantClaim, GrantRate, GrantYear, PaymentBatch
from grants.reference import load_grant_schemes
from grants.tests.factories import RATES, settle

PERIODS = [(2025, 2), (2025, 3)]  # the older quarter approved and paid


def _claims():
    return sorted(
        (c.municipality_id, c.year, c.quarter, c.status, c.version, c.total, c.previously_paid, c.approved_by_id,
         c.payment_batch_id is not None, tuple(sorted(c.lines.values_list("scheme_id", "person_id", "rate_kind",
                                                                         "entitlement_year", "amount", "description"))))
        for c in GrantClaim.objects.all())


def _batch():
    batch = PaymentBatch.objects.get()
    # The file's references carry the claims' ids, which differ between the two runs.
    return batch.year, batch.quarter, batch.total, batch.created_by_id, re.sub(r"-\d{6}$", "-id", batch.file_content, flags=re.M)


def test_demo_claims_are_what_the_services_make(ref, make_user):
    load_grant_schemes(years=range(2023, 2027))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    admin = actor_for(make_user(Role.NATIONAL_ADMIN, "demo-admin"))
    for day, m, adults in ((date(2025, 4, 2), "oslo", 1), (date(2025, 5, 5), "oslo", 2), (date(2025, 4, 10), "bergen", 1),
                           (date(2025, 8, 20), "bergen", 2), (date(2024, 3, 1), "oslo", 1)):
        settle(ref, day, municipality=m, adults=adults)

    with transaction.atomic():
        for year, quarter in PERIODS:
            services.build_claims(year, quarter)
        for claim in GrantClaim.objects.filter(year=PERIODS[0][0], quarter=PERIODS[0][1]):
            services.approve_claim(admin, claim)
        services.create_payment_batch(admin, year=PERIODS[0][0], quarter=PERIODS[0][1])
        expected, expected_batch = _claims(), _batch()
        transaction.set_rollback(True)

    assert {c[3] for c in expected} == {"paid", "calculated"} and all(c[9] for c in expected)
    seed_claims(PERIODS, admin)
    assert _claims() == expected
    assert _batch() == expected_batch
    # Each claim has its history row, credited to the admin.
    assert GrantClaim.history.filter(history_user=admin.user).count() == GrantClaim.objects.count()
    # The services take it from here: the newer quarter is rebuilt to the same figures, the paid one is locked.
    assert services.build_claims(*PERIODS[0])["locked"] == GrantClaim.objects.filter(status="paid").count()
    services.build_claims(*PERIODS[1])
    assert _claims() == expected
