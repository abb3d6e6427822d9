"""Agreement selectors: the follow-up lists (overdue items, missed yearly reports, agreements without a
recent meeting), each user's scope, and settlement with and without an agreement."""

from datetime import date, timedelta

from agreements import selectors, services
from agreements.models import AgreementType, PartnershipAgreement
from settlement.tests import report_data


def test_overdue_action_items(agreement, actors, today):
    late = services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo", due_date=today - timedelta(days=10))
    services.add_action_item(actors["cw_ost"], agreement, title="Samling", owner="IMDi", due_date=today + timedelta(days=10))
    done = services.add_action_item(actors["cw_ost"], agreement, title="Kartlegging", owner="Oslo", due_date=today - timedelta(days=40))
    services.complete_action_item(actors["oslo"], done)
    assert [i.pk for i in selectors.overdue_action_items(selectors.agreements_for(actors["cw_ost"]), today)] == [late.pk]


def test_missed_reports_are_due_1_march_the_year_after(agreement, actors):
    # The agreement runs 2023–2026; 2023's report is delivered.
    services.submit_annual_report(actors["oslo"], agreement, year=2023, summary="God start")
    agreements = PartnershipAgreement.objects.all()
    assert selectors.missed_reports(agreements, date(2025, 3, 1)) == []  # 2024's report is due today
    assert [(a.pk, y) for a, y in selectors.missed_reports(agreements, date(2025, 3, 2))] == [(agreement.pk, 2024)]
    assert [y for _, y in selectors.missed_reports(agreements, date(2027, 6, 1))] == [2024, 2025, 2026]


def test_agreements_without_a_meeting_in_six_months(agreement, actors, today):
    agreements = selectors.agreements_for(actors["cw_ost"])
    services.record_meeting(actors["cw_ost"], agreement, held_on=date(2024, 12, 15), minutes="Oppstart", topics=["settlement"])
    assert [a.pk for a in selectors.without_recent_meeting(agreements, today)] == [agreement.pk]
    services.record_meeting(actors["cw_ost"], agreement, held_on=today - timedelta(days=3), minutes="Status bosetting", topics=["settlement"])
    assert not selectors.without_recent_meeting(agreements, today).exists()


def test_each_role_sees_its_own_agreements(agreement, actors, ref):
    national = services.create_agreement(actors["admin"], title="IMDi–NAV", agreement_type=AgreementType.SECTOR, region=None,
                                         start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), purpose="x",
                                         municipalities=[ref["bergen"]])

    def seen(name):
        return set(selectors.agreements_for(actors[name]).values_list("pk", flat=True))

    assert seen("admin") == seen("ministry") == {agreement.pk, national.pk}
    assert seen("cw_ost") == {agreement.pk, national.pk}  # national agreements are visible to every region
    assert seen("cw_vest") == {national.pk}
    assert (seen("oslo"), seen("bergen")) == ({agreement.pk}, {national.pk})


def test_settlement_with_and_without_agreement(db, actors):
    m = report_data.build()  # Oslo 3 settled of 10 decided (12 requested); Bergen 4/5 (5); Tromsø 3/4 (3); Bærum 6 requested
    services.create_agreement(actors["admin"], title="KINN Tromsø", agreement_type=AgreementType.KINN,
                              region=m["1902"].region, start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), purpose="x",
                              municipalities=[m["1902"], m["0301"]])
    services.create_agreement(actors["admin"], title="Gammel avtale", agreement_type=AgreementType.COOPERATION,
                              region=m["1201"].region, start_date=date(2020, 1, 1), end_date=date(2023, 12, 31), purpose="x",
                              municipalities=[m["1201"]])
    with_, without = selectors.settlement_by_agreement(2025)
    assert (with_.municipalities, with_.requested, with_.decided, with_.settled) == (2, 15, 14, 7)  # H10 settled in July counts
    assert (without.requested, without.decided, without.settled) == (11, 5, 4)
    assert (with_.decided_share_of_requested, with_.settled_share_of_decided) == (93.3, 50.0)
    assert with_.settled_per_1000 == round(1000 * 7 / (m["1902"].population + m["0301"].population), 2)
