"""The settlement interview (bosettingssamtale / kartlegging) and the caseworker's override of it.

The reception centre holds the interview once a person is granted residence and registers it, with a
qualification plan, in a shared system (imdi-evaluation-2014.txt 2261-2265, 3955-3958, 4641-4645). What a
proposed municipality may read follows the person's recorded consent, and health details are never shown without
it (4664-4668: privacy, consent forms and health information). Imported by settlement.models; written only through
settlement.services.interviews.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core.bounds import EARLIEST_DATE, date_between, int_between
from core.models import Municipality, ReceptionCentre


class EducationLevel(models.TextChoices):
    NONE = "none", "Ingen skolegang"
    PRIMARY = "primary", "Grunnskole"
    SECONDARY = "secondary", "Videregående skole"
    VOCATIONAL = "vocational", "Fagutdanning"
    HIGHER = "higher", "Høyere utdanning"
    UNKNOWN = "unknown", "Ukjent / ikke kartlagt"


class NorwegianLevel(models.TextChoices):
    NONE = "none", "Ingen"
    BASIC = "basic", "Grunnleggende"
    INTERMEDIATE = "intermediate", "Middels"
    GOOD = "good", "God"


# Health needs in structured categories: no free-text diagnosis (4664-4668). Field name -> label.
HEALTH_NEEDS = {
    "need_physical_disability": "Fysisk funksjonsnedsettelse",
    "need_mental_health": "Behov for oppfølging av psykisk helse",
    "need_adapted_housing": "Trenger tilrettelagt bolig",
    "need_medical_follow_up": "Trenger jevnlig medisinsk oppfølging",
}

# What the person may consent to share with a proposed or assigned municipality: consent field -> (label, the
# interview fields it opens). Nothing else of the interview is ever shown to a municipality.
SHARE_SCOPES = {
    "share_education_work": ("Utdanning og arbeidserfaring", ("education_level", "work_experience")),
    "share_languages": ("Språk", ("languages", "norwegian_level")),
    "share_health": ("Helsebehov", tuple(HEALTH_NEEDS)),
    "share_preferences": ("Ønsker og tilknytning", ("preferences", "tied_municipality", "ties")),
    "share_qualification_plan": ("Kvalifiseringsplan", ("qualification_plan",)),
}

# The parts that make an interview complete (kartlegging), for the caseworker's queue.
COMPLETENESS_PARTS = ("education_level", "work_experience", "languages", "preferences", "qualification_plan")

MAX_PLAN_LENGTH = 2000


class SettlementInterview(models.Model):
    """One person's settlement interview (bosettingssamtale), held and registered by the reception centre."""

    person = models.OneToOneField("settlement.Person", on_delete=models.CASCADE, related_name="interview",
                                  verbose_name="person")
    reception_centre = models.ForeignKey(ReceptionCentre, on_delete=models.PROTECT, related_name="interviews",
                                         verbose_name="mottak")
    held_on = models.DateField("samtaledato")
    interviewer = models.CharField("samtale holdt av", max_length=120)
    education_level = models.CharField("utdanningsnivå", max_length=20, choices=EducationLevel.choices,
                                       default=EducationLevel.UNKNOWN)
    work_experience = models.CharField("arbeidserfaring", max_length=500, blank=True)
    languages = models.CharField("språk", max_length=200, blank=True, help_text="F.eks. «tigrinja, arabisk, engelsk».")
    norwegian_level = models.CharField("norskferdigheter", max_length=20, choices=NorwegianLevel.choices,
                                       default=NorwegianLevel.NONE)
    need_physical_disability = models.BooleanField(HEALTH_NEEDS["need_physical_disability"], default=False)
    need_mental_health = models.BooleanField(HEALTH_NEEDS["need_mental_health"], default=False)
    need_adapted_housing = models.BooleanField(HEALTH_NEEDS["need_adapted_housing"], default=False)
    need_medical_follow_up = models.BooleanField(HEALTH_NEEDS["need_medical_follow_up"], default=False)
    preferences = models.CharField("ønsker for bosettingen", max_length=500, blank=True)
    tied_municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", verbose_name="slekt eller nettverk i kommune")
    ties = models.CharField("om tilknytningen", max_length=200, blank=True)
    qualification_plan = models.CharField("kvalifiseringsplan", max_length=MAX_PLAN_LENGTH, blank=True)
    completeness = models.PositiveSmallIntegerField("kartlagt (prosent)", default=0)
    # Consent (samtykke): given on a date, for the scopes ticked; withdrawn on a later date ends all sharing.
    consent_given_on = models.DateField("samtykke gitt", null=True, blank=True)
    consent_withdrawn_on = models.DateField("samtykke trukket", null=True, blank=True)
    share_education_work = models.BooleanField(SHARE_SCOPES["share_education_work"][0], default=False)
    share_languages = models.BooleanField(SHARE_SCOPES["share_languages"][0], default=False)
    share_health = models.BooleanField(SHARE_SCOPES["share_health"][0], default=False)
    share_preferences = models.BooleanField(SHARE_SCOPES["share_preferences"][0], default=False)
    share_qualification_plan = models.BooleanField(SHARE_SCOPES["share_qualification_plan"][0], default=False)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="registrert av")
    registered_at = models.DateTimeField("registrert", auto_now_add=True)
    updated_at = models.DateTimeField("endret", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["person_id"]
        verbose_name = "bosettingssamtale"
        verbose_name_plural = "bosettingssamtaler"
        constraints = [
            models.CheckConstraint(condition=date_between("held_on", EARLIEST_DATE), name="interview_held_on_in_range"),
            models.CheckConstraint(condition=date_between("consent_given_on", EARLIEST_DATE, null=True),
                                   name="interview_consent_in_range"),
            models.CheckConstraint(condition=date_between("consent_withdrawn_on", EARLIEST_DATE, null=True),
                                   name="interview_withdrawal_in_range"),
            models.CheckConstraint(condition=int_between("completeness", 0, 100), name="interview_completeness_percent"),
            models.CheckConstraint(condition=~Q(interviewer=""), name="interview_has_interviewer"),
            # Withdrawn only after it was given; nothing is shared without a consent date.
            models.CheckConstraint(
                condition=Q(consent_withdrawn_on__isnull=True)
                | Q(consent_given_on__isnull=False, consent_withdrawn_on__gte=F("consent_given_on")),
                name="interview_consent_withdrawn_after_given",
            ),
            models.CheckConstraint(
                condition=Q(consent_given_on__isnull=False) | Q(
                    share_education_work=False, share_languages=False, share_health=False, share_preferences=False,
                    share_qualification_plan=False),
                name="interview_shares_need_consent",
            ),
        ]

    def __str__(self):
        return f"Bosettingssamtale {self.person} {self.held_on:%d.%m.%Y}"

    @property
    def consent_active(self) -> bool:
        return self.consent_given_on is not None and self.consent_withdrawn_on is None

    def shared_scopes(self) -> list[str]:
        """The consent fields that are open now (none once consent is withdrawn)."""
        if not self.consent_active:
            return []
        return [name for name in SHARE_SCOPES if getattr(self, name)]

    def health_needs(self) -> list[str]:
        return [label for name, label in HEALTH_NEEDS.items() if getattr(self, name)]


class InterviewWaiver(models.Model):
    """A caseworker's decision to propose a household without a registered interview, with the reason."""

    household = models.OneToOneField("settlement.Household", on_delete=models.CASCADE, related_name="interview_waiver",
                                      verbose_name="husstand")
    reason = models.CharField("begrunnelse", max_length=500)
    waived_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name="registrert av")
    waived_at = models.DateTimeField("registrert", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "unntak fra bosettingssamtale"
        verbose_name_plural = "unntak fra bosettingssamtale"
        constraints = [models.CheckConstraint(condition=~Q(reason=""), name="interview_waiver_has_reason")]

    def __str__(self):
        return f"Unntak fra bosettingssamtale for {self.household}"
