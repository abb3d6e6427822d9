"""The 2013 grant schemes and budgets (table 4.5 of the evaluation), and rates per year.

The 2013 budgets are the allocation letter's. The per-capita rates are plausible demo rates
(the evaluation gives budgets, not rates), indexed about 3 % a year for the demo years.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction

from core.audit import update_or_create_if_changed

from .entitlements import INTEGRATION, MINORS, NORWEGIAN
from .models import GrantRate, GrantScheme, GrantYear, RateKind, SchemeKind

# number, code, name, kind, 2013 budget (kr), description
SCHEMES_2013 = [
    (1, INTEGRATION, "Integreringstilskudd", SchemeKind.PER_CAPITA, 5_090_852_000,
     "Til kommuner per bosatt person over en femårsperiode; målgruppen er personer med oppholdstillatelse og familiegjenforente."),
    (2, NORWEGIAN, "Særtilskudd til opplæring i norsk og samfunnskunnskap", SchemeKind.PER_CAPITA, 1_648_676_000,
     "Persontilskudd og grunntilskudd til kommunene for voksne innvandrere med rett og plikt til opplæring."),
    (3, MINORS, "Særskilt tilskudd til bosetting av enslige mindreårige", SchemeKind.PER_CAPITA, 314_268_000,
     "Kommunene får et tilskuddsbeløp per person."),
    (4, "frivillige-organisasjoner", "Tilskudd til innvandrerorganisasjoner og andre frivillige organisasjoner",
     SchemeKind.APPLICATION, 51_094_000, "Styrke deltakelsen i organisasjons- og samfunnsliv; sju underordninger."),
    (5, "utviklingsmidler", "Tilskudd til utviklingsmidler for kommunale innvandrertiltak", SchemeKind.APPLICATION, 32_000_000,
     "Utvikle og dokumentere metoder som bedrer kommunenes integreringsarbeid. Ny fra 2013."),
    (6, "jobbsjansen", "Tilskudd Jobbsjansen", SchemeKind.APPLICATION, 57_000_000,
     "Kvalifisering for arbeid for hjemmeværende kvinner, kvinner på overgangsstønad og ungdom på sosialhjelp."),
    (7, "tvangsekteskap", "Tilskudd til handlingsplan mot tvangsekteskap og kjønnslemlestelse", SchemeKind.APPLICATION, 220_000,
     "Videreføring av samarbeidsprosjekter i utvalgte regioner."),
]

RATES_2013 = {
    INTEGRATION: {RateKind.INTEGRATION_Y1_SINGLE_ADULT: 167_000, RateKind.INTEGRATION_Y1_OTHER: 137_000,
                  RateKind.INTEGRATION_Y2: 136_000, RateKind.INTEGRATION_Y3: 97_000, RateKind.INTEGRATION_Y4: 69_000,
                  RateKind.INTEGRATION_Y5: 58_000},
    MINORS: {RateKind.MINOR_PER_PERSON: 187_000},
    NORWEGIAN: {RateKind.NORWEGIAN_PER_PERSON: 58_000, RateKind.NORWEGIAN_BASE: 513_000},
}


def indexed(amount: int, years: int) -> Decimal:
    """A 2013 rate indexed by 3 % a year, to whole hundreds of kroner."""
    return Decimal(round(amount * 1.03 ** years / 100) * 100)


@transaction.atomic
def load_grant_schemes(years=(2013,), budget_scale: float = 1.0) -> int:
    """Schemes with their 2013 budgets, and for each year given budgets, deadlines and rates. Idempotent."""
    for number, code, name, kind, budget, description in SCHEMES_2013:
        scheme, _ = update_or_create_if_changed(GrantScheme.objects, code=code, defaults={
            "number": number, "name": name, "kind": kind, "description": description})
        for year in years:
            scale = 1.0 if year == 2013 else budget_scale
            defaults = {"budget": Decimal(round(budget * scale * 1.03 ** (year - 2013)))}
            if kind == SchemeKind.APPLICATION:
                defaults.update(opens_on=date(year, 1, 1), application_deadline=date(year, 12, 31),
                                report_deadline=date(year + 1, 3, 1))
            gy, _ = update_or_create_if_changed(GrantYear.objects, scheme=scheme, year=year, defaults=defaults)
            for kind_, amount in RATES_2013.get(code, {}).items():
                update_or_create_if_changed(GrantRate.objects, grant_year=gy, kind=kind_, defaults={"amount": indexed(amount, year - 2013)})
    return len(SCHEMES_2013)
