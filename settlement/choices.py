"""The settlement pipeline's fixed choices: statuses, categories, reasons, nationalities."""

from django.db import models

NATIONALITIES = {
    "AFG": "Afghanistan",
    "COD": "Kongo (DR)",
    "ERI": "Eritrea",
    "ETH": "Etiopia",
    "IRN": "Iran",
    "IRQ": "Irak",
    "MMR": "Myanmar",
    "PSE": "Palestina",
    "SDN": "Sudan",
    "SOM": "Somalia",
    "SSD": "Sør-Sudan",
    "SYR": "Syria",
    "UKR": "Ukraina",
    "XXA": "Statsløs",
}


class HouseholdStatus(models.TextChoices):
    READY = "ready", "Bosettingsklar"
    PROPOSED = "proposed", "Foreslått for kommune"
    ACCEPTED = "accepted", "Akseptert av kommune"
    ASSIGNED = "assigned", "Søkt ut"
    SETTLED = "settled", "Bosatt"
    EXITED = "exited", "Ute av bosettingsløpet"


ACTIVE_STATUSES = (HouseholdStatus.READY, HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED)


class Category(models.TextChoices):
    RECEPTION_CENTRE = "reception", "Fra mottak"
    RESETTLEMENT = "resettlement", "Overføringsflyktning"
    FAMILY_REUNIFICATION = "family_reunification", "Familiegjenforening"
    PRIVATE = "private", "Privat bosatt / AMOT"
    UNACCOMPANIED_MINOR = "unaccompanied_minor", "Enslig mindreårig"


class Composition(models.TextChoices):
    """The household groups that IMDi's settlement reports count separately."""

    SINGLE_ADULT = "single_adult", "Enslig voksen"
    FAMILY_WITH_CHILDREN = "family_with_children", "Familie med barn"
    FAMILY_WITHOUT_CHILDREN = "family_without_children", "Familie uten barn"
    UNACCOMPANIED_MINOR = "unaccompanied_minor", "Enslig mindreårig"


class ExitReason(models.TextChoices):
    SETTLED_ON_OWN = "settled_on_own", "Bosatt på egen hånd"
    WITHDRAWN = "withdrawn", "Trukket / ikke lenger aktuell"
    LEFT_COUNTRY = "left_country", "Utreist"


class Sex(models.TextChoices):
    FEMALE = "F", "Kvinne"
    MALE = "M", "Mann"


class ProposalStatus(models.TextChoices):
    PENDING = "pending", "Venter på svar"
    ACCEPTED = "accepted", "Akseptert"
    DECLINED = "declined", "Avslått"
    WITHDRAWN = "withdrawn", "Trukket tilbake"


class DeclineReason(models.TextChoices):
    HOUSING = "housing", "Mangler egnet bolig"
    HEALTH = "health", "Helsebehov kommunen ikke kan dekke"
    COMPOSITION = "composition", "Husstandens sammensetning passer ikke"
    CAPACITY = "capacity", "Ikke kapasitet i tjenestene"
    OTHER = "other", "Annet"


LIVE_PROPOSAL_STATUSES = (ProposalStatus.PENDING, ProposalStatus.ACCEPTED)


class EventKind(models.TextChoices):
    CREATED = "created", "Registrert bosettingsklar"
    PROPOSED = "proposed", "Foreslått for kommune"
    ACCEPTED = "accepted", "Akseptert av kommune"
    DECLINED = "declined", "Avslått av kommune"
    WITHDRAWN = "withdrawn", "Forslag trukket"
    ASSIGNED = "assigned", "Søkt ut til kommune"
    PERSON_SETTLED = "person_settled", "Bosettingsdato registrert"
    SETTLED = "settled", "Bosatt"
    EXITED = "exited", "Avsluttet"
    REMINDED = "reminded", "Purring sendt"
    INTERVIEW = "interview", "Bosettingssamtale registrert"
    INTERVIEW_WAIVED = "interview_waived", "Kan foreslås uten bosettingssamtale"
    REUNIFICATION_LINKED = "reunification_linked", "Knyttet til referanseperson (familiegjenforening)"
    REUNIFIED = "reunified", "Søkt ut direkte (familiegjenforening)"
    TRANSFERRED = "transferred", "Overført til et annet regionkontor"
