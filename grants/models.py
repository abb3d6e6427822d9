"""Grant schemes (tilskuddsordninger): per-capita grants computed from settlements, and
application grants with a workflow. Amounts are in Norwegian kroner with øre."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import EARLIEST_CASE_DATE, date_between, int_between
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
    SUPERSEDED = "superseded", "Erstattet av ny versjon"


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
    # Versions: a disputed claim is recomputed as a new version; the old one is kept, read-only (status superseded).
    version = models.PositiveSmallIntegerField("versjon", default=1)
    supersedes = models.OneToOneField("self", verbose_name="erstatter", null=True, blank=True, on_delete=models.RESTRICT,
                                      related_name="superseded_by")
    # What earlier versions of the claim already paid out: a correction of a paid claim pays only the difference.
    previously_paid = models.DecimalField("tidligere utbetalt (kr)", max_digits=14, decimal_places=2, default=0)
    history = HistoricalRecords()
    objects = GrantClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "municipality__number"]
        verbose_name = "tilskuddskrav"
        verbose_name_plural = "tilskuddskrav"
        # The budget check (grants.selectors.committed_by_scheme) sums a year's approved and paid claims (issue 14).
        indexes = [models.Index(fields=["year", "status"], name="claim_year_status")]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "quarter"], condition=~Q(status="superseded"),
                                    name="one_current_claim_per_municipality_quarter"),
            models.UniqueConstraint(fields=["municipality", "year", "quarter", "version"], name="one_claim_per_version"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_from_1"),
            models.CheckConstraint(condition=Q(version=1) | Q(supersedes__isnull=False), name="claim_later_version_supersedes"),
            models.CheckConstraint(condition=Q(previously_paid__gte=0), name="claim_previously_paid_not_negative"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="claim_quarter_1_4"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="claim_year_in_range"),
            models.CheckConstraint(condition=~Q(status="paid") | Q(payment_batch__isnull=False), name="paid_claim_in_batch"),
        ]

    def __str__(self):
        version = f" v{self.version}" if self.version > 1 else ""
        return f"Krav {self.municipality.name} {self.year} K{self.quarter}{version}"

    @property
    def payable(self):
        """What this version pays: the total less what earlier versions paid (negative: to be paid back)."""
        return self.total - self.previously_paid

    @property
    def is_current(self) -> bool:
        return self.status != ClaimStatus.SUPERSEDED


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


class DisputeStatus(models.TextChoices):
    OPEN = "open", "Åpen"
    RESOLVED = "resolved", "Rettet, nytt krav beregnet"
    REJECTED = "rejected", "Avvist"


class ClaimDispute(models.Model):
    """A municipality's objection to a claim line (evaluation, lines 2956-2958: "når det skjer [feil], får IMDi
    beskjed fra kommunen"). The caseworker corrects the settlement data and recomputes the claim as a new version."""

    claim = models.ForeignKey(GrantClaim, verbose_name="krav (versjon)", on_delete=models.CASCADE, related_name="disputes")
    line = models.ForeignKey(GrantClaimLine, verbose_name="kravlinje", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="disputes")
    person = models.ForeignKey("settlement.Person", verbose_name="person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    line_text = models.CharField("linjen gjaldt", max_length=200)
    line_amount = models.DecimalField("linjens beløp (kr)", max_digits=12, decimal_places=2)
    reason = models.TextField("kommunens begrunnelse")
    status = models.CharField("status", max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="meldt av", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField("meldt", auto_now_add=True)
    resolution = models.TextField("IMDis svar", blank=True)
    corrected_settled_on = models.DateField("rettet bosettingsdato", null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="behandlet av", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField("behandlet", null=True, blank=True)
    new_claim = models.ForeignKey(GrantClaim, verbose_name="nytt krav", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_at"]
        verbose_name = "innsigelse mot krav"
        verbose_name_plural = "innsigelser mot krav"
        constraints = [
            models.UniqueConstraint(fields=["line"], condition=Q(status="open"), name="one_open_dispute_per_line"),
            models.CheckConstraint(condition=Q(status="open") | ~Q(resolution=""), name="closed_dispute_has_resolution"),
            models.CheckConstraint(condition=~Q(status="resolved") | Q(new_claim__isnull=False), name="resolved_dispute_has_new_claim"),
            models.CheckConstraint(condition=date_between("corrected_settled_on", null=True), name="dispute_date_in_range"),
        ]

    def __str__(self):
        return f"Innsigelse {self.pk}: {self.line_text}"


class DecisionLetter(models.Model):
    """A decision letter (vedtaksbrev) as sent: the PDF kept with its checksum, to whom and when."""

    claim = models.ForeignKey(GrantClaim, verbose_name="krav (versjon)", on_delete=models.CASCADE, related_name="letters")
    created_at = models.DateTimeField("laget", auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="laget av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    recipient = models.EmailField("mottaker")
    total = models.DecimalField("beløp i brevet (kr)", max_digits=14, decimal_places=2)
    pdf = models.BinaryField("PDF")
    checksum = models.CharField("SHA-256", max_length=64)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "vedtaksbrev"
        verbose_name_plural = "vedtaksbrev"
        constraints = [models.CheckConstraint(condition=Q(checksum__regex=r"^[0-9a-f]{64}$"), name="letter_checksum_sha256")]

    def __str__(self):
        return f"Vedtaksbrev {self.claim}"


class ReportReminder(models.Model):
    """A reminder to a grantee whose report is overdue: at most one per application and period (month)."""

    application = models.ForeignKey("GrantApplication", verbose_name="søknad", on_delete=models.CASCADE, related_name="reminders")
    period = models.DateField("periode (måned)")
    recipient = models.EmailField("mottaker", blank=True)
    sent_at = models.DateTimeField("sendt", auto_now_add=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="sendt av", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = "påminnelse om rapport"
        verbose_name_plural = "påminnelser om rapport"
        constraints = [
            models.UniqueConstraint(fields=["application", "period"], name="one_report_reminder_per_period"),
            models.CheckConstraint(condition=Q(period__day=1), name="report_reminder_period_is_month"),
            models.CheckConstraint(condition=date_between("period", EARLIEST_CASE_DATE), name="report_reminder_period_in_range"),
        ]


# --- NIR: participation in the introduction programme and Norwegian training ---------------------

MAX_HOURS_PER_QUARTER = 600  # about 46 hours a week: more than full-time training is a typing error
MAX_PROGRAMME_YEARS = 3  # the introduction programme lasts up to two years, three with an extension


class ParticipationRecord(models.Model):
    """A person's NIR record (evaluation, lines 2702-2706, 3010-3032): the introduction programme's start and end
    and the Norwegian-training hours per quarter, the basis of the Norwegian-training grant (grants.entitlements)."""

    person = models.OneToOneField("settlement.Person", verbose_name="person", on_delete=models.CASCADE, related_name="nir")
    programme_start = models.DateField("introduksjonsprogram start", null=True, blank=True)
    programme_end = models.DateField("introduksjonsprogram slutt", null=True, blank=True)
    updated_at = models.DateTimeField("endret", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "NIR-registrering"
        verbose_name_plural = "NIR-registreringer"
        constraints = [
            models.CheckConstraint(condition=Q(programme_end__isnull=True) | Q(programme_start__isnull=False, programme_end__gte=F("programme_start")),
                                   name="programme_end_after_start"),
            models.CheckConstraint(condition=date_between("programme_start", EARLIEST_CASE_DATE, null=True), name="programme_start_in_range"),
            models.CheckConstraint(condition=date_between("programme_end", EARLIEST_CASE_DATE, null=True), name="programme_end_in_range"),
        ]

    def __str__(self):
        return f"NIR {self.person}"


class TrainingHours(models.Model):
    """Hours of Norwegian training a person took in a quarter, as the municipality reports them to NIR."""

    record = models.ForeignKey(ParticipationRecord, verbose_name="NIR-registrering", on_delete=models.CASCADE, related_name="hours")
    year = models.PositiveSmallIntegerField("år")
    quarter = models.PositiveSmallIntegerField("kvartal")
    hours = models.PositiveSmallIntegerField("timer norskopplæring")
    history = HistoricalRecords()

    class Meta:
        ordering = ["record", "year", "quarter"]
        verbose_name = "timer norskopplæring"
        verbose_name_plural = "timer norskopplæring"
        constraints = [
            models.UniqueConstraint(fields=["record", "year", "quarter"], name="one_hours_row_per_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="hours_quarter_1_4"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="hours_year_in_range"),
            models.CheckConstraint(condition=int_between("hours", 0, MAX_HOURS_PER_QUARTER), name="hours_in_range"),
        ]


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
