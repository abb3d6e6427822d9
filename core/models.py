"""Reference data (regions, counties, municipalities, agencies, reception centres) and user roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Region(models.Model):
    """One of IMDi's six regional offices (regionkontor)."""

    code = models.SlugField("kode", max_length=20, unique=True)
    name = models.CharField("navn", max_length=50, unique=True)
    office_city = models.CharField("kontorsted", max_length=50)

    class Meta:
        ordering = ["name"]
        verbose_name = "region"
        verbose_name_plural = "regioner"

    def __str__(self):
        return f"IMDi {self.name}"


class ValidityQuerySet(models.QuerySet):
    """Rows of a classification (KLASS) valid on a date: valid_from <= date < valid_to, open ends allowed."""

    def valid_on(self, on):
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gt=on))


class Validity(models.Model):
    # KLASS convention: valid_to is the first day the row no longer applies; empty means still valid.
    valid_from = models.DateField("gyldig fra", null=True, blank=True, help_text="Tom: gyldig før 1.1.2014.")
    valid_to = models.DateField("gyldig til (ikke inkludert)", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_valid_on(self, on) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on < self.valid_to)


class County(Validity):
    """County (fylke), by its two-digit number, with the period it existed (SSB KLASS 104)."""

    number = models.CharField(
        "fylkesnummer", max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$", "To siffer.")]
    )
    name = models.CharField("navn", max_length=50)
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="counties", verbose_name="region",
        help_text="Tom for fylker som lå under to regionkontor (Viken, Vestfold og Telemark).",
    )

    class Meta:
        ordering = ["number"]
        verbose_name = "fylke"
        verbose_name_plural = "fylker"

    def __str__(self):
        return self.name


class Municipality(Validity):
    """Municipality (kommune), by its four-digit number, with the period it existed (SSB KLASS 131).

    A number is one municipality over its whole life: a merger that keeps the number (Stavanger 2020) keeps the
    row; a new number is a new row, linked to the old ones by MunicipalitySuccession."""

    number = models.CharField(
        "kommunenummer",
        max_length=4,
        unique=True,
        validators=[RegexValidator(r"^\d{4}$", "Kommunenummer har fire siffer.")],
    )
    name = models.CharField("navn", max_length=80)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="municipalities", verbose_name="fylke")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name="region")
    population = models.PositiveIntegerField("innbyggertall", default=0)
    email = models.EmailField("e-post (postmottak)", blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        constraints = [models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{4}$"), name="municipality_number_4_digits")]

    def __str__(self):
        return f"{self.number} {self.name}"


class MunicipalitySuccession(models.Model):
    """Which municipality became which, and when (kommuneendring, SSB KLASS 131 change lists)."""

    class Kind(models.TextChoices):
        RENUMBERED = "renumbered", "Nytt kommunenummer"
        MERGED = "merged", "Sammenslått"
        SPLIT = "split", "Delt"

    old = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="successions", verbose_name="fra")
    new = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="precursions", verbose_name="til")
    date = models.DateField("dato")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)

    class Meta:
        ordering = ["date", "new__number", "old__number"]
        verbose_name = "kommuneendring"
        verbose_name_plural = "kommuneendringer"
        constraints = [models.UniqueConstraint(fields=["old", "new"], name="one_succession_per_pair")]

    def __str__(self):
        return f"{self.old.number} → {self.new.number} ({self.date:%d.%m.%Y})"


class Agency(models.Model):
    """A sector agency that works with IMDi (etat), e.g. UDI, Bufetat, NAV, Husbanken."""

    code = models.SlugField("kode", max_length=20, unique=True)
    name = models.CharField("navn", max_length=120)

    class Meta:
        ordering = ["code"]
        verbose_name = "etat"
        verbose_name_plural = "etater"

    def __str__(self):
        return self.name


class ReceptionCentre(models.Model):
    """An asylum reception centre (asylmottak), or a care centre (omsorgssenter) for minors under 15."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Ordinært mottak"
        TRANSIT = "transit", "Transittmottak"
        MINORS = "minors", "Mottak for enslige mindreårige"
        CARE_CENTRE = "care_centre", "Omsorgssenter"

    name = models.CharField("navn", max_length=120, unique=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="reception_centres", verbose_name="kommune"
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    operator = models.CharField("driftsoperatør", max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "mottak"
        verbose_name_plural = "mottak"

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    CASEWORKER = "caseworker", "Saksbehandler i IMDi (region)"
    NATIONAL_ADMIN = "national_admin", "Nasjonal administrator i IMDi"
    MUNICIPALITY = "municipality", "Kommunebruker"
    MINISTRY = "ministry", "Departementet (kun aggregater)"
    AGENCY = "agency", "Etat (API-klient)"
    # The reception centre holds the settlement interview and registers it (imdi-evaluation-2014.txt 3955-3958).
    RECEPTION_CENTRE = "reception_centre", "Mottaksansatt"


class UserProfile(models.Model):
    """A user's role and the scope it applies to (brukerrolle)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="bruker", on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name="region")
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name="kommune"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, verbose_name="etat")
    reception_centre = models.ForeignKey(
        ReceptionCentre, null=True, blank=True, on_delete=models.PROTECT, verbose_name="mottak"
    )
    can_write = models.BooleanField(
        "kan registrere", default=False, help_text="For kommunebrukere: lese og skrive, ikke bare lese."
    )
    # Who gave which role or scope, and when (issue 9: roles changed without a trace).
    history = HistoricalRecords()

    class Meta:
        verbose_name = "brukerprofil"
        verbose_name_plural = "brukerprofiler"
        constraints = [
            # The scope a role needs must be present, and no other scope may leak in.
            models.CheckConstraint(
                condition=~Q(role="caseworker") | Q(region__isnull=False, municipality__isnull=True),
                name="caseworker_has_region",
            ),
            models.CheckConstraint(
                condition=~Q(role="municipality") | Q(municipality__isnull=False, region__isnull=True),
                name="municipality_user_has_municipality",
            ),
            models.CheckConstraint(
                condition=~Q(role="agency") | Q(agency__isnull=False), name="agency_user_has_agency"
            ),
            # A reception centre's staff see only their own centre; no other role has a centre.
            models.CheckConstraint(
                condition=(~Q(role="reception_centre") & Q(reception_centre__isnull=True))
                | Q(role="reception_centre", reception_centre__isnull=False, region__isnull=True, municipality__isnull=True),
                name="reception_user_has_centre",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class ApiScope(models.TextChoices):
    """What an API token may do. Data scope still follows the token user's role."""

    SETTLEMENT_READ = "settlement:read", "Lese bosettingssaker (innenfor rollen)"
    PERSONS_WRITE = "persons:write", "Registrere bosettingsklare personer (UDI)"
    PERSONS_READ = "persons:read", "Lese personer etaten selv har registrert"
    MINORS_READ = "minors:read", "Lese enslige mindreårige (Bufetat)"
    AGGREGATES_READ = "aggregates:read", "Lese aggregerte tall"
    REPORTS_READ = "reports:read", "Lese rapporter"
    GRANTS_READ = "grants:read", "Lese tilskuddskrav"
    AGREEMENTS_READ = "agreements:read", "Lese samarbeidsavtaler"


class ApiToken(models.Model):
    """A scoped API token for an agency (or any user); only a hash of the key is stored."""

    name = models.CharField("navn", max_length=100)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruker", on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField("prefiks", max_length=8, db_index=True)
    key_hash = models.CharField("nøkkel (hash)", max_length=64, unique=True)
    scopes = models.JSONField("tilganger", default=list)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    expires_at = models.DateTimeField("utløper", null=True, blank=True)
    last_used_at = models.DateTimeField("sist brukt", null=True, blank=True)
    revoked = models.BooleanField("trukket tilbake", default=False)
    # Issue and revoke are audited; the hash is not copied, and last use is written with update() (no row per call).
    history = HistoricalRecords(excluded_fields=["key_hash", "last_used_at"])

    class Meta:
        verbose_name = "API-nøkkel"
        verbose_name_plural = "API-nøkler"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class QueuedJob(models.Model):
    """A background job that could not reach the broker (Redis down); sent again once it is back."""

    task_name = models.CharField("oppgave", max_length=200)
    args = models.JSONField("argumenter", default=list)
    created_at = models.DateTimeField("opprettet", auto_now_add=True)
    attempts = models.PositiveIntegerField("forsøk", default=0)
    last_error = models.CharField("siste feil", max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "jobb i kø"
        verbose_name_plural = "jobber i kø"


def successors_on(municipality: Municipality, on) -> list[Municipality]:
    """The municipality or municipalities that an (old) municipality had become on a date, following every merger,
    renumbering and split in between (e.g. 0101 Halden -> 3001 (2020) -> 3101 (2024)). Itself if still valid."""
    current, result, seen = [municipality], [], set()
    while current:
        muni = current.pop()
        if muni.pk in seen:
            continue
        seen.add(muni.pk)
        if muni.valid_to is None or on < muni.valid_to:
            result.append(muni)
            continue
        current.extend(s.new for s in muni.successions.select_related("new").filter(date__lte=on))
    return sorted(result, key=lambda m: m.number)


def predecessors_of(municipality: Municipality) -> list[Municipality]:
    """Every earlier municipality that is now part of this one (all generations), for trends on today's structure."""
    found, todo = {}, [municipality]
    while todo:
        for s in todo.pop().precursions.select_related("old"):
            if s.old.pk not in found:
                found[s.old.pk] = s.old
                todo.append(s.old)
    return sorted(found.values(), key=lambda m: m.number)
