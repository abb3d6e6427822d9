"""Reference data (regions, counties, municipalities, agencies, reception centres) and user roles."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q


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


class County(models.Model):
    """County (fylke), by its two-digit number."""

    number = models.CharField(
        "fylkesnummer", max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$", "To siffer.")]
    )
    name = models.CharField("navn", max_length=50)

    class Meta:
        ordering = ["number"]
        verbose_name = "fylke"
        verbose_name_plural = "fylker"

    def __str__(self):
        return self.name


class Municipality(models.Model):
    """Municipality (kommune), by its four-digit municipality number."""

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


class UserProfile(models.Model):
    """A user's role and the scope it applies to (brukerrolle)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    role = models.CharField("rolle", max_length=20, choices=Role.choices)
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, verbose_name="region")
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, verbose_name="kommune"
    )
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, verbose_name="etat")
    can_write = models.BooleanField(
        "kan registrere", default=False, help_text="For kommunebrukere: lese og skrive, ikke bare lese."
    )

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
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField("prefiks", max_length=8, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("tilganger", default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("utløper", null=True, blank=True)
    last_used_at = models.DateTimeField("sist brukt", null=True, blank=True)
    revoked = models.BooleanField("trukket tilbake", default=False)

    class Meta:
        verbose_name = "API-nøkkel"
        verbose_name_plural = "API-nøkler"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class QueuedJob(models.Model):
    """A background job that could not reach the broker (Redis down); sent again once it is back."""

    task_name = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = "jobb i kø"
        verbose_name_plural = "jobber i kø"
