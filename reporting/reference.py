"""Goals D1–D8 with their steering parameters, targets and the figures the 2014 evaluation reports
(table 9.1 and appendix 2: BLD's allocation letter for 2013). Loaded as data, not hard-coded in reports."""

from django.db import transaction

from .models import Computation, Direction, Indicator, IndicatorTarget, IndicatorValue, Unit

SOURCE = "Agenda Kaupang 2014, tabell 9.1"
LETTER = "Tildelingsbrev 2013 (vedlegg 2)"

# code, goal, name, unit, direction, computation, must_increase, targets {year: value}, values {year: value}
INDICATORS = [
    ("D1.1", "D1", "Andel flyktninger bosatt innen 6 måneder etter vedtak om opphold", Unit.PERCENT, Direction.HIGHER,
     Computation.GENERAL_WITHIN_6M, False, {2006: 90, 2013: 70}, {2012: 61, 2013: 51}),
    ("D1.2", "D1", "Resterende andel bosatt innen 12 måneder", Unit.PERCENT, Direction.HIGHER,
     Computation.GENERAL_WITHIN_12M, False, {2013: 100}, {}),
    ("D1.3", "D1", "Andel familier med barn under 18 år bosatt innen 3 måneder", Unit.PERCENT, Direction.HIGHER,
     Computation.FAMILIES_WITHIN_3M, False, {2013: 75}, {}),
    ("D1.4", "D1", "Andel enslige mindreårige bosatt innen 3 måneder", Unit.PERCENT, Direction.HIGHER,
     Computation.MINORS_WITHIN_3M, False, {2006: 90}, {2012: 63, 2013: 76}),
    ("D1.5", "D1", "Resterende enslige mindreårige bosatt innen 6 måneder", Unit.PERCENT, Direction.HIGHER,
     Computation.MINORS_WITHIN_6M, False, {2012: 100}, {}),
    ("D1.6", "D1", "Gjennomsnittlig ventetid fra vedtak til bosetting", Unit.MONTHS, Direction.LOWER,
     Computation.AVERAGE_WAIT, False, {}, {2006: 4.8, 2012: 6.7}),
    ("D1.7", "D1", "Gjennomsnittlig ventetid for enslige mindreårige", Unit.MONTHS, Direction.LOWER,
     Computation.MINORS_AVERAGE_WAIT, False, {}, {2011: 5.0, 2012: 3.3}),
    ("D2.1", "D2", "Andel med rett og plikt som oppfyller plikten innen tre år", Unit.PERCENT, Direction.HIGHER,
     Computation.MANUAL, False, {2009: 90}, {2012: 87.5}),
    ("D2.2", "D2", "Andel som består skriftlig norskprøve", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, False, {2013: 65}, {}),
    ("D2.3", "D2", "Andel som består muntlig norskprøve", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, False, {2013: 90}, {}),
    ("D2.4", "D2", "Andel som har startet opplæring innen ett år", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, False,
     {2009: 90}, {2012: 87.5}),
    ("D3.1", "D3", "Andel i arbeid eller utdanning året etter avsluttet introduksjonsprogram", Unit.PERCENT, Direction.HIGHER,
     Computation.MANUAL, False, {2006: 30, 2010: 70}, {}),
    ("D3.2", "D3", "Andel som går direkte over i arbeid eller utdanning etter introduksjonsprogram", Unit.PERCENT,
     Direction.HIGHER, Computation.MANUAL, False, {2008: 65, 2011: 55}, {2012: 47}),
    ("D3.3", "D3", "Andel kvinner som går direkte over i arbeid eller utdanning", Unit.PERCENT, Direction.HIGHER,
     Computation.MANUAL, True, {}, {2012: 36}),
    ("D4.1", "D4", "Andel inviterte som deltar i statsborgerseremoni", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, True,
     {}, {2011: 23, 2012: 22}),
    ("D5.1", "D5", "Sysselsetting blant innvandrere", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, True, {},
     {2011: 61.6, 2012: 62.6}),
    ("D5.2", "D5", "Andel innvandrere fra landgruppe 2 ansatt i staten", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, True,
     {}, {2011: 8.4, 2012: 8.8}),
    ("D5.3", "D5", "Andel etablerere med innvandrerbakgrunn", Unit.PERCENT, Direction.HIGHER, Computation.MANUAL, True, {},
     {2011: 19, 2012: 21}),
    ("D5.4", "D5", "Andel deltakere i Jobbsjansen (Ny sjanse) som går over i arbeid eller utdanning", Unit.PERCENT,
     Direction.HIGHER, Computation.MANUAL, False, {2012: 45}, {2011: 23, 2012: 39}),
    ("D6.1", "D6", "Gjennomførte samarbeidstiltak mellom frivillige organisasjoner og kommuner", Unit.COUNT, Direction.HIGHER,
     Computation.MANUAL, True, {}, {}),
    ("D7.1", "D7", "Abonnenter på iNytt", Unit.COUNT, Direction.HIGHER, Computation.MANUAL, True, {}, {}),
    ("D8.1", "D8", "Antall tolker i Nasjonalt tolkeregister", Unit.COUNT, Direction.HIGHER, Computation.MANUAL, False,
     {2012: 1250, 2013: 1330}, {}),
    ("D8.2", "D8", "Kommuner og etater med samarbeidsavtale som forplikter til tilpasning av tjenestene", Unit.COUNT,
     Direction.HIGHER, Computation.MANUAL, True, {}, {}),
]


@transaction.atomic
def load_indicators() -> int:
    """Create or update the indicators, their targets and the evaluation's figures. Idempotent."""
    for order, (code, goal, name, unit, direction, computation, must_increase, targets, values) in enumerate(INDICATORS):
        ind, _ = Indicator.objects.update_or_create(code=code, defaults={
            "goal": goal, "name": name, "unit": unit, "direction": direction, "computation": computation,
            "must_increase": must_increase, "order": order,
        })
        for year, target in targets.items():
            IndicatorTarget.objects.update_or_create(indicator=ind, year=year, defaults={"target": target, "source": LETTER})
        for year, value in values.items():
            IndicatorValue.objects.get_or_create(indicator=ind, year=year, defaults={"value": value, "note": SOURCE})
    return len(INDICATORS)
