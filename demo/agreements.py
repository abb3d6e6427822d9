"""Demo agreements after the evaluation's chapters 5 and 6 (lines 3375-3629): K+ in Midt (nine prioritised
municipalities, Levanger among them), KINN in Nord (Bodø, Narvik, Sortland, Alta and Harstad, lines 3556-3558),
Includio in Vest (Haugesund), partnership agreements in Øst (Ski, and Oslo with the five city districts of
Groruddalen and Søndre Nordstrand, 3540-3542 and 2091), Drammen and Gjøvik in Indre Øst, none in Sør, and national
agreements with agencies. Every office's agreements come from its template (avtalemal) with a yearly action plan and
evaluation; KINN meets twice a year, once on settlement and once on qualification (3564-3566). Jobbsjansen and
development grants are linked to the agreement (3615-3621). Municipalities without an agreement get a contact log:
Sør's Grenland municipalities (3598-3602) and Nord's planned KINN municipalities (3558-3560)."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction

from agreements.models import (
    ActionItem, AgreementTemplate, AgreementType, AnnualStatusReport, FollowUpMeeting, MeetingTopic, MunicipalityContact,
    PartyOrganisation,
)
from agreements.reference import load_parties
from agreements.services import (
    add_template_item, create_agreement, create_agreement_from_template, create_template, link_grant, record_contact,
)
from core.models import Agency, Municipality, Region, successors_on

T = MeetingTopic
# office, type, 2014 municipality numbers, template: name, topics, yearly plan (year, month, item, owner)
MUNICIPAL = [
    ("midt", AgreementType.K_PLUS, ["1601", "1719", "1702", "1714", "1721", "1703", "1502", "1505", "1504"]),
    ("nord", AgreementType.KINN, ["1804", "1805", "1870", "2012", "1903"]),  # Bodø, Narvik, Sortland, Alta, Harstad
    ("vest", AgreementType.INCLUDIO, ["1106", "1103", "1102", "1201", "1247"]),
    ("ost", AgreementType.PARTNERSHIP, ["0213", "0301", "0231"]),
    ("indre-ost", AgreementType.COOPERATION, ["0602", "0502"]),
]
TEMPLATES = {
    # Midt: focus on settlement and the introduction programme, a yearly planning meeting with the chief executives.
    "midt": ("K+-avtale (IMDi Midt)", [T.PLANNING, T.SETTLEMENT, T.QUALIFICATION],
             "Bosetting og introduksjonsordningen: kommunen eier analysene som planene bygger på."),
    # Nord: settlement, qualification and equal services; an action plan; two meetings a year (3562-3566).
    "nord": ("KINN-avtale (IMDi Nord)", [T.SETTLEMENT, T.QUALIFICATION],
             "Bosetting, kvalifisering og likeverdige tjenester; KINN-kommunen hjelper også mindre nabokommuner."),
    "vest": ("Includio-avtale (IMDi Vest)", [T.SETTLEMENT, T.QUALIFICATION, T.EQUAL_SERVICES],
             "Helhetlig og langsiktig samarbeid på felt som bosetting, integrering og kvalifisering."),
    "ost": ("Partnerskapsavtale (IMDi Øst)", [T.SETTLEMENT, T.QUALIFICATION, T.KNOWLEDGE],
            "Styrke integrerings- og inkluderingsarbeidet og forankre det i kommunens planverk."),
    "indre-ost": ("Samarbeidsavtale (IMDi Indre Øst)", [T.SETTLEMENT, T.QUALIFICATION],
                  "Systematisk samarbeid om bosetting og kvalifisering."),
}
PLAN = [(1, 3, "Handlingsplan for året vedtatt av partene", "Kommunen og IMDi"),
        (1, 10, "Nettverkssamling for introduksjonsprogrammet", "IMDi"),
        (2, 3, "Handlingsplan for året vedtatt av partene", "Kommunen og IMDi"),
        (2, 6, "Felles plan for boligframskaffelse", "Kommunen"),
        (3, 3, "Handlingsplan for året vedtatt av partene", "Kommunen og IMDi"),
        (3, 11, "Tiltak for flere i arbeid etter introduksjonsprogrammet", "Kommunen"),
        (4, 3, "Handlingsplan for året vedtatt av partene", "Kommunen og IMDi")]
EVALUATION = "Bosatt mot vedtak og anmodning\nResultater etter introduksjonsprogrammet\nGjennomførte tiltak i handlingsplanen"
# Oslo's agreement takes in five city districts (lines 3540-3542): Groruddalen's four and Søndre Nordstrand (2091).
OSLO_DISTRICTS = ["bydel-030109", "bydel-030110", "bydel-030111", "bydel-030112", "bydel-030115"]
SECTOR = ["udi", "husbanken", "nav", "bufdir", "udir", "helsedir", "vox", "ldo"]
# Municipalities without an agreement that an office follows up: Sør's planned effort towards Grenland (3598-3602)
# and Nord's next agreements (3558-3560). (2014 number, topic, what was discussed)
CONTACTS = [
    ("sor", "0805", T.SETTLEMENT, "Anmodningen om bosetting de neste tre årene"),
    ("sor", "0806", T.SETTLEMENT, "Anmodningen om bosetting de neste tre årene"),
    ("sor", "0814", T.QUALIFICATION, "Introduksjonsordningen og samarbeid med arbeidsgivere"),
    ("nord", "1902", T.PLANNING, "Forberedelse av KINN-avtale"),
    ("nord", "1833", T.PLANNING, "Forberedelse av KINN-avtale"),
    ("nord", "2003", T.SETTLEMENT, "Vedtak om bosetting og boligsituasjonen"),
]


@transaction.atomic  # one commit: a commit per service call costs seconds on SQLite
def seed_agreements(as_of: date) -> int:
    from django.contrib.auth import get_user_model

    from core.roles import actor_for

    admin = actor_for(get_user_model().objects.get(username="admin"))
    load_parties()
    start = date(as_of.year - 2, 1, 1)
    end = date(as_of.year + 1, 12, 31)
    count = 0
    for region_code, kind, numbers in MUNICIPAL:
        region = Region.objects.get(code=region_code)
        name, topics, purpose = TEMPLATES[region_code]
        # Kept by `seed_demo --reset` (demo.store clears the cases, and templates refer to none): reused.
        template = AgreementTemplate.objects.filter(name=name).first()
        if template is None:
            template = create_template(admin, name=name, agreement_type=kind, region=region, purpose=purpose,
                                       goals="Rask og jevn bosetting i tråd med vedtaket\n"
                                             "Flere i arbeid eller utdanning etter introduksjonsprogrammet",
                                       imdi_commitments="Arrangere nettverkssamlinger (minst én per år) og gi faglig støtte.",
                                       party_commitments="Vedta bosetting for tre år og delta på nettverkssamlinger.",
                                       meeting_topics=topics, evaluation_points=EVALUATION)
            for year, month, item, owner in PLAN:
                add_template_item(admin, template, year=year, title=item, owner=owner, due_month=month)
        for i, number in enumerate(numbers):
            # The 2014 municipality, or what it had become by the as-of date (e.g. 1601 Trondheim is 5001 from 2018).
            m = successors_on(Municipality.objects.get(number=number), as_of)[0]
            parties = []
            title = f"{AgreementType(kind).label.replace('-avtale', '')} {m.name}"
            if number == "0301":
                parties = list(PartyOrganisation.objects.filter(code__in=OSLO_DISTRICTS).valid_on(start))
                title = "Partnerskapsavtale Oslo – Groruddalen og Søndre Nordstrand"
            a = create_agreement_from_template(admin, template, title=title, region=region, start_date=start, end_date=end,
                                               municipalities=[m], parties=parties, signed_by=f"Rådmannen i {m.name}")
            _follow_up(a, as_of, i)
            count += 1
    for i, code in enumerate(SECTOR):
        agency = Agency.objects.get(code=code)
        a = create_agreement(
            admin, title=f"Samarbeidsavtale IMDi–{agency.code.upper()}", agreement_type=AgreementType.SECTOR, region=None,
            start_date=start, end_date=end, agencies=[agency], signed_by=f"Direktøren i {agency.code.upper()}",
            purpose="Samordnet innsats for bosetting og integrering innenfor etatens sektoransvar.",
            goals=["Felles mål og rapportering på sektoransvaret"], commitments=[("IMDi", "Halvårlige kontaktmøter.")],
            meeting_topics=[T.PLANNING],
        )
        ActionItem.objects.create(agreement=a, title="Felles handlingsplan for sektoransvaret", owner=a.signed_by,
                                  due_date=as_of - relativedelta(months=2 + i % 3),
                                  done_on=None if i % 3 == 0 else as_of - relativedelta(months=2))
        _meetings(a, as_of, i)
        _reports(a, as_of, i)
        count += 1
    _link_grants(admin, as_of)
    _contacts(admin, as_of)
    return count


def _follow_up(a, as_of: date, i: int):
    """Uneven follow-up, as the evaluation found (3570-3572): some agreements well kept, some not. The plan's items
    that are due are done in two of three agreements."""
    for n, item in enumerate(a.action_items.filter(due_date__lt=as_of)):
        if (i + n) % 3:
            ActionItem.objects.filter(pk=item.pk).update(done_on=min(item.due_date + relativedelta(days=20), as_of))
    _meetings(a, as_of, i)
    _reports(a, as_of, i)


def _meetings(a, as_of: date, i: int):
    """KINN: a meeting on settlement in spring and one on qualification in autumn every year; the others one meeting
    a year on their set topics. Every fourth agreement has gone quiet (no meeting for over six months)."""
    quiet_since = as_of - relativedelta(months=8) if i % 4 == 1 else as_of
    for year in range(a.start_date.year, as_of.year + 1):
        if a.agreement_type == AgreementType.KINN:
            held = [(date(year, 3, 15), [T.SETTLEMENT], "Bosettingstall, vedtak og anmodning for de neste tre årene."),
                    (date(year, 9, 15), [T.QUALIFICATION], "Introduksjonsprogrammet: resultater og tiltak.")]
        else:
            held = [(date(year, 5, 1), a.meeting_topics, "Gikk gjennom bosettingstallene og status for handlingsplanen.")]
        for day, topics, minutes in held:
            if day <= quiet_since and day >= a.start_date:
                FollowUpMeeting.objects.create(agreement=a, held_on=day, topics=list(topics), participants="IMDi, rådmann",
                                               minutes=minutes)


def _reports(a, as_of: date, i: int):
    AnnualStatusReport.objects.create(agreement=a, year=as_of.year - 2, submitted_on=date(as_of.year - 1, 2, 20),
                                      summary="Samarbeidet er etablert; bosetting på nivå med vedtaket.")
    if i % 2 == 0:
        AnnualStatusReport.objects.create(agreement=a, year=as_of.year - 1, submitted_on=date(as_of.year, 2, 25),
                                          summary="Flere tiltak gjennomført; to forsinket.")


def _link_grants(admin, as_of: date):
    """Discretionary grants (Jobbsjansen, development grants) that a party municipality applied for in the agreement's
    years are managed with the agreement (3615-3621)."""
    from grants.models import GrantApplication

    from agreements.models import PartnershipAgreement

    for a in PartnershipAgreement.objects.exclude(municipalities=None).prefetch_related("municipalities"):
        applications = GrantApplication.objects.filter(
            municipality__in=a.municipalities.all(), grant_year__year__range=(a.start_date.year, a.end_date.year),
        ).exclude(status="rejected")
        for application in applications:
            link_grant(admin, a, application=application, note="Forvaltes i tilknytning til avtalen")


def _contacts(admin, as_of: date):
    for n, (region_code, number, topic, note) in enumerate(CONTACTS):
        m = successors_on(Municipality.objects.get(number=number), as_of)[0]
        for k in range(1 + n % 2):
            day = as_of - relativedelta(months=2 + 4 * k, days=n)
            if MunicipalityContact.objects.filter(municipality=m, contacted_on=day, topic=topic).exists():
                continue  # kept by `seed_demo --reset`, like the templates
            record_contact(admin, municipality=m, contacted_on=day, contact=f"Rådmannen i {m.name}", topic=topic, note=note)
