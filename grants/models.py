"""Grant schemes (tilskuddsordninger): per-capita grants computed from settlements, and
application grants with a workflow. Amounts are in Norwegian kroner with øre."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import int_between
from core.models import Municipality
from core.params import MAX_YEAR, MIN_YEAR

from .querysets import GrantApplicationQuerySet, GrantClaimQuerySet, PaymentBatchQuerySet


class SchemeKind(models.TextChoices):
    PER_CAPITA = "per_capita", "Per capita-tilskudd"
    APPLICATION = "application", "Søknadsbasert tilskudd"


class GrantScheme(models.Model):
    """A grant scheme (tilskuddsordning), e.g. integreringstilskudd or Jobbsjansen."""

    code = models.SlugField("kode", max_length=40, unique=True)
    number = models.PositiveSmallIntegerField("nr. i tabell 4.5", null=True, blank=True)
    name = models.CharField("navn", max_length=200)
    kind = models.CharField("type", max_length=20, choices=SchemeKind.choices)
    description = models.TextField("kort om ordningen", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["number", "name"]
        verbose_name = "tilskuddsordning"
        verbose_name_plural = "tilskuddsordninger"

    def __str__(self):
        return self.name


class GrantYear(models.Model):
    """A scheme's budget and rules for one year (bevilgning og regelverk for året)."""

    scheme = models.ForeignKey(GrantScheme, verbose_name="ordning", on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField("år")
    budget = models.DecimalField("bevilgning (kr)", max_digits=14, decimal_places=2)
    opens_on = models.DateField("søknadsfrist åpner", null=True, blank=True)
    application_deadline = models.DateField("søknadsfrist", null=True, blank=True)
    report_deadline = models.DateField("frist for rapport fra tilskuddsmottaker", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "-year"]
        verbose_name = "tilskuddsår"
        verbose_name_plural = "tilskuddsår"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year"], name="one_grant_year_per_scheme"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="grant_year_in_range"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="grant_budget_not_negative"),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(application_deadline__isnull=True) | Q(application_deadline__gte=F("opens_on")),
                name="grant_deadline_after_opening",
            ),
        ]

    def __str__(self):
        return f"{self.scheme} {self.year}"


class RateKind(models.TextChoices):
    INTEGRATION_Y1_SINGLE_ADULT = "integration_y1_single_adult", "Integreringstilskudd år 1, enslige voksne"
    INTEGRATION_Y1_OTHER = "integration_y1_other", "Integreringstilskudd år 1, andre"
    INTEGRATION_Y2 = "integration_y2", "Integreringstilskudd år 2"
    INTEGRATION_Y3 = "integration_y3", "Integreringstilskudd år 3"
    INTEGRATION_Y4 = "integration_y4", "Integreringstilskudd år 4"
    INTEGRATION_Y5 = "integration_y5", "Integreringstilskudd år 5"
    MINOR_PER_PERSON = "minor_per_person", "Særskilt tilskudd per enslig mindreårig"
    NORWEGIAN_PER_PERSON = "norwegian_per_person", "Norsk og samfunnskunnskap, persontilskudd"
    NORWEGIAN_BASE = "norwegian_base", "Norsk og samfunnskunnskap, grunntilskudd per kommune"


class GrantRate(models.Model):
    """A rate (sats) in force for a scheme in a year."""

    grant_year = models.ForeignKey(GrantYear, verbose_name="tilskuddsår", on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField("sats", max_length=40, choices=RateKind.choices)
    amount = models.DecimalField("beløp (kr)", max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_year", "kind"]
        verbose_name = "sats"
        verbose_name_plural = "satser"
        constraints = [
            models.UniqueConstraint(fields=["grant_year", "kind"], name="one_rate_per_kind_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="rate_not_negative"),
        ]


# --- Per-capita claims ------------------------------------------------------------------------


class ClaimStatus(models.TextChoices):
    CALCULATED = "calculated", "Beregnet"
    APPROVED = "approved", "Godkjent"
    PAID = "paid", "Utbetalt"


class GrantClaim(models.Model):
    """A municipality's per-capita claim for a quarter (krav om tilskudd), built from settlements.

    It replaces the scanned claim forms: the lines are computed, not typed in.
    """

    municipality = models.ForeignKey(Municipality, verbose_name="kommune", on_delete=models.PROTECT, related_name="grant_claims")
    year = models.PositiveSmallIntegerField("år")
    quarter = models.PositiveSmallIntegerField("kvartal")
    status = models.CharField("status", max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.CALCULATED)
    total = models.DecimalField("sum (kr)", max_digits=14, decimal_places=2, default=0)
    calculated_at = models.DateTimeField("beregnet", auto_now=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="godkjent av", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField("godkjent", null=True, blank=True)
    payment_batch = models.ForeignKey("PaymentBatch", verbose_name="utbetalingsfil", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="claims")
    history = HistoricalRecords()
    objects = GrantClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "municipality__number"]
        verbose_name = "tilskuddskrav"
        verbose_name_plural = "tilskuddskrav"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "quarter"], name="one_claim_per_municipality_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="claim_quarter_1_4"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="claim_year_in_range"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(payment_batch__isnull=False), name="paid_claim_in_batch"),
        ]

    def __str__(self):
        return f"Krav {self.municipality.name} {self.year} K{self.quarter}"


class GrantClaimLine(models.Model):
    """One entitlement in a claim: a person, a scheme and the year of the grant period."""

    claim = models.ForeignKey(GrantClaim, verbose_name="krav", on_delete=models.CASCADE, related_name="lines")
    scheme = models.ForeignKey(GrantScheme, verbose_name="ordning", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("settlement.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="grant_lines")
    rate_kind = models.CharField("sats", max_length=40, choices=RateKind.choices)
    entitlement_year = models.PositiveSmallIntegerField("tilskuddsår (1–5)", null=True, blank=True)
    amount = models.DecimalField("beløp (kr)", max_digits=12, decimal_places=2)
    description = models.CharField("tekst", max_length=200)

    class Meta:
        verbose_name = "kravlinje"
        verbose_name_plural = "kravlinjer"
        ordering = ["scheme", "person_id", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gte=0), name="claim_line_not_negative")]


class PaymentBatch(models.Model):
    """A payment file (utbetalingsfil) for the approved claims of a quarter, sent to DFØ."""

    year = models.PositiveSmallIntegerField("år")
    quarter = models.PositiveSmallIntegerField("kvartal")
    created_at = models.DateTimeField("laget", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="laget av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    total = models.DecimalField("sum (kr)", max_digits=16, decimal_places=2)
    file_content = models.TextField("utbetalingsfil")
    objects = PaymentBatchQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "utbetalingsfil"
        verbose_name_plural = "utbetalingsfiler"
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="batch_quarter_1_4"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="batch_year_in_range"),
        ]

    def __str__(self):
        return f"Utbetaling {self.year} K{self.quarter} ({self.pk})"


# --- Application grants -----------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Mottatt"
    ASSESSED = "assessed", "Vurdert"
    GRANTED = "granted", "Innvilget"
    REJECTED = "rejected", "Avslått"
    PAID = "paid", "Utbetalt"
    REPORTED = "reported", "Rapportert"


class GrantApplication(models.Model):
    """An application for a discretionary grant (søknad), and its path to a report."""

    grant_year = models.ForeignKey(GrantYear, verbose_name="ordning og år", on_delete=models.PROTECT, related_name="applications")
    municipality = models.ForeignKey(Municipality, verbose_name="kommune", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="grant_applications")
    applicant_name = models.CharField("søker", max_length=200)
    title = models.CharField("prosjekt", max_length=200)
    description = models.TextField("beskrivelse")
    amount_requested = models.DecimalField("søkt beløp (kr)", max_digits=12, decimal_places=2)
    status = models.CharField("status", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="sendt av", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    submitted_at = models.DateTimeField("mottatt", auto_now_add=True)
    assessment = models.TextField("vurdering", blank=True)
    recommended_amount = models.DecimalField("anbefalt beløp (kr)", max_digits=12, decimal_places=2, null=True, blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="vurdert av", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    amount_granted = models.DecimalField("innvilget beløp (kr)", max_digits=12, decimal_places=2, null=True, blank=True)
    decision_reason = models.TextField("begrunnelse", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="vedtatt av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("vedtatt", null=True, blank=True)
    paid_at = models.DateTimeField("utbetalt", null=True, blank=True)
    report = models.TextField("rapport fra tilskuddsmottaker", blank=True)
    amount_used = models.DecimalField("brukt beløp (kr)", max_digits=12, decimal_places=2, null=True, blank=True)
    reported_at = models.DateTimeField("rapportert", null=True, blank=True)
    history = HistoricalRecords()
    objects = GrantApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = "søknad om tilskudd"
        verbose_name_plural = "søknader om tilskudd"
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0), name="application_amount_positive"),
            models.CheckConstraint(
                condition=Q(amount_granted__isnull=True) | Q(amount_granted__gt=0, amount_granted__lte=F("amount_requested")),
                name="granted_within_requested",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["granted", "paid", "reported"]) | Q(amount_granted__isnull=False),
                name="granted_application_has_amount",
            ),
            models.CheckConstraint(condition=~Q(status="rejected") | ~Q(decision_reason=""), name="rejection_has_reason"),
        ]

    def __str__(self):
        return f"{self.title} ({self.applicant_name})"
