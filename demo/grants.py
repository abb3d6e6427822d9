"""Demo grants: schemes and rates for 2013 and the demo years, NIR participation for the settled adults, a few
households that settled on their own in a municipality, claims for the last two quarters (with disputes: one open,
one corrected into a new version), and applications in every state of the workflow, one with an overdue report."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core.audit import save_as
from core.models import Municipality
from core.roles import actor_for

from grants import services
from grants.entitlements import INTEGRATION, NORWEGIAN_AGE, compute_entitlements, quarter_of
from grants.models import (
    GrantApplication, GrantClaim, GrantClaimLine, GrantScheme, GrantYear, ParticipationRecord, PaymentBatch, TrainingHours,
)
from grants.reference import load_grant_schemes
from grants.selectors import ZERO
from grants.workflows import CLAIM
from settlement.models import ExitReason, Household, HouseholdStatus, Person

from .store import aware, insert_rows, reserve_ids

PROJECTS = [
    ("jobbsjansen", "Jobbsjansen for hjemmeværende kvinner", "Kvalifisering til arbeid med språkpraksis og mentor."),
    ("utviklingsmidler", "Bedre introduksjonsprogram", "Systematisk kartlegging og individuelle planer fra første dag."),
    ("jobbsjansen", "Ungdom i arbeid", "Tett oppfølging av unge på sosialhjelp i samarbeid med NAV."),
    ("utviklingsmidler", "Helhetlig bosettingsplan", "Felles plan for bolig, skole og helse ved bosetting."),
    ("frivillige-organisasjoner", "Leksehjelp og foreldremøter", "Frivillige møteplasser for nyankomne familier."),
]


@transaction.atomic  # one commit: a commit per service call costs seconds on SQLite
def seed_grants(as_of: date, scale: float = 1.0, share: float = 1.0) -> None:
    demo_years = range(as_of.year - 2, as_of.year + 1)
    load_grant_schemes(years=(2013, *demo_years), budget_scale=share * scale)
    User = get_user_model()
    admin, caseworker = actor_for(User.objects.get(username="admin")), actor_for(User.objects.get(username="saksbehandler.ost"))
    seed_participation(as_of, random.Random(46))
    seed_self_settled(as_of, random.Random(47))
    # Per-capita claims for the last two finished quarters; the older one approved and paid.
    year, q = as_of.year, quarter_of(as_of)
    periods = []
    for _ in range(2):
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        periods.append((year, q))
    seed_claims(list(reversed(periods)), admin)
    seed_disputes(periods[0], caseworker, User)

    rng = random.Random(45)
    municipalities = list(Municipality.objects.valid_on(as_of).filter(region__code="ost").order_by("-population", "number")[:7])
    states = ["submitted", "assessed", "granted", "rejected", "paid", "reported", "submitted"]
    for i, state in enumerate(states):
        code, title, text = PROJECTS[i % len(PROJECTS)]
        gy = GrantYear.objects.get(scheme__code=code, year=as_of.year)
        m = municipalities[i % len(municipalities)]
        muni_actor = actor_for(User.objects.get(username=f"kommune.{m.number}"))
        amount = Decimal(rng.choice([250_000, 400_000, 600_000, 900_000]))
        if code == "frivillige-organisasjoner":
            app = services.submit_application(caseworker, grant_year=gy, title=title, description=text, amount_requested=amount,
                                              applicant_name="Flyktninghjelpen lokallag", today=as_of)
        else:
            app = services.submit_application(muni_actor, grant_year=gy, title=title, description=text, amount_requested=amount,
                                              municipality=m, today=as_of)
        GrantApplication.objects.filter(pk=app.pk).update(submitted_at=aware(as_of) - timedelta(days=60 - 5 * i))
        if state == "submitted":
            continue
        services.assess_application(caseworker, app, assessment="Godt begrunnet og i tråd med ordningens formål.",
                                    recommended_amount=amount * Decimal("0.8"))
        if state == "assessed":
            continue
        if state == "rejected":
            services.decide_application(admin, app, grant=False, reason="Prosjektet faller utenfor ordningens målgruppe.")
            continue
        services.decide_application(admin, app, grant=True, amount=amount * Decimal("0.8"), reason="Innvilget etter vurdering.")
        if state == "granted":
            continue
        services.pay_application(admin, app)
        if state == "reported":
            services.report_on_grant(muni_actor if app.municipality_id else caseworker, app,
                                     report="18 deltakere, 9 gikk over i arbeid eller utdanning.", amount_used=amount * Decimal("0.75"))

    seed_overdue_report(as_of, admin, caseworker)


def seed_claims(periods: list[tuple[int, int]], admin) -> None:
    """The quarters' per-capita claims as services.build_claims computes them (grants.entitlements' lines, the total
    their sum), the oldest quarter approved and paid in one payment file as services.approve_claim and
    services.create_payment_batch leave them, the workflow checked for each claim. Written in bulk, one history row
    per claim (issue 14: a claim, its lines and three saves per municipality and quarter took 8 s);
    demo/tests/test_claims_demo.py holds them to the services' result."""
    schemes = {s.code: s.pk for s in GrantScheme.objects.all()}
    municipalities = Municipality.objects.in_bulk()
    claims, lines = [], []
    for year, quarter in periods:
        for municipality_id, mlines in sorted(compute_entitlements(year, quarter).items()):
            claim = GrantClaim(municipality=municipalities[municipality_id], year=year, quarter=quarter,
                               total=sum((line.amount for line in mlines), ZERO))
            claims.append(claim)
            lines.append((claim, mlines))
    for claim, pk in zip(claims, reserve_ids(GrantClaim, len(claims))):
        claim.pk = claim.id = pk
    paid_year, paid_quarter = periods[0]
    paid = [c for c in claims if (c.year, c.quarter) == (paid_year, paid_quarter)]
    now = timezone.now()
    for claim in paid:
        claim.status, claim.approved_by, claim.approved_at = CLAIM.check("approve", claim, admin), admin.user, now
    CLAIM.check_role("pay", admin)
    paid.sort(key=lambda c: c.municipality.number)
    total = sum((c.payable for c in paid), ZERO)
    batch = PaymentBatch(year=paid_year, quarter=paid_quarter, created_by=admin.user, total=total,
                         file_content=services.payment_file(paid, paid_year, paid_quarter, total))
    save_as(batch, admin)
    for claim in paid:
        claim.status, claim.payment_batch = CLAIM.check("pay", claim, admin), batch
    bulk_create_with_history(claims, GrantClaim, batch_size=1000, default_user=admin.user)
    insert_rows(GrantClaimLine, [
        {"claim_id": claim.pk, "scheme_id": schemes[line.scheme_code], "person_id": line.person_id,
         "rate_kind": line.rate_kind, "entitlement_year": line.entitlement_year, "amount": line.amount,
         "description": line.description}
        for claim, mlines in lines for line in mlines])


def seed_participation(as_of: date, rng: random.Random) -> int:
    """NIR for the persons settled in the last five years aged 16–55 at settlement: nine in ten start the introduction
    programme within two months of settlement (two years long), and report Norwegian-training hours per quarter."""
    records, hours = [], []
    persons = Person.objects.filter(settled_on__gte=date(as_of.year - 5, 1, 1), settled_on__lte=as_of).values_list(
        "pk", "settled_on", "birth_date").order_by("pk")
    for pk, settled_on, birth_date in persons:
        age = settled_on.year - birth_date.year - ((settled_on.month, settled_on.day) < (birth_date.month, birth_date.day))
        if not NORWEGIAN_AGE[0] <= age <= NORWEGIAN_AGE[1] or rng.random() < 0.1:
            continue
        start = settled_on + timedelta(days=rng.randint(0, 60))
        if start > as_of:
            continue
        end = start + timedelta(days=730)
        records.append({"person_id": pk, "programme_start": start, "programme_end": end if end <= as_of else None})
    for r, pk in zip(records, reserve_ids(ParticipationRecord, len(records))):
        r["id"] = pk
    insert_rows(ParticipationRecord, records)
    last = (as_of.year, quarter_of(as_of))
    for r in records:
        year, q = r["programme_start"].year, quarter_of(r["programme_start"])
        for _ in range(rng.randint(1, 6)):
            if (year, q) > last:
                break
            hours.append({"record_id": r["id"], "year": year, "quarter": q, "hours": rng.choice([60, 90, 120, 150])})
            year, q = (year, q + 1) if q < 4 else (year + 1, 1)
    insert_rows(TrainingHours, hours)
    return len(records)


def seed_self_settled(as_of: date, rng: random.Random) -> int:
    """Some households that settled on their own (selvbosatt) did so in a known municipality (their ties, else one in
    their region): they bring the municipality per-capita grants (grants.entitlements.settled_persons)."""
    own = list(Household.objects.filter(status=HouseholdStatus.EXITED, exit_reason=ExitReason.SETTLED_ON_OWN,
                                        exited_on__gte=date(as_of.year - 4, 1, 1)).order_by("pk")[:12])
    for h in own:
        candidates = list(Municipality.objects.valid_on(h.exited_on).filter(region_id=h.region_id).order_by("number")[:20])
        municipality = h.tied_municipality or (rng.choice(candidates) if candidates else None)
        if municipality is not None:
            Household.objects.filter(pk=h.pk).update(municipality=municipality, settlement_year=h.exited_on.year)
    return len(own)


def seed_disputes(period: tuple[int, int], caseworker, User) -> None:
    """Two municipalities in region Øst dispute a line of the newest (calculated) claims: one is still open; in the other
    the caseworker corrects the settlement date, and the claim is recomputed as version 2."""
    year, quarter = period
    claims = [c for c in GrantClaim.objects.filter(year=year, quarter=quarter, municipality__region__code="ost")
              .select_related("municipality").order_by("-total") if User.objects.filter(username=f"kommune.{c.municipality.number}").exists()]
    for i, claim in enumerate(claims[:2]):
        line = (claim.lines.filter(person__settled_on__isnull=False, scheme__code=INTEGRATION, entitlement_year=1)
                .select_related("person").first())
        if line is None:
            continue
        writer = actor_for(User.objects.get(username=f"kommune.{claim.municipality.number}"))
        later = line.person.settled_on + timedelta(days=3)
        dispute = services.dispute_claim_line(writer, line, reason=f"{line.person.full_name} flyttet inn {later:%d.%m.%Y}, "
                                                                 "ikke datoen som står i kravet.")
        if i == 1 and later <= date(year, quarter * 3, 28):
            services.resolve_dispute(caseworker, dispute, resolution="Bosettingsdatoen er rettet etter kommunens melding.",
                                     corrected_settled_on=later)


def seed_overdue_report(as_of: date, admin, caseworker) -> None:
    """A grant paid last year whose report is overdue, and the first reminder about it."""
    gy = GrantYear.objects.filter(scheme__code="jobbsjansen", year=as_of.year - 1).first()
    municipality = Municipality.objects.valid_on(as_of).filter(region__code="ost").order_by("-population", "number").first()
    if gy is None or municipality is None:
        return
    if gy.report_deadline is None or gy.report_deadline >= as_of:
        GrantYear.objects.filter(pk=gy.pk).update(report_deadline=as_of - timedelta(days=14))
        gy.refresh_from_db()
    User = get_user_model()
    writer = actor_for(User.objects.get(username=f"kommune.{municipality.number}"))
    app = services.submit_application(writer, grant_year=gy, title="Språkpraksis i kommunale virksomheter",
                                      description="Språkpraksis med veileder for deltakere i introduksjonsprogrammet.",
                                      amount_requested=Decimal("500000"), municipality=municipality,
                                      today=gy.opens_on or date(gy.year, 2, 1))
    services.assess_application(caseworker, app, assessment="Godt forankret i kommunens plan.", recommended_amount=Decimal("450000"))
    services.decide_application(admin, app, grant=True, amount=Decimal("450000"), reason="Innvilget.")
    services.pay_application(admin, app)
    services.remind_overdue_report(None, app, today=as_of)
