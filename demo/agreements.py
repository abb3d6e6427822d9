"""Demo agreements after the evaluation's chapters 5 and 6: K+ in Midt, KINN in Nord, Includio in
Vest, partnership agreements in Øst and Indre Øst, none in Sør, and national agreements with agencies."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.db import transaction

from core.models import Agency, Municipality, Region, successors_on

from agreements.models import ActionItem, AgreementType, AnnualStatusReport, FollowUpMeeting
from agreements.services import create_agreement

MUNICIPAL = [
    ("midt", AgreementType.K_PLUS, ["1601", "1719", "1702", "1714", "1721", "1703", "1502", "1505", "1504"]),
    ("nord", AgreementType.KINN, ["1804", "1805", "2012", "1903", "1902"]),
    ("vest", AgreementType.INCLUDIO, ["1106", "1103", "1102", "1201", "1247"]),
    ("ost", AgreementType.PARTNERSHIP, ["0213", "0301", "0231"]),
    ("indre-ost", AgreementType.COOPERATION, ["0602", "0502"]),
]
SECTOR = ["udi", "husbanken", "nav", "bufdir", "udir", "helsedir", "vox", "ldo"]


@transaction.atomic  # one commit: a commit per service call costs seconds on SQLite
def seed_agreements(as_of: date) -> int:
    from django.contrib.auth import get_user_model

    from core.roles import actor_for

    admin = actor_for(get_user_model().objects.get(username="admin"))
    start = date(as_of.year - 2, 1, 1)
    count = 0
    for region_code, kind, numbers in MUNICIPAL:
        region = Region.objects.get(code=region_code)
        for i, number in enumerate(numbers):
            # The 2014 municipality, or what it had become by the as-of date (e.g. 1601 Trondheim is 5001 from 2018).
            m = successors_on(Municipality.objects.get(number=number), as_of)[0]
            a = create_agreement(
                admin, title=f"{AgreementType(kind).label.replace('-avtale', '')} {m.name}", agreement_type=kind, region=region,
                start_date=start, end_date=date(as_of.year + 1, 12, 31), municipalities=[m], signed_by=f"Rådmannen i {m.name}",
                purpose=f"Helhetlig og langsiktig samarbeid om bosetting, kvalifisering og likeverdige tjenester i {m.name}.",
                goals=["Rask og jevn bosetting i tråd med vedtaket", "Flere i arbeid eller utdanning etter introduksjonsprogrammet"],
                commitments=[("IMDi", "Arrangere nettverkssamlinger (minst én per år) og gi faglig støtte."),
                             (m.name, "Vedta bosetting for tre år og delta på nettverkssamlinger.")],
            )
            _follow_up(a, as_of, i)
            count += 1
    for i, code in enumerate(SECTOR):
        agency = Agency.objects.get(code=code)
        a = create_agreement(
            admin, title=f"Samarbeidsavtale IMDi–{agency.code.upper()}", agreement_type=AgreementType.SECTOR, region=None,
            start_date=start, end_date=date(as_of.year + 1, 12, 31), agencies=[agency], signed_by=f"Direktøren i {agency.code.upper()}",
            purpose="Samordnet innsats for bosetting og integrering innenfor etatens sektoransvar.",
            goals=["Felles mål og rapportering på sektoransvaret"], commitments=[("IMDi", "Halvårlige kontaktmøter.")],
        )
        _follow_up(a, as_of, i)
        count += 1
    return count


def _follow_up(a, as_of: date, i: int):
    """Uneven follow-up, as the evaluation found: some agreements well kept, some not."""
    title = "Felles handlingsplan for sektoransvaret" if a.agreement_type == AgreementType.SECTOR else "Felles plan for boligframskaffelse"
    ActionItem.objects.create(agreement=a, title=title, owner=a.signed_by or "Kommunen",
                              due_date=as_of - relativedelta(months=2 + i % 3), done_on=None if i % 3 == 0 else as_of - relativedelta(months=2))
    ActionItem.objects.create(agreement=a, title="Nettverkssamling for introduksjonsprogrammet", owner="IMDi",
                              due_date=as_of + relativedelta(months=1 + i % 4))
    if i % 4 != 1:
        FollowUpMeeting.objects.create(agreement=a, held_on=as_of - relativedelta(months=1 + 2 * (i % 5)), participants="IMDi, rådmann",
                                       minutes="Gikk gjennom bosettingstallene og status for tiltakene.")
    AnnualStatusReport.objects.create(agreement=a, year=as_of.year - 2, submitted_on=date(as_of.year - 1, 2, 20),
                                      summary="Samarbeidet er etablert; bosetting på nivå med vedtaket.")
    if i % 2 == 0:
        AnnualStatusReport.objects.create(agreement=a, year=as_of.year - 1, submitted_on=date(as_of.year, 2, 25),
                                          summary="Flere tiltak gjennomført; to forsinket.")
