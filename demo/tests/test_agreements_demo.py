"""The demo's agreements as the evaluation names them (lines 3540-3629): KINN with Bodø, Narvik, Sortland, Alta and
Harstad (not Tromsø), Oslo's agreement with five city districts, templates with a yearly action plan, KINN's two
meetings a year on settlement and qualification, a grant linked to an agreement, and the contact log of
municipalities without one. Seeded at 30 June 2014 (the 2014 structure): the agreements start in 2012."""

from datetime import date
from decimal import Decimal

from agreements import selectors
from agreements.models import AgreementGrant, AgreementTemplate, AgreementType, MunicipalityContact, PartnershipAgreement
from core.models import Role
from demo.agreements import seed_agreements
from grants.models import GrantApplication, GrantScheme, GrantYear

AS_OF = date(2014, 6, 30)


def test_demo_agreements_follow_the_evaluation(ref, make_user, time_machine):
    time_machine.move_to(date(2014, 7, 1), tick=False)
    make_user(Role.NATIONAL_ADMIN, "admin")
    scheme = GrantScheme.objects.create(code="jobbsjansen", name="Tilskudd Jobbsjansen", kind="application")
    year = GrantYear.objects.create(scheme=scheme, year=2014, budget=Decimal("57000000"))
    jobbsjansen = GrantApplication.objects.create(grant_year=year, municipality=ref["oslo"], applicant_name="Oslo kommune",
                                                  title="Jobbsjansen Groruddalen", description="x", amount_requested=Decimal("900000"))

    assert seed_agreements(AS_OF) == 24 + 8
    kinn = PartnershipAgreement.objects.filter(agreement_type=AgreementType.KINN)
    assert sorted(a.municipalities.get().name for a in kinn) == ["Alta", "Bodø", "Harstad", "Narvik", "Sortland"]
    assert not kinn.filter(municipalities=ref["tromso"]).exists()
    oslo = PartnershipAgreement.objects.get(municipalities=ref["oslo"])
    assert sorted(p.name for p in oslo.parties.all()) == [
        "Bydel Alna", "Bydel Bjerke", "Bydel Grorud", "Bydel Stovner", "Bydel Søndre Nordstrand"]
    assert oslo.start_date == date(2012, 1, 1)

    # Every office's agreements come from its template; the yearly plan is copied (four years, seven items).
    assert AgreementTemplate.objects.count() == 5 and not PartnershipAgreement.objects.filter(template=None).exclude(
        agreement_type=AgreementType.SECTOR).exists()
    bodo = kinn.get(municipalities__name="Bodø")
    assert bodo.action_items.count() == 7 and bodo.meeting_topics == ["settlement", "qualification"]
    # KINN: one meeting on settlement and one on qualification a year.
    assert sorted((m.held_on, m.topics) for m in bodo.meetings.all()) == [
        (date(2012, 3, 15), ["settlement"]), (date(2012, 9, 15), ["qualification"]),
        (date(2013, 3, 15), ["settlement"]), (date(2013, 9, 15), ["qualification"]), (date(2014, 3, 15), ["settlement"])]
    assert selectors.topics_missing(bodo, 2013) == []
    # Uneven follow-up: Narvik's agreement has gone quiet.
    quiet = {a.title for a in selectors.without_recent_meeting(PartnershipAgreement.objects.all(), AS_OF)}
    assert "KINN Narvik" in quiet and "KINN Bodø" not in quiet

    assert list(AgreementGrant.objects.values_list("agreement", "application")) == [(oslo.pk, jobbsjansen.pk)]
    # Municipalities without an agreement: Grenland (Sør) and Nord's next KINN municipalities, Tromsø among them.
    contacted = set(MunicipalityContact.objects.values_list("municipality__name", flat=True))
    assert {"Porsgrunn", "Skien", "Bamble", "Tromsø", "Rana", "Vadsø"} == contacted
    assert not PartnershipAgreement.objects.filter(municipalities__name__in=contacted).exists()

    # `seed_demo --reset` clears the cases (demo.store) but not the templates and contacts: seeding again reuses them.
    from demo.store import clear_demo
    contacts = MunicipalityContact.objects.count()
    clear_demo()
    assert seed_agreements(AS_OF) == 24 + 8
    assert AgreementTemplate.objects.count() == 5 and MunicipalityContact.objects.count() == contacts
