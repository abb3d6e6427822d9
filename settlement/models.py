"""The settlement pipeline (bosetting): needs, requests, decisions, households and their flow.

State changes happen only through settlement.services; these models hold the data and the
database constraints that back the service rules.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import EARLIEST_CASE_DATE, MAX_HOUSEHOLD_SIZE, MAX_PLACES, date_between, int_between
from core.models import Agency, Municipality, ReceptionCentre, Region
from core.params import MAX_YEAR, MIN_YEAR

from .choices import (  # noqa: F401 - re-exported: callers import the choices from settlement.models
    NATIONALITIES, HouseholdStatus, ACTIVE_STATUSES, Category, Composition, ExitReason, Sex, ProposalStatus,
    DeclineReason, LIVE_PROPOSAL_STATUSES, EventKind,
)
from .interview_models import InterviewWaiver, SettlementInterview  # noqa: F401 - bosettingssamtale, own module
from .querysets import (DistributionListQuerySet, HouseholdEventQuerySet, HouseholdQuerySet, MunicipalDecisionQuerySet,
                        PersonQuerySet, ProposalQuerySet, SettlementRequestQuerySet)

DUF_VALIDATOR = RegexValidator(r"^\d{12}$", "DUF-nummer har nøyaktig 12 siffer.")


class NationalNeed(models.Model):
    """The settlement need (bosettingsbehov) that the national committee (Nasjonalt utvalg) sets for a year."""

    year = models.PositiveSmallIntegerField("år", unique=True)
    adults_and_families = models.PositiveIntegerField("voksne og familier")
    unaccompanied_minors = models.PositiveIntegerField("enslige mindreårige")
    resettlement_refugees = models.PositiveIntegerField("overføringsflyktninger")
    decided_on = models.DateField("fastsatt dato", null=True, blank=True)
    note = models.TextField("merknad", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year"]
        verbose_name = "nasjonalt bosettingsbehov"
        verbose_name_plural = "nasjonale bosettingsbehov"
        constraints = [models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="need_year_in_range")]

    def __str__(self):
        return f"Behov {self.year}: {self.total}"

    @property
    def total(self):
        return self.adults_and_families + self.unaccompanied_minors + self.resettlement_refugees


class SettlementRequest(models.Model):
    """IMDi's request (anmodning) to a municipality to settle refugees, for up to three years."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="settlement_requests", verbose_name="kommune"
    )
    sent_on = models.DateField("sendt")
    reply_deadline = models.DateField("svarfrist")
    note = models.TextField("merknad", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="opprettet av", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    adjusted_at = models.DateTimeField("sist justert", null=True, blank=True)
    history = HistoricalRecords()
    objects = SettlementRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_on", "municipality__number"]
        verbose_name = "anmodning"
        verbose_name_plural = "anmodninger"
        constraints = [
            models.CheckConstraint(condition=Q(reply_deadline__gte=F("sent_on")), name="request_deadline_after_sent"),
            *[models.CheckConstraint(condition=date_between(f, EARLIEST_CASE_DATE), name=f"request_{f}_in_range")
              for f in ("sent_on", "reply_deadline")],
        ]

    def __str__(self):
        years = ", ".join(str(y.year) for y in self.years.all())
        return f"Anmodning til {self.municipality} ({years})"


class RequestedPlaces(models.Model):
    """The places requested from a municipality for one year (anmodet antall)."""

    request = models.ForeignKey(SettlementRequest, verbose_name="anmodning", on_delete=models.CASCADE, related_name="years")
    # Denormalised from the request so that the database can forbid two requests for one year.
    municipality = models.ForeignKey(Municipality, verbose_name="kommune", on_delete=models.PROTECT,
                                     related_name="requested_places")
    year = models.PositiveSmallIntegerField("år")
    persons = models.PositiveIntegerField("personer")
    unaccompanied_minors = models.PositiveIntegerField("herav enslige mindreårige", default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year"]
        verbose_name = "anmodet antall"
        verbose_name_plural = "anmodet antall"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_request_per_municipality_year"),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=F("persons")), name="requested_minors_within_persons"
            ),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="requested_year_in_range"),
            models.CheckConstraint(condition=Q(persons__lte=MAX_PLACES), name="requested_persons_realistic"),
        ]


class MunicipalDecision(models.Model):
    """A municipality's decision (vedtak) on how many refugees it will settle in a year.

    One row per municipality and year is the current decision; django-simple-history keeps
    every earlier version.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="decisions", verbose_name="kommune"
    )
    year = models.PositiveSmallIntegerField("år")
    places = models.PositiveIntegerField("vedtatt antall personer")
    unaccompanied_minors = models.PositiveIntegerField("herav enslige mindreårige", default=0)
    decided_on = models.DateField("vedtaksdato")
    housing_plan = models.TextField("boligplan", blank=True)
    request = models.ForeignKey(
        SettlementRequest, verbose_name="anmodning", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="registrert av", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField("registrert", auto_now=True)
    # "IMDi registrerer vedtakene" (evaluation, line 2261): IMDi may register the decision on the municipality's
    # behalf, with the municipal decision's own reference (saksnummer).
    reference = models.CharField("kommunens saksreferanse", max_length=60, blank=True)
    registered_by_imdi = models.BooleanField("registrert av IMDi", default=False)
    history = HistoricalRecords()
    objects = MunicipalDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "municipality__number"]
        verbose_name = "vedtak"
        verbose_name_plural = "vedtak"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_decision_per_municipality_year"),
            models.CheckConstraint(condition=Q(places__gte=0), name="decision_places_not_negative"),
            models.CheckConstraint(
                condition=Q(unaccompanied_minors__lte=F("places")), name="decision_minors_within_places"
            ),
            models.CheckConstraint(condition=Q(places__lte=MAX_PLACES), name="decision_places_realistic"),
            models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="decision_year_in_range"),
            models.CheckConstraint(condition=date_between("decided_on", EARLIEST_CASE_DATE), name="decision_date_in_range"),
        ]

    def __str__(self):
        return f"Vedtak {self.municipality} {self.year}: {self.places}"


class Household(models.Model):
    """A household (husstand): the unit that is proposed, assigned and settled, never split."""

    status = models.CharField("status", max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.READY)
    category = models.CharField("kategori", max_length=30, choices=Category.choices)
    composition = models.CharField("sammensetning", max_length=30, choices=Composition.choices)
    size = models.PositiveSmallIntegerField("antall personer")
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="households", verbose_name="ansvarlig regionkontor"
    )
    reception_centre = models.ForeignKey(
        ReceptionCentre, null=True, blank=True, on_delete=models.PROTECT, related_name="households", verbose_name="mottak"
    )
    waiting_since = models.DateField("venter siden (vedtak om opphold)")
    waiting_target_months = models.PositiveSmallIntegerField("mål for ventetid (måneder)")
    settlement_ready_on = models.DateField("bosettingsklar fra")
    special_needs = models.TextField("særskilte behov", blank=True)
    tied_municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="tilknytning til kommune"
    )
    ties_note = models.CharField("om tilknytningen", max_length=200, blank=True)
    # The municipality that currently has the case (proposed, accepted, assigned or settled).
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="households", verbose_name="kommune"
    )
    settlement_year = models.PositiveSmallIntegerField("bosettingsår", null=True, blank=True)
    assigned_on = models.DateField("søkt ut dato", null=True, blank=True)
    settled_on = models.DateField("bosatt dato", null=True, blank=True)
    exit_reason = models.CharField("årsak til avslutning", max_length=30, choices=ExitReason.choices, blank=True)
    exited_on = models.DateField("avsluttet dato", null=True, blank=True)
    # The placement as it stood when the household left the flow: exit_household clears municipality,
    # settlement_year and assigned_on, but members settled before the exit stay on that municipality's places
    # (settlement.definitions.placement). Kept here rather than read back from the history in every report.
    municipality_before_exit = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="kommune før avslutning"
    )
    settlement_year_before_exit = models.PositiveSmallIntegerField("bosettingsår før avslutning", null=True, blank=True)
    assigned_on_before_exit = models.DateField("søkt ut dato før avslutning", null=True, blank=True)
    registered_by_agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name="registrert av etat"
    )
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    updated_at = models.DateTimeField("endret", auto_now=True)
    # Family reunification (familiegjenforening, evaluation lines 916 and 2726-2729): the settled person this
    # household joins; it is assigned straight to that person's municipality (settlement.services.reunification).
    reference_person = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.PROTECT, related_name="reunified_households",
        verbose_name="referanseperson (familiegjenforening)",
    )
    history = HistoricalRecords()
    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["waiting_since", "id"]
        verbose_name = "husstand"
        verbose_name_plural = "husstander"
        indexes = [
            models.Index(fields=["status", "waiting_since"]),
            models.Index(fields=["municipality", "settlement_year", "status"]),
            models.Index(fields=["region", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(size__gte=1), name="household_has_members"),
            models.CheckConstraint(condition=Q(size__lte=MAX_HOUSEHOLD_SIZE), name="household_size_realistic"),
            *[models.CheckConstraint(condition=date_between(f, null=f.endswith("ed_on")), name=f"household_{f}_in_range")
              for f in ("waiting_since", "settlement_ready_on", "assigned_on", "settled_on")],
            models.CheckConstraint(condition=date_between("exited_on", EARLIEST_CASE_DATE, null=True), name="household_exit_in_range"),
            models.CheckConstraint(condition=int_between("settlement_year", MIN_YEAR, MAX_YEAR, null=True), name="household_year_in_range"),
            models.CheckConstraint(condition=Q(waiting_target_months__in=[3, 6]), name="household_waiting_target_3_or_6"),
            models.CheckConstraint(
                condition=Q(status="ready") | Q(status="exited") | Q(municipality__isnull=False, settlement_year__isnull=False),
                name="household_in_flow_has_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["assigned", "settled"]) | Q(assigned_on__isnull=False),
                name="household_assigned_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="settled") | Q(settled_on__isnull=False, settled_on__gte=F("assigned_on")),
                name="household_settled_after_assigned",
            ),
            models.CheckConstraint(
                condition=~Q(status="exited") | (~Q(exit_reason="") & Q(exited_on__isnull=False)),
                name="household_exit_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="exited") | Q(municipality_before_exit__isnull=True, settlement_year_before_exit__isnull=True,
                                                 assigned_on_before_exit__isnull=True),
                name="household_before_exit_only_when_exited",
            ),
            models.CheckConstraint(condition=int_between("settlement_year_before_exit", MIN_YEAR, MAX_YEAR, null=True),
                                   name="household_year_before_exit_in_range"),
        ]

    def __str__(self):
        return f"Husstand {self.pk}"

    @property
    def waiting_deadline(self) -> date:
        """The first member's deadline: long-waiting is per person (settlement.definitions)."""
        members = list(self.persons.all())
        if not members:
            return self.waiting_since + relativedelta(months=self.waiting_target_months)
        return min(p.waiting_deadline for p in members)

    def waiting_days(self, today: date) -> int:
        end = self.settled_on or self.exited_on or today
        return (end - self.waiting_since).days

    def is_long_waiting(self, today: date) -> bool:
        """Lengeventende: at least one member is (settlement.definitions.long_waiting_q, per person)."""
        return any(p.is_long_waiting(today) for p in self.persons.all())


class Person(models.Model):
    """A refugee (person) in a household, identified by the DUF number from UDI."""

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="persons", verbose_name="husstand")
    duf_number = models.CharField("DUF-nummer", max_length=12, unique=True, validators=[DUF_VALIDATOR])
    first_name = models.CharField("fornavn", max_length=80)
    last_name = models.CharField("etternavn", max_length=80)
    birth_date = models.DateField("fødselsdato")
    sex = models.CharField("kjønn", max_length=1, choices=Sex.choices)
    nationality = models.CharField("nasjonalitet", max_length=3, choices=sorted(NATIONALITIES.items(), key=lambda kv: kv[1]))
    is_head = models.BooleanField("hovedperson", default=False)
    residence_permit_date = models.DateField("vedtak om opphold")
    special_needs = models.TextField("særskilte behov", blank=True)
    settled_on = models.DateField("bosettingsdato", null=True, blank=True)
    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["-is_head", "birth_date"]
        verbose_name = "person"
        verbose_name_plural = "personer"
        # Reports select the persons settled in a period.
        indexes = [models.Index(fields=["settled_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(duf_number__regex=r"^[0-9]{12}$"), name="person_duf_12_digits"),
            models.CheckConstraint(
                condition=Q(settled_on__isnull=True) | Q(settled_on__gte=F("residence_permit_date")),
                name="person_settled_after_permit",
            ),
            *[models.CheckConstraint(condition=date_between(f, null=f == "settled_on"), name=f"person_{f}_in_range")
              for f in ("birth_date", "residence_permit_date", "settled_on")],
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def waiting_target_months(self) -> int:
        """3 months for a child, 6 for an adult (footnote 17, line 2592; settlement.definitions)."""
        from .definitions import long_waiting_months

        return long_waiting_months(self.birth_date, self.residence_permit_date)

    @property
    def waiting_deadline(self) -> date:
        """The last day within the target; long-waiting from the day after."""
        return self.residence_permit_date + relativedelta(months=self.waiting_target_months)

    def is_waiting(self, on: date) -> bool:
        h = self.household
        return (h.settlement_ready_on <= on and (self.settled_on is None or self.settled_on > on)
                and (h.exited_on is None or h.exited_on > on))

    def is_long_waiting(self, on: date) -> bool:
        """Lengeventende at the end of a day: the row-by-row twin of definitions.long_waiting_person_q."""
        from .definitions import more_than_months

        return self.is_waiting(on) and more_than_months(on, self.residence_permit_date, self.waiting_target_months)


class DistributionList(models.Model):
    """A distribution list (fordelingsliste): a block of households proposed to one municipality."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="distribution_lists", verbose_name="kommune"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="regionkontor")
    year = models.PositiveSmallIntegerField("bosettingsår")
    reply_deadline = models.DateField("svarfrist")
    note = models.TextField("merknad", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="laget av", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("sendt", auto_now_add=True)
    reminded_at = models.DateTimeField("purret", null=True, blank=True)
    history = HistoricalRecords()
    objects = DistributionListQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "fordelingsliste"
        verbose_name_plural = "fordelingslister"
        constraints = [models.CheckConstraint(condition=int_between("year", MIN_YEAR, MAX_YEAR), name="list_year_in_range"),
                       models.CheckConstraint(condition=date_between("reply_deadline", EARLIEST_CASE_DATE), name="list_deadline_in_range")]

    def __str__(self):
        return f"Fordelingsliste {self.pk} til {self.municipality}"


class Proposal(models.Model):
    """One household on a distribution list (forslag), and the municipality's answer to it."""

    distribution_list = models.ForeignKey(DistributionList, verbose_name="fordelingsliste", on_delete=models.PROTECT,
                                          related_name="proposals")
    household = models.ForeignKey(Household, verbose_name="husstand", on_delete=models.PROTECT, related_name="proposals")
    municipality = models.ForeignKey(Municipality, verbose_name="kommune", on_delete=models.PROTECT, related_name="proposals")
    persons = models.PositiveSmallIntegerField("antall personer")
    status = models.CharField("status", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PENDING)
    decline_reason = models.CharField("avslagsgrunn", max_length=20, choices=DeclineReason.choices, blank=True)
    comment = models.TextField("kommentar", blank=True)
    responded_at = models.DateTimeField("besvart", null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="besvart av", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()
    objects = ProposalQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = "forslag"
        verbose_name_plural = "forslag"
        constraints = [
            # A household is never on two live proposals at once.
            models.UniqueConstraint(
                fields=["household"], condition=Q(status__in=["pending", "accepted"]), name="one_live_proposal_per_household"
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="declined_proposal_has_reason"
            ),
            models.CheckConstraint(condition=int_between("persons", 1, MAX_HOUSEHOLD_SIZE), name="proposal_persons_realistic"),
        ]

    def __str__(self):
        return f"Forslag {self.pk}: {self.household} til {self.municipality}"


class HouseholdEvent(models.Model):
    """One step in a household's timeline (hendelse), written by the service that made it."""

    household = models.ForeignKey(Household, verbose_name="husstand", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField("hendelse", max_length=20, choices=EventKind.choices)
    at = models.DateTimeField("tidspunkt")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utført av", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    municipality = models.ForeignKey(Municipality, verbose_name="kommune", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    from_status = models.CharField("fra status", max_length=20, choices=HouseholdStatus.choices, blank=True)
    to_status = models.CharField("til status", max_length=20, choices=HouseholdStatus.choices, blank=True)
    note = models.TextField("merknad", blank=True)
    objects = HouseholdEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "hendelse"
        verbose_name_plural = "hendelser"


# Request planning and letters (issue 12; evaluation lines 2377-2397): the yearly letter to the chief executive.

class ContactTitle(models.TextChoices):
    CHIEF_EXECUTIVE = "kommunedirektor", "Kommunedirektør"
    RADMANN = "radmann", "Rådmann"
    MAYOR = "ordforer", "Ordfører"
    HEAD_OF_SERVICE = "kommunalsjef", "Kommunalsjef"
    REFUGEE_SERVICE = "flyktningtjeneste", "Leder for flyktningtjenesten"
    MAIL = "postmottak", "Postmottak"


class MunicipalityContact(models.Model):
    """Who IMDi writes to in a municipality (kontaktregister); the letter recipient is the chief executive (2389-2390)."""

    municipality = models.ForeignKey(Municipality, verbose_name="kommune", on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField("navn", max_length=120)
    title = models.CharField("tittel", max_length=20, choices=ContactTitle.choices)
    email = models.EmailField("e-post")
    receives_request_letter = models.BooleanField("mottar anmodningsbrevet", default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["municipality__number", "-receives_request_letter", "name"]
        verbose_name = "kontaktperson i kommunen"
        verbose_name_plural = "kontaktpersoner i kommunene"
        constraints = [
            models.UniqueConstraint(fields=["municipality"], condition=Q(receives_request_letter=True),
                                    name="one_letter_recipient_per_municipality"),
        ]

    def __str__(self):
        return f"{self.get_title_display()} {self.name} ({self.municipality.name})"


class RequestPlan(models.Model):
    """The stated key a round of request letters was planned with (fordelingsnøkkel), kept with who sent it."""

    first_year = models.PositiveSmallIntegerField("første år")
    needs = models.JSONField("nasjonalt behov per år")
    weight_population = models.DecimalField("vekt innbyggertall", max_digits=4, decimal_places=2)
    weight_previous_settlement = models.DecimalField("vekt bosatt året før", max_digits=4, decimal_places=2)
    weight_decided = models.DecimalField("vekt vedtatte plasser", max_digits=4, decimal_places=2)
    factor = models.DecimalField("faktor over behovet", max_digits=4, decimal_places=2)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="sendt av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "anmodningsplan"
        verbose_name_plural = "anmodningsplaner"
        constraints = [models.CheckConstraint(condition=int_between("first_year", MIN_YEAR, MAX_YEAR), name="plan_year_in_range")]

    def __str__(self):
        return f"Anmodningsplan {self.first_year}–{self.first_year + 2}"


class RequestLetter(models.Model):
    """The letter a request was sent with: to whom, when, and the PDF exactly as it was attached."""

    request = models.OneToOneField(SettlementRequest, verbose_name="anmodning", on_delete=models.PROTECT, related_name="letter")
    plan = models.ForeignKey(RequestPlan, verbose_name="anmodningsplan", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="letters")
    recipient_name = models.CharField("mottaker", max_length=120)
    recipient_title = models.CharField("mottakers tittel", max_length=60)
    recipient_email = models.EmailField("mottakers e-post")
    pdf = models.BinaryField("brev (PDF)", blank=True, editable=False)
    queued_at = models.DateTimeField("lagt i kø", auto_now_add=True)
    sent_at = models.DateTimeField("sendt", null=True, blank=True)
    sent_to = models.CharField("sendt til", max_length=400, blank=True)
    reminded_at = models.DateTimeField("purret", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="opprettet av", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords(excluded_fields=["pdf"])

    class Meta:
        ordering = ["-queued_at"]
        verbose_name = "anmodningsbrev"
        verbose_name_plural = "anmodningsbrev"

    def __str__(self):
        return f"Anmodningsbrev til {self.recipient_email}"



class MatchingRun(models.Model):
    """One utsøking computation (issue 14): asked for by a caseworker, solved in the request for a small batch or by a
    Celery job with progress for a large one; the last finished run is the proposal the page shows until the next."""

    class Status(models.TextChoices):
        QUEUED = "queued", "I kø"
        RUNNING = "running", "Beregnes"
        DONE = "done", "Ferdig"
        FAILED = "failed", "Feilet"

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bestilt av", null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    year = models.PositiveSmallIntegerField("år")
    region = models.ForeignKey(Region, verbose_name="region", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("framdrift (%)", default=0)
    stage = models.CharField("steg", max_length=100, blank=True)
    households = models.PositiveIntegerField("husstander", default=0)
    assignments = models.JSONField("forslag (husstand -> kommune)", default=dict)
    method = models.CharField("metode", max_length=40, blank=True)
    mip_gap = models.FloatField("bevist avstand til optimum", null=True, blank=True)
    seconds = models.FloatField("sekunder", null=True, blank=True)
    message = models.CharField("melding", max_length=300, blank=True)
    created_at = models.DateTimeField("bestilt", auto_now_add=True)
    finished_at = models.DateTimeField("ferdig", null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "utsøking"
        verbose_name_plural = "utsøkinger"
        indexes = [models.Index(fields=["requested_by", "year", "region"], name="matchingrun_lookup")]

    def __str__(self):
        return f"Utsøking {self.pk} ({self.year}, {self.get_status_display()})"
