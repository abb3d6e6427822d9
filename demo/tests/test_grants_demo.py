"""The demo's issue-12 grant data: NIR participation for settled adults, self-settled households that claim, disputes
(one open, one corrected into a new claim version) and an overdue grantee report with its first reminder."""

import random
from datetime import date

from core.models import Role
from core.roles import actor_for
from demo.grants import seed_disputes, seed_overdue_report, seed_participation, seed_self_settled
from grants import services
from grants.entitlements import compute_entitlements
from grants.models import ClaimDispute, GrantApplication, GrantClaim, ParticipationRecord, ReportReminder, TrainingHours
from grants.models import GrantRate, GrantYear
from grants.reference import load_grant_schemes
from grants.tests.factories import RATES, settle
from settlement.models import ExitReason, Household, HouseholdStatus, Person


def test_demo_participation_self_settled_disputes_and_overdue_report(ref, make_user):
    load_grant_schemes(years=range(2023, 2028))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    admin = actor_for(make_user(Role.NATIONAL_ADMIN, "demo-admin"))
    caseworker = actor_for(make_user(Role.CASEWORKER, "saksbehandler.ost", region=ref["ost"]))
    make_user(Role.MUNICIPALITY, "kommune.0301", municipality=ref["oslo"], can_write=True)
    make_user(Role.MUNICIPALITY, "kommune.0219", municipality=ref["baerum"], can_write=True)
    for day, m in ((date(2025, 4, 2), "oslo"), (date(2025, 5, 5), "oslo"), (date(2025, 4, 10), "baerum")):
        settle(ref, day, municipality=m, nir=False)
    own = settle(ref, date(2025, 3, 1), nir=False)
    Person.objects.filter(household=own).update(settled_on=None)
    Household.objects.filter(pk=own.pk).update(status=HouseholdStatus.EXITED, exit_reason=ExitReason.SETTLED_ON_OWN,
                                               exited_on=date(2025, 5, 20), settled_on=None, municipality=None,
                                               settlement_year=None, tied_municipality=ref["baerum"])

    made = seed_participation(date(2025, 12, 31), random.Random(46))  # nine in ten; the self-settled adult has no date yet
    assert made == ParticipationRecord.objects.count() and 2 <= made <= 3
    assert TrainingHours.objects.filter(record__in=ParticipationRecord.objects.all()).exists()
    assert seed_self_settled(date(2025, 12, 31), random.Random(47)) == 1
    assert Household.objects.get(pk=own.pk).municipality == ref["baerum"]
    assert own.persons.get().pk in {l.person_id for l in compute_entitlements(2025, 2)[ref["baerum"].pk]}

    services.build_claims(2025, 2)
    from django.contrib.auth import get_user_model
    seed_disputes((2025, 2), caseworker, get_user_model())
    disputes = ClaimDispute.objects.order_by("pk")
    assert [d.status for d in disputes] == ["open", "resolved"]
    assert GrantClaim.objects.filter(version=2, supersedes=disputes[1].claim).exists()

    seed_overdue_report(date(2026, 6, 30), admin, caseworker)
    app = GrantApplication.objects.get(title="Språkpraksis i kommunale virksomheter")
    assert app.status == "paid" and app.grant_year.report_deadline < date(2026, 6, 30)
    assert ReportReminder.objects.get().application == app
