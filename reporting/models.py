"""Reports kept as frozen snapshots, and the goal structure (mål- og resultatstyring) as data."""

import calendar
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Goal(models.TextChoices):
    """IMDi's eight sub-goals (delmål) under main goal 1, from the evaluation's table 9.1."""

    D1 = "D1", "D1 Rask bosetting til kommunene"
    D2 = "D2", "D2 God opplæring i norsk og samfunnskunnskap til voksne innvandrere"
    D3 = "D3", "D3 Rask overgang til arbeid eller utdanning etter introduksjonsprogram"
    D4 = "D4", "D4 Kjennskap til og oppslutning om norske lover og grunnleggende rettigheter og plikter"
    D5 = "D5", "D5 Høy sysselsetting av innvandrere"
    D6 = "D6", "D6 Høy deltakelse i samfunnslivet blant innvandrere og deres barn"
    D7 = "D7", "D7 God kunnskap om integrerings- og inkluderingspolitikken i befolkningen"
    D8 = "D8", "D8 Offentlige tjenester som er tilpasset mangfoldet i befolkningen"


class Unit(models.TextChoices):
    PERCENT = "percent", "prosent"
    MONTHS = "months", "måneder"
    COUNT = "count", "antall"
    QUALITATIVE = "qualitative", "kvalitativ vurdering"


class Assessment(models.TextChoices):
    """A verdict on a steering parameter or a goal (måloppnåelse), as table 9.1 colours it (lines 6616-6618)."""

    MET = "met", "Nådd"
    PARTLY_MET = "partly_met", "Delvis nådd"
    NOT_MET = "not_met", "Ikke nådd"
    NO_DATA = "no_data", "Mangler data"


class Direction(models.TextChoices):
    HIGHER = "higher", "Høyere er bedre"
    LOWER = "lower", "Lavere er bedre"


class Computation(models.TextChoices):
    """Indicators the system measures from its own settlement data; the rest are entered by hand."""

    MANUAL = "", "Registreres manuelt"
    GENERAL_WITHIN_6M = "general_within_6m", "Andel bosatt innen 6 måneder (unntatt enslige mindreårige)"
    GENERAL_WITHIN_12M = "general_within_12m", "Andel bosatt innen 12 måneder (unntatt enslige mindreårige)"
    FAMILIES_WITHIN_3M = "families_within_3m", "Andel barnefamilier bosatt innen 3 måneder"
    MINORS_WITHIN_3M = "minors_within_3m", "Andel enslige mindreårige bosatt innen 3 måneder"
    MINORS_WITHIN_6M = "minors_within_6m", "Andel enslige mindreårige bosatt innen 6 måneder"
    AVERAGE_WAIT = "average_wait_months", "Gjennomsnittlig ventetid fra vedtak til bosetting (måneder)"
    MINORS_AVERAGE_WAIT = "minors_average_wait_months", "Gjennomsnittlig ventetid for enslige mindreårige (måneder)"
    AGREEMENTS = "agreements", "Kommuner og etater med samarbeidsavtale i året (fra avtaleregisteret)"


class Indicator(models.Model):
    """A steering parameter (styringsparameter) under a goal, with a target per year."""

    code = models.CharField("kode", max_length=10, unique=True)
    goal = models.CharField("delmål", max_length=2, choices=Goal.choices)
    name = models.CharField("styringsparameter", max_length=250)
    unit = models.CharField("enhet", max_length=12, choices=Unit.choices)
    direction = models.CharField("retning", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    computation = models.CharField("beregning", max_length=40, choices=Computation.choices, blank=True)
    must_increase = models.BooleanField(
        "skal øke", default=False, help_text="Resultatkrav uten tallmål: nådd når verdien er høyere enn året før."
    )
    target_group = models.CharField("målgruppe", max_length=200, blank=True)
    by_sex = models.BooleanField("fordelt på kjønn", default=False,
                                 help_text="Vedlegg 2: det skal rapporteres på fordeling mellom kjønn der det er relevant.")
    source = models.CharField("kilde", max_length=200, blank=True)
    description = models.TextField("beskrivelse", blank=True)
    order = models.PositiveSmallIntegerField("rekkefølge", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "order", "code"]
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_computed(self):
        return bool(self.computation)


class IndicatorTarget(models.Model):
    """The target (resultatkrav) from a year on; it holds until `until_year` or until a later year sets another.

    A settlement target has two parts (appendix 2, lines 8258-8270): `target` % within the indicator's months,
    and the rest (resterende andel) within `rest_within_months`.
    """

    indicator = models.ForeignKey(Indicator, verbose_name="styringsparameter", on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("fra år")
    until_year = models.PositiveSmallIntegerField("til og med år", null=True, blank=True)
    target = models.DecimalField("mål", max_digits=10, decimal_places=2)
    rest_within_months = models.PositiveSmallIntegerField("resten innen (måneder)", null=True, blank=True)
    source = models.CharField("kilde", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = "resultatkrav"
        verbose_name_plural = "resultatkrav"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_indicator_year"),
            models.CheckConstraint(condition=Q(until_year__isnull=True) | Q(until_year__gte=models.F("year")),
                                   name="target_until_after_from"),
        ]

    def applies_to(self, year: int) -> bool:
        return self.year <= year and (self.until_year is None or year <= self.until_year)


class IndicatorValue(models.Model):
    """A value entered by an IMDi admin for an indicator the system cannot compute itself."""

    indicator = models.ForeignKey(Indicator, verbose_name="styringsparameter", on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("år")
    sex = models.CharField("kjønn", max_length=1, blank=True, choices=[("F", "Kvinner"), ("M", "Menn")],
                           help_text="Tom for alle; K/M for fordelingen på kjønn.")
    value = models.DecimalField("verdi", max_digits=10, decimal_places=2)
    part_year = models.CharField("delår", max_length=40, blank=True,
                                 help_text="Tom for helår; ellers hvor langt året gjelder, f.eks. «pr. oktober».")
    note = models.CharField("kilde/merknad", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField("registrert", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = "registrert verdi"
        verbose_name_plural = "registrerte verdier"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "sex"], name="one_value_per_indicator_year_sex"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
        ]


class Verdict(models.Model):
    """A verdict entered by hand on a goal or one of its steering parameters for a period, such as the
    evaluation's table 9.1 (vurdering av måloppnåelse)."""

    goal = models.CharField("delmål", max_length=2, choices=Goal.choices)
    indicator = models.ForeignKey(Indicator, verbose_name="styringsparameter", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="verdicts")
    period = models.CharField("periode", max_length=20, help_text="F.eks. «2006–2012» eller «2012».")
    assessment = models.CharField("vurdering", max_length=12, choices=Assessment.choices)
    note = models.CharField("begrunnelse", max_length=300, blank=True)
    source = models.CharField("kilde", max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["goal", "indicator__order", "period"]
        verbose_name = "vurdering"
        verbose_name_plural = "vurderinger"
        constraints = [
            models.UniqueConstraint(fields=["goal", "indicator", "period"], name="one_verdict_per_indicator_period"),
            models.UniqueConstraint(fields=["goal", "period"], condition=Q(indicator__isnull=True),
                                    name="one_verdict_per_goal_period"),
        ]


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", "Månedlig bosettingsrapport"
    GOALS = "goals", "Måloppnåelse"


class SnapshotStatus(models.TextChoices):
    PENDING = "pending", "I kø"
    RUNNING = "running", "Beregnes"
    DONE = "done", "Ferdig"
    FAILED = "failed", "Feilet"


class ReportSnapshot(models.Model):
    """A report computed for a period and frozen (rapportøyeblikksbilde).

    A snapshot is never overwritten: computing the same period again makes a new version.
    """

    kind = models.CharField("rapport", max_length=10, choices=ReportKind.choices)
    year = models.PositiveSmallIntegerField("år")
    month = models.PositiveSmallIntegerField("måned", null=True, blank=True)
    version = models.PositiveSmallIntegerField("versjon", default=1)
    status = models.CharField("status", max_length=10, choices=SnapshotStatus.choices, default=SnapshotStatus.PENDING)
    progress = models.PositiveSmallIntegerField("framdrift (%)", default=0)
    figures = models.JSONField("tall", null=True, blank=True)
    # Computed once when the snapshot finishes, so page, API, exports and charts read one version.
    public_figures = models.JSONField("publiserte tall (prikket)", null=True, blank=True)
    complete = models.BooleanField("hel periode", default=True,
                                   help_text="Usann når perioden ikke var over da rapporten ble beregnet.")
    has_data = models.BooleanField("har tall", default=True, help_text="Usann når perioden ikke har noen tall.")
    hidden_cells = models.JSONField("prikkede celler", null=True, blank=True,
                                    help_text="Hvilke celler som ble prikket, så neste måned kan prikke de samme.")
    error = models.TextField("feil", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bestilt av", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("bestilt", auto_now_add=True)
    started_at = models.DateTimeField("startet", null=True, blank=True)
    finished_at = models.DateTimeField("ferdig", null=True, blank=True)
    task_id = models.CharField("jobb-ID", max_length=64, blank=True)

    class Meta:
        ordering = ["-year", "-month", "-version"]
        verbose_name = "rapport"
        verbose_name_plural = "rapporter"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "month", "version"], name="one_snapshot_per_period_version"),
            models.UniqueConstraint(fields=["kind", "year", "version"], condition=Q(month__isnull=True),
                                    name="one_yearly_snapshot_per_version"),
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12), name="snapshot_month_1_12"),
            models.CheckConstraint(condition=~Q(status="done") | Q(figures__isnull=False), name="done_snapshot_has_figures"),
        ]

    def __str__(self):
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        return f"{self.get_kind_display()} {period} v{self.version}"

    @property
    def period_label(self):
        if self.month:
            return f"{MONTH_NAMES[self.month - 1]} {self.year}"
        return str(self.year)

    @property
    def period_end(self) -> date:
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)


class FrozenGoalYear(models.Model):
    """A closed year's settlement figures for the goal report (måloppnåelse), frozen at their first computation.

    The rows are reporting.reports.goals.summary_rows of the year (persons and days waited per sex, target group
    and whole months waited), so any "within N months" is read off them. A year is closed once the current year
    is later; every year up to the latest stored one counts as frozen (a year with nobody settled is stored empty).
    Nothing unfreezes a year by itself: a later correction of that year's settlement data is left out of goal
    reports until an IMDi admin recomputes (reporting.services.recompute_closed_goal_years). Values an admin
    records (IndicatorValue), the agreements register and the verdicts are read live for every year."""

    year = models.PositiveSmallIntegerField("år", unique=True)
    rows = models.JSONField("tall", default=list)
    computed_at = models.DateTimeField("beregnet", auto_now_add=True)
    # The goal snapshot whose computation froze the year (none for an admin's recomputation). Also what makes a
    # reset of the demo's cases clear the frozen years with the snapshots (demo.store.demo_models follows it).
    frozen_by = models.ForeignKey("ReportSnapshot", verbose_name="frosset av rapport", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()  # an admin's recomputation replaces a year: the earlier figures stay on record

    class Meta:
        ordering = ["year"]
        verbose_name = "frosset år (måloppnåelse)"
        verbose_name_plural = "frosne år (måloppnåelse)"

    def __str__(self):
        return str(self.year)


MONTH_NAMES = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]
