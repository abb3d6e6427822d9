"""Partnership agreements (samarbeids- og partnerskapsavtaler) with municipalities and sector agencies,
and their follow-up: commitments, action items, meetings and yearly status reports."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import EARLIEST_CASE_DATE, date_between, int_between
from core.models import Agency, Municipality, Region, Validity
from core.params import MAX_YEAR, MIN_YEAR

from .querysets import AgreementQuerySet


class AgreementType(models.TextChoices):
    COOPERATION = "cooperation", "Samarbeidsavtale"
    PARTNERSHIP = "partnership", "Partnerskapsavtale"
    KINN = "kinn", "KINN-avtale"
    INCLUDIO = "includio", "Includio-avtale"
    K_PLUS = "k_plus", "K+-avtale"
    SECTOR = "sector", "Avtale med sektormyndighet"


class PartyKind(models.TextChoices):
    COUNTY_GOVERNOR = "county_governor", "Statsforvalteren (Fylkesmannen)"
    KS = "ks", "KS"
    COUNTY_AUTHORITY = "county_authority", "Fylkeskommune"
    CITY_DISTRICT = "city_district", "Bydel i Oslo"


class PartyOrganisation(Validity):
    """A public body other than a municipality or an agency that can be party to an agreement: a county governor,
    KS, a county authority or one of Oslo's city districts (bydeler, e.g. the five in the Groruddalen agreement,
    evaluation lines 3540-3542). Reference data (agreements.reference), valid over the period the body existed."""

    kind = models.CharField("type", max_length=20, choices=PartyKind.choices)
    code = models.SlugField("kode", max_length=30, unique=True)
    name = models.CharField("navn", max_length=120)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "annen avtalepart"
        verbose_name_plural = "andre avtaleparter"

    def __str__(self):
        if self.valid_to:
            return f"{self.name} (til {self.valid_to.year - 1})"
        if self.valid_from and self.valid_from.year > 2014:
            return f"{self.name} (fra {self.valid_from.year})"
        return self.name


class MeetingTopic(models.TextChoices):
    """The set topics of a follow-up meeting. KINN: one meeting on settlement and one on qualification a year
    (evaluation lines 3564-3566); the agreements cover equal services too (3562-3564)."""

    SETTLEMENT = "settlement", "Bosetting"
    QUALIFICATION = "qualification", "Kvalifisering og introduksjonsprogram"
    HOUSING = "housing", "Bolig"
    EMPLOYMENT = "employment", "Arbeid og utdanning"
    EQUAL_SERVICES = "equal_services", "Likeverdige tjenester"
    MINORS = "minors", "Enslige mindreårige"
    GRANTS = "grants", "Tilskudd"
    KNOWLEDGE = "knowledge", "Kunnskapsutvikling"
    PLANNING = "planning", "Handlingsplan og evaluering"
    OTHER = "other", "Annet"


class AgreementTemplate(models.Model):
    """An agreement template (avtalemal): the type, purpose, goals, commitments, the topics the parties meet on
    every year, the evaluation points and a yearly action plan (TemplateActionItem). An agreement made from it
    copies the structure; the template itself never changes an agreement afterwards."""

    name = models.CharField("navn", max_length=200, unique=True)
    agreement_type = models.CharField("type", max_length=20, choices=AgreementType.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agreement_templates",
                               verbose_name="regionkontor", help_text="Tomt for nasjonale maler.")
    purpose = models.TextField("formål")
    goals = models.TextField("mål (ett per linje)", blank=True)
    imdi_commitments = models.TextField("IMDis forpliktelser", blank=True)
    party_commitments = models.TextField("partens forpliktelser", blank=True)
    meeting_topics = models.JSONField("faste møtetemaer hvert år", default=list, blank=True)
    evaluation_points = models.TextField("punkter i den årlige evalueringen (ett per linje)", blank=True)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "avtalemal"
        verbose_name_plural = "avtalemaler"

    def __str__(self):
        return self.name

    def topic_labels(self):
        return [MeetingTopic(t).label for t in self.meeting_topics]


class TemplateActionItem(models.Model):
    """One item of a template's yearly action plan (handlingsplan): in the agreement's `year`-th year, due at the
    end of `due_month`."""

    template = models.ForeignKey(AgreementTemplate, verbose_name="mal", on_delete=models.CASCADE, related_name="plan_items")
    year = models.PositiveSmallIntegerField("avtaleår", help_text="1 er avtalens første år.")
    title = models.CharField("tiltak", max_length=200)
    owner = models.CharField("ansvarlig part", max_length=120)
    due_month = models.PositiveSmallIntegerField("frist (måned)")
    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "due_month", "id"]
        verbose_name = "tiltak i malens handlingsplan"
        verbose_name_plural = "tiltak i malens handlingsplan"
        constraints = [
            models.CheckConstraint(condition=int_between("year", 1, 10), name="template_item_year_in_range"),
            models.CheckConstraint(condition=int_between("due_month", 1, 12), name="template_item_month_in_range"),
        ]

    def __str__(self):
        return self.title


class PartnershipAgreement(models.Model):
    """An agreement between IMDi and municipalities or agencies (samarbeidsavtale)."""

    title = models.CharField("navn", max_length=200)
    agreement_type = models.CharField("type", max_length=20, choices=AgreementType.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="agreements",
                               verbose_name="ansvarlig regionkontor", help_text="Tomt for nasjonale avtaler med etater.")
    municipalities = models.ManyToManyField(Municipality, blank=True, related_name="agreements", verbose_name="kommuner")
    agencies = models.ManyToManyField(Agency, blank=True, related_name="agreements", verbose_name="etater")
    parties = models.ManyToManyField(PartyOrganisation, blank=True, related_name="agreements", verbose_name="andre parter")
    template = models.ForeignKey(AgreementTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements",
                                 verbose_name="laget fra mal")
    meeting_topics = models.JSONField("faste møtetemaer hvert år", default=list, blank=True)
    evaluation_points = models.TextField("punkter i den årlige evalueringen", blank=True)
    start_date = models.DateField("gjelder fra")
    end_date = models.DateField("gjelder til")
    purpose = models.TextField("formål")
    signed_by = models.CharField("signert av (kommunens eller etatens ledelse)", max_length=200, blank=True)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[municipalities, agencies, parties])
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

    def topic_labels(self):
        return [MeetingTopic(t).label for t in self.meeting_topics]


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
    topics = models.JSONField("temaer", default=list, blank=True)
    minutes = models.TextField("referat")
    history = HistoricalRecords()

    def topic_labels(self):
        return [MeetingTopic(t).label for t in self.topics]

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


class AgreementGrant(models.Model):
    """A discretionary grant (Jobbsjansen, kommunale utviklingsmidler) managed in connection with an agreement
    (evaluation lines 3615-3621). grants and agreements are independent apps (import-linter): the application is
    referred to by model name, never imported."""

    agreement = models.ForeignKey(PartnershipAgreement, verbose_name="avtale", on_delete=models.CASCADE, related_name="grant_links")
    application = models.ForeignKey("grants.GrantApplication", verbose_name="søknad om tilskudd", on_delete=models.PROTECT,
                                    related_name="agreement_links")
    note = models.CharField("merknad", max_length=300, blank=True)
    linked_at = models.DateTimeField("koblet", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["linked_at", "id"]
        verbose_name = "tilskudd knyttet til avtale"
        verbose_name_plural = "tilskudd knyttet til avtaler"
        constraints = [models.UniqueConstraint(fields=["agreement", "application"], name="one_link_per_agreement_application")]


class MunicipalityContact(models.Model):
    """A contact with a municipality that has no agreement (kontaktlogg): how those municipalities are followed up
    varies between the offices (evaluation lines 3623-3625), so it is written down."""

    municipality = models.ForeignKey(Municipality, verbose_name="kommune", on_delete=models.PROTECT, related_name="agreement_contacts")
    contacted_on = models.DateField("dato")
    contact = models.CharField("kontaktperson", max_length=200)
    topic = models.CharField("tema", max_length=20, choices=MeetingTopic.choices)
    note = models.TextField("notat")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-contacted_on", "-id"]
        verbose_name = "kontakt med kommune uten avtale"
        verbose_name_plural = "kontakter med kommuner uten avtale"
        constraints = [models.CheckConstraint(condition=date_between("contacted_on", EARLIEST_CASE_DATE), name="contact_date_in_range")]
