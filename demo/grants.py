"""Demo grants: schemes and rates for 2013 and the demo years, claims for the last two quarters,
and applications in every state of the workflow."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from core.models import Municipality
from core.roles import actor_for

from grants import services
from grants.entitlements import quarter_of
from grants.models import GrantApplication, GrantClaim, GrantYear
from grants.reference import load_grant_schemes

from .store import aware

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
    # Per-capita claims for the last two finished quarters; the older one approved and paid.
    year, q = as_of.year, quarter_of(as_of)
    periods = []
    for _ in range(2):
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
        periods.append((year, q))
    for y, q in reversed(periods):
        services.build_claims(y, q)
    old_year, old_q = periods[-1]
    for claim in GrantClaim.objects.filter(year=old_year, quarter=old_q):
        services.approve_claim(admin, claim)
    services.create_payment_batch(admin, year=old_year, quarter=old_q)

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
