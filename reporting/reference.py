"""The goal structure (mål- og resultatstyring) as data: goals D1–D8, every steering parameter of BLD's allocation
letter for 2013 (the evaluation's appendix 2, lines 8250–8478) and of its table 9.1 (lines 6648–6930), each
with its targets, and only the figures the evaluation gives, each with the line it comes from.

Rules for what is loaded:
- a figure is loaded only when the evaluation states it for a year ("ca. 22–25 %" is a range: not loaded, quoted
  in the description instead); a part-year figure carries how far the year goes ("pr. oktober");
- a target holds from its year to `until` (or until a later target), so a requirement that ended is not carried
  into years the document does not give it for (D3.2: 65 % in 2008–2009, 55 % from 2011, none in 2010);
- figures by sex are loaded by sex (line 8478), never averaged into one value.
"""

from dataclasses import dataclass

from django.db import transaction

from core.audit import update_or_create_if_changed

from .models import Assessment, Computation, Direction, Indicator, IndicatorTarget, IndicatorValue, Unit, Verdict

EVALUATION = "Agenda Kaupang 2014"
LETTER = "Tildelingsbrev 2013 (vedlegg 2)"
RETIRED = ("D1.2", "D1.5")  # "the rest within 12/6 months": now the second part of D1.1's and D1.4's targets


def table(line) -> str:
    return f"{EVALUATION}, tabell 9.1, l. {line}"


@dataclass(frozen=True)
class T:
    """A target: `value` from `year` (to `until`), with the rest within `rest` months where the letter says so."""

    year: int
    value: float
    source: str
    until: int | None = None
    rest: int | None = None


@dataclass(frozen=True)
class V:
    year: int
    value: float
    source: str
    sex: str = ""
    part_year: str = ""


@dataclass(frozen=True)
class Spec:
    code: str
    goal: str
    name: str
    unit: str = Unit.PERCENT
    direction: str = Direction.HIGHER
    computation: str = Computation.MANUAL
    must_increase: bool = False
    targets: tuple = ()
    values: tuple = ()
    target_group: str = ""
    by_sex: bool = False
    source: str = LETTER
    description: str = ""


PCT, MONTHS, COUNT, QUAL = Unit.PERCENT, Unit.MONTHS, Unit.COUNT, Unit.QUALITATIVE
INDICATORS = [
    # D1 (appendix 2, lines 8262-8288; table 9.1, lines 6652-6678)
    Spec("D1.1", "D1", "Andel flyktninger bosatt innen 6 måneder etter vedtak om opphold", computation=Computation.GENERAL_WITHIN_6M, by_sex=True,
         target_group="Alle bosatte unntatt enslige mindreårige", source=f"{LETTER}, l. 8268-8272",
         targets=(T(2006, 90, table(6656), until=2011), T(2013, 70, f"{LETTER}, l. 8272", rest=12)),
         values=(V(2012, 61, table(6662)), V(2013, 51, table(6663), part_year="pr. oktober"))),
    Spec("D1.3", "D1", "Andel familier med barn under 18 år bosatt innen 3 måneder", computation=Computation.FAMILIES_WITHIN_3M, by_sex=True,
         target_group="Personer i familier med barn under 18 år (også overføringsflyktninger)", source=f"{LETTER}, l. 8274-8278",
         targets=(T(2013, 75, f"{LETTER}, l. 8278", rest=6),)),
    Spec("D1.4", "D1", "Andel enslige mindreårige mellom 15 og 18 år bosatt innen 3 måneder", computation=Computation.MINORS_WITHIN_3M,
         target_group="Enslige mindreårige 15–17 år på vedtaksdatoen", source=f"{LETTER}, l. 8280-8284",
         targets=(T(2006, 90, table(6668), until=2011), T(2012, 90, table(6670), rest=6)),
         values=(V(2012, 63, table(6674)), V(2013, 76, table(6674), part_year="pr. oktober"))),
    Spec("D1.6", "D1", "Gjennomsnittlig ventetid fra vedtak til bosetting", MONTHS, Direction.LOWER, Computation.AVERAGE_WAIT, by_sex=True,
         target_group="Alle bosatte unntatt enslige mindreårige", source=table(6664),
         values=(V(2006, 4.8, table(6665)), V(2012, 6.7, table(6665)))),
    Spec("D1.7", "D1", "Gjennomsnittlig ventetid for enslige mindreårige", MONTHS, Direction.LOWER, Computation.MINORS_AVERAGE_WAIT,
         target_group="Enslige mindreårige 15–17 år på vedtaksdatoen", source=table(6676),
         description="Tabell 9.1: «ca. 5 md. fram til 2012» (l. 6676) – ikke et tall for et bestemt år, derfor ikke lastet.",
         values=(V(2012, 3.3, table(6677)),)),
    # D2 (lines 8296-8316; table 9.1, lines 6682-6718)
    Spec("D2.1", "D2", "Andel med rett og plikt som oppfyller plikten innen tre år", by_sex=True, source=f"{LETTER}, l. 8298-8302",
         targets=(T(2009, 90, table(6690)),),
         values=(V(2012, 86, table(6694), sex="F"), V(2012, 89, table(6695), sex="M"))),
    Spec("D2.2", "D2", "Andel som består skriftlig norskprøve", by_sex=True, targets=(T(2013, 65, f"{LETTER}, l. 8306"),),
         description="Tabell 9.1: «har ligget 10–20 prosentpoeng under målet» (l. 6702)."),
    Spec("D2.3", "D2", "Andel som består muntlig norskprøve", by_sex=True, targets=(T(2013, 90, f"{LETTER}, l. 8306"),)),
    Spec("D2.5", "D2", "Andel som har startet opplæring ved utgangen av halvåret etter at de kom inn i personkretsen",
         by_sex=True, source=f"{LETTER}, l. 8308-8312", targets=(T(2013, 50, f"{LETTER}, l. 8310-8312"),),
         values=(V(2012, 78, table(6715), sex="F"), V(2012, 95, table(6715), sex="M"))),
    Spec("D2.4", "D2", "Andel som har startet opplæring innen ett år (utgangen av neste halvår)", by_sex=True,
         source=f"{LETTER}, l. 8308-8314", targets=(T(2006, 90, table(6688), until=2008), T(2013, 90, f"{LETTER}, l. 8312-8314")),
         values=(V(2012, 86, table(6717), sex="F"), V(2012, 89, table(6717), sex="M"))),
    # D3 (lines 8318-8340; table 9.1, lines 6722-6756)
    Spec("D3.1", "D3", "Andel i arbeid eller utdanning året etter avsluttet introduksjonsprogram", by_sex=True,
         source=f"{LETTER}, l. 8322-8324", targets=(T(2006, 30, table(6737), until=2009), T(2010, 70, table(6738))),
         description="Tabell 9.1: «ligger 15–20 prosentpoeng under» (l. 6740)."),
    Spec("D3.4", "D3", "Andel kvinner i arbeid eller utdanning året etter avsluttet introduksjonsprogram", must_increase=True,
         target_group="Kvinner", source=f"{LETTER}, l. 8326-8328",
         description="Tabell 9.1: krav om årlig økning på 5 %; «andelen er stabil – har ikke økt» (l. 6744-6747)."),
    Spec("D3.2", "D3", "Andel som går direkte over i arbeid eller utdanning etter introduksjonsprogram", by_sex=True,
         source=f"{LETTER}, l. 8330-8334", targets=(T(2008, 65, table(6728), until=2009), T(2011, 55, table(6729))),
         values=(V(2012, 47, table(6732)),)),
    Spec("D3.3", "D3", "Andel kvinner som går direkte over i arbeid eller utdanning", must_increase=True, target_group="Kvinner",
         source=f"{LETTER}, l. 8336-8338",
         description="Tabell 9.1: «stabil – har ikke økt (er på 36 %)» (l. 6754-6755), uten årstall: ikke lastet som årsverdi."),
    # D4 (lines 8344-8374; table 9.1, lines 6757-6804)
    Spec("D4.1", "D4", "Andel inviterte som deltar i statsborgerseremoni", must_increase=True, source=f"{LETTER}, l. 8350-8352",
         description="Tabell 9.1: «stabilt resultat siste fire år på ca. 22–25 %» (l. 6765-6766) – et spenn, ikke lastet."),
    Spec("D4.2", "D4", "Førstelinjens kunnskap om tvangsekteskap og kjønnslemlestelse", QUAL, must_increase=True,
         source=f"{LETTER}, l. 8354-8360"),
    Spec("D4.3", "D4", "Ungdomsgruppers og innvandrermiljøers kunnskap om tvangsekteskap og kjønnslemlestelse", QUAL,
         must_increase=True, source=f"{LETTER}, l. 8362-8366"),
    Spec("D4.4", "D4", "«Ny i Norge» for arbeidsinnvandrere oppdatert (innen 30. september 2013)", QUAL,
         source=f"{LETTER}, l. 8368-8372"),
    # D5 (lines 8376-8405; table 9.1, lines 6808-6848)
    Spec("D5.1", "D5", "Sysselsetting blant innvandrere", must_increase=True, by_sex=True, source=table(6810),
         values=(V(2011, 61.6, table(6818)), V(2012, 62.6, table(6818)))),
    Spec("D5.2", "D5", "Andel innvandrere fra landgruppe 2 ansatt i staten", must_increase=True, by_sex=True,
         source=f"{LETTER}, l. 8380-8387", values=(V(2011, 8.4, table(6827)), V(2012, 8.8, table(6828)))),
    Spec("D5.5", "D5", "Nye kommuner som innkaller minst én kvalifisert søker med innvandrerbakgrunn til intervju", COUNT,
         source=f"{LETTER}, l. 8389-8393", targets=(T(2013, 20, f"{LETTER}, l. 8393"),)),
    Spec("D5.6", "D5", "Andel sysselsatte innvandrerkvinner", must_increase=True, target_group="Kvinner",
         source=f"{LETTER}, l. 8395-8397",
         description="Tabell 9.1: «stabilt … nivå på ca. 57 %» (l. 6833-6834), uten årstall: ikke lastet."),
    Spec("D5.3", "D5", "Andel etablerere med innvandrerbakgrunn", must_increase=True, by_sex=True, source=f"{LETTER}, l. 8399-8401",
         values=(V(2011, 19, table(6839)), V(2012, 21, table(6839)))),
    Spec("D5.4", "D5", "Andel deltakere i Jobbsjansen (Ny sjanse) som går over i arbeid eller utdanning", by_sex=True,
         source=f"{LETTER}, l. 8403-8405", targets=(T(2012, 45, table(6844)),), values=(V(2012, 39, table(6847)),),
         description="Tabell 9.1: «forbedring på 16 prosentpoeng fra 2011 til 2012» (l. 6847-6848); 2011 oppgis ikke."),
    # D6 (lines 8409-8424; table 9.1, lines 6852-6873)
    Spec("D6.1", "D6", "Gjennomførte samarbeidstiltak mellom frivillige organisasjoner og kommuner", COUNT, must_increase=True,
         source=f"{LETTER}, l. 8417-8419"),
    Spec("D6.2", "D6", "Andel tillitsvalgte, ansatte, frivillige og medlemmer med innvandrerbakgrunn i organisasjoner med "
         "intensjonsavtale", must_increase=True, by_sex=True, source=f"{LETTER}, l. 8421-8423"),
    Spec("D6.3", "D6", "Valgdeltakelse blant innvandrere", by_sex=True, source=table(6871),
         description="Tabell 9.1: «stabilt ca. 50 %» (l. 6873), uten årstall: ikke lastet."),
    # D7 (lines 8446-8458; table 9.1, lines 6877-6897)
    Spec("D7.2", "D7", "iFAKTA videreutviklet for ulike målgrupper, digitalt og trykt", QUAL, source=f"{LETTER}, l. 8450-8452"),
    Spec("D7.1", "D7", "Abonnenter på iNytt", COUNT, must_increase=True, source=f"{LETTER}, l. 8454"),
    Spec("D7.3", "D7", "Gjennomførte informasjons- og kommunikasjonstiltak på prioriterte områder", COUNT, must_increase=True,
         source=f"{LETTER}, l. 8456-8458"),
    # D8 (lines 8462-8474; table 9.1, lines 6901-6923)
    Spec("D8.2", "D8", "Kommuner og etater med samarbeidsavtale som forplikter til tilpasning av tjenestene", COUNT,
         computation=Computation.AGREEMENTS, must_increase=True, source=f"{LETTER}, l. 8466-8470",
         description="Beregnes fra avtaleregisteret: kommuner og etater med en avtale som gjelder en del av året."),
    Spec("D8.1", "D8", "Antall tolker i Nasjonalt tolkeregister", COUNT, source=f"{LETTER}, l. 8472-8474",
         targets=(T(2012, 1250, table(6920)), T(2013, 1330, f"{LETTER}, l. 8474")),
         values=(V(2013, 1345, f"{EVALUATION}, l. 3090", part_year="pr. 30. juni"),)),
    Spec("D8.3", "D8", "Andel tolker i de høyeste kvalifikasjonskategoriene", source=f"{LETTER}, l. 8474",
         targets=(T(2012, 65, table(6921)),)),
]

# Table 9.1's verdicts for 2006-2012 (partly 2013). Per goal: D1-D3 not reached, "the other five fully or
# partly" (lines 6927-6930); the text does not say which of the five are fully reached, so they are entered as
# partly reached. Per steering parameter where the table states a verdict.
PERIOD = "2006–2012"
VERDICTS = [
    ("D1", None, Assessment.NOT_MET, "Resultatkravene på bosetting er ikke nådd", table("6927-6928")),
    ("D2", None, Assessment.NOT_MET, "Resultatkravene på norskopplæring er ikke nådd", table("6927-6928")),
    ("D3", None, Assessment.NOT_MET, "Resultatkravene på overgang til arbeid og utdanning er ikke nådd", table("6927-6928")),
    *((g, None, Assessment.PARTLY_MET, "Helt eller delvis nådd", table("6928-6930")) for g in ("D4", "D5", "D6", "D7", "D8")),
    ("D1", "D1.1", Assessment.NOT_MET, "Ligger langt under i perioden", table(6661)),
    ("D1", "D1.4", Assessment.NOT_MET, "Har ligget langt under, men bedre i 2012 og 2013", table(6673)),
    ("D2", "D2.1", Assessment.PARTLY_MET, "Resultat nært opp til målsetting", table(6692)),
    ("D2", "D2.2", Assessment.NOT_MET, "Har ligget 10–20 prosentpoeng under målet", table(6702)),
    ("D3", "D3.2", Assessment.NOT_MET, "Ligger 8–10 prosentpoeng under", table(6731)),
    ("D3", "D3.3", Assessment.NOT_MET, "Andelen er stabil – har ikke økt", table(6754)),
    ("D4", "D4.1", Assessment.NOT_MET, "Mål om økt andel ikke nådd i 2012", table(6766)),
    ("D4", "D4.2", Assessment.MET, "Måloppnåelse vurdert som god (kvalitativ vurdering)", table("6777-6778")),
    ("D4", "D4.3", Assessment.MET, "Mål nådd (kvalitativ vurdering)", table("6787-6788")),
    ("D4", "D4.4", Assessment.MET, "Oppdatert innen fristen", table(6804)),
    ("D5", "D5.4", Assessment.NOT_MET, "Måloppnåelse 39 % mot mål 45 %", table(6847)),
    ("D8", "D8.1", Assessment.MET, "Mål nådd i 2012", table(6923)),
]


def _load_indicator(order: int, spec: Spec) -> Indicator:
    ind, _ = update_or_create_if_changed(Indicator.objects, code=spec.code, defaults={
        "goal": spec.goal, "name": spec.name, "unit": spec.unit, "direction": spec.direction, "computation": spec.computation,
        "must_increase": spec.must_increase, "order": order, "target_group": spec.target_group, "by_sex": spec.by_sex,
        "source": spec.source, "description": spec.description,
    })
    # The targets are reference data: exactly the letter's and the table's, nothing carried over.
    ind.targets.exclude(year__in=[t.year for t in spec.targets]).delete()
    for t in spec.targets:
        update_or_create_if_changed(IndicatorTarget.objects, indicator=ind, year=t.year, defaults={
            "target": t.value, "until_year": t.until, "rest_within_months": t.rest, "source": t.source})
    loaded = {(v.year, v.sex) for v in spec.values}
    # Figures this loader put in earlier that are not in the evaluation go; what an admin entered stays.
    for stale in ind.values.filter(entered_by__isnull=True, note__startswith=EVALUATION):
        if (stale.year, stale.sex) not in loaded:
            stale.delete()
    for v in spec.values:
        existing = ind.values.filter(year=v.year, sex=v.sex).first()
        if existing is None or existing.entered_by_id is None:
            update_or_create_if_changed(ind.values, year=v.year, sex=v.sex,
                                        defaults={"value": v.value, "note": v.source, "part_year": v.part_year})
    return ind


@transaction.atomic
def load_indicators() -> int:
    """Create or update the goal structure, its targets, the evaluation's figures and verdicts. Idempotent."""
    Indicator.objects.filter(code__in=RETIRED).delete()
    by_code = {spec.code: _load_indicator(order, spec) for order, spec in enumerate(INDICATORS)}
    for goal, code, assessment, note, source in VERDICTS:
        update_or_create_if_changed(Verdict.objects, goal=goal, indicator=by_code.get(code), period=PERIOD,
                                         defaults={"assessment": assessment, "note": note, "source": source})
    return len(INDICATORS)
