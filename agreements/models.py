"""Partnership agreements (samarbeids- og partnerskapsavtaler) with municipalities and sector agencies,
and their follow-up: commitments, action items, meetings and yearly status reports."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import EARLIEST_CASE_DATE, date_between, int_between
from core.models import Agency, Municipality, Region
from core.params import MAX_YEAR, MIN_YEAR

from .querysets import AgreementQuerySet


class AgreementType(models.TextChoices):
    COOPERATION = "cooperation", "Samarbeidsavtale"
    PARTNERSHIP = "partnership", "Partnerskapsavtale"
    KINN = "kinn", "KINN-avtale"
    INCLUDIO = "includio", "Includio-avtale"
    K_PLUS = "k_plus", "K+-avtale"
    SECTOR = "sector", "Avtale med sektormyndighet"


class PartnershipAgreement(models.Model):
    """An agreement between IMDi and municipalities or agencies (samarbeidsavtale)."""

    title = models.CharField("navn", max_length=200)
    agreement_type = models.CharField("type", max_length=20, choices=AgreementType.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements",
                               verbose_name="ansvarlig regionkontor", help_text="Tomt for nasjonale avtaler med etater.")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="agreements", verbose_name="kommuner")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="agreements", verbose_name="etater")
    start_date = models.DateField("gjelder fra")
    end_date = models.DateField("gjelder til")
    purpose = models.TextField("formål")
    signed_by = models.CharField("signert av (kommunens eller etatens ledelse)", max_length=200, blank=True)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[municipalities, agencies])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = "samarbeidsavtale"
        verbose_name_plural = "samarbeidsavtaler"
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="agreement_ends_after_start"),
            models.CheckConstraint(condition=date_between("start_date", EARLIEST_CASE_DATE), name="agreement_start_in_range"),
            models.CheckConstraint(condition=date_between("end_date", EARLIEST_CASE_DATE), name="agreement_end_in_range"),
        ]

    def __str__(self):
        return self.title


class AgreementGoal(models.Model):
    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE, related_name="goals")
    text = models.CharField("mål", max_length=300)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = "mål"
        verbose_name_plural = "mål"


class Commitment(models.Model):
    """What one party commits to (forpliktelse)."""

    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE,
                                  related_name="commitments")
    party = models.CharField("part", max_length=120, help_text="IMDi, kommunen eller etaten.")
    text = models.TextField("forpliktelse")
    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "id"]
        verbose_name = "forpliktelse"
        verbose_name_plural = "forpliktelser"


class ActionItem(models.Model):
    """An action item (tiltak) with its owner and due date."""

    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE,
                                  related_name="action_items")
    title = models.CharField("tiltak", max_length=200)
    owner = models.CharField("ansvarlig part", max_length=120)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name="ansvarlig person")
    due_date = models.DateField("frist")
    done_on = models.DateField("fullført", null=True, blank=True)
    note = models.TextField("merknad", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["done_on", "due_date", "id"]
        verbose_name = "tiltak"
        verbose_name_plural = "tiltak"
        constraints = [
            models.CheckConstraint(condition=date_between("due_date", EARLIEST_CASE_DATE), name="action_due_in_range"),
            models.CheckConstraint(condition=date_between("done_on", EARLIEST_CASE_DATE, null=True), name="action_done_in_range"),
        ]

    def __str__(self):
        return self.title


class FollowUpMeeting(models.Model):
    """A follow-up meeting (oppfølgingsmøte) with its minutes."""

    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField("dato")
    participants = models.CharField("deltakere", max_length=300, blank=True)
    minutes = models.TextField("referat")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on"]
        verbose_name = "oppfølgingsmøte"
        verbose_name_plural = "oppfølgingsmøter"
        constraints = [models.CheckConstraint(condition=date_between("held_on", EARLIEST_CASE_DATE), name="meeting_date_in_range")]


class AnnualStatusReport(models.Model):
    """The yearly status report (årsrapport) on an agreement; due by 1 March the year after."""

    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE,
                                  related_name="annual_reports")
    year = models.PositiveSmallIntegerField("år")
    submitted_on = models.DateField("levert")
    summary = models.TextField("status og resultater")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="levert av", null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = "årsrapport"
        verbose_name_plural = "årsrapporter"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year"], name="one_report_per_agreement_year"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="report_year_in_range"),
            models.CheckConstraint(condition=date_between("submitted_on", EARLIEST_CASE_DATE), name="report_date_in_range"),
        ]


class ReminderLog(models.Model):
    """A reminder that was sent (purring), so the weekly job never sends the same one twice in a day.

    Written only through `services.record_reminder`; the history keeps who (the system) and when.
    """

    kind = models.CharField("type", max_length=20)
    object_key = models.CharField("gjelder", max_length=60)
    sent_on = models.DateField("sendt")
    recipients = models.TextField("mottakere")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "purring"
        verbose_name_plural = "purringer"
        constraints = [models.UniqueConstraint(fields=["kind", "object_key", "sent_on"], name="one_reminder_per_day")]
