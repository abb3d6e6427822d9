"""Reports kept as frozen snapshots, and the goal structure (mål- og resultatstyring) as data."""

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


class Indicator(models.Model):
    """A steering parameter (styringsparameter) under a goal, with a target per year."""

    code = models.CharField("kode", max_length=10, unique=True)
    goal = models.CharField("delmål", max_length=2, choices=Goal.choices)
    name = models.CharField("styringsparameter", max_length=250)
    unit = models.CharField("enhet", max_length=10, choices=Unit.choices)
    direction = models.CharField("retning", max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    computation = models.CharField("beregning", max_length=40, choices=Computation.choices, blank=True)
    must_increase = models.BooleanField(
        "skal øke", default=False, help_text="Resultatkrav uten tallmål: nådd når verdien er høyere enn året før."
    )
    description = models.TextField("beskrivelse", blank=True)
    order = models.PositiveSmallIntegerField(default=0)

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
    """The target (resultatkrav) from a year on; it holds until a later year sets another."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("fra år")
    target = models.DecimalField("mål", max_digits=10, decimal_places=2)
    source = models.CharField("kilde", max_length=200, blank=True)

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = "resultatkrav"
        verbose_name_plural = "resultatkrav"
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="one_target_per_indicator_year")]


class IndicatorValue(models.Model):
    """A value entered by an IMDi admin for an indicator the system cannot compute itself."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    year = models.PositiveSmallIntegerField("år")
    value = models.DecimalField("verdi", max_digits=10, decimal_places=2)
    note = models.CharField("kilde/merknad", max_length=300, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "year"]
        verbose_name = "registrert verdi"
        verbose_name_plural = "registrerte verdier"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="one_value_per_indicator_year"),
            models.CheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative"),
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
    error = models.TextField("feil", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("bestilt", auto_now_add=True)
    started_at = models.DateTimeField("startet", null=True, blank=True)
    finished_at = models.DateTimeField("ferdig", null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

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


MONTH_NAMES = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober", "november", "desember"]
