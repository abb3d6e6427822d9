"""Issue 12: a municipality disputes a claim line; the caseworker corrects the settlement date and the claim is
recomputed as a new version (the old one kept, read-only; a paid one paid only the difference). Every role, rule and
bad input, with the figures recomputed exactly.

Oslo's claim for 2025 Q2 (rates in factories.RATES): A, settled 10.05.2024, year-2 part 100,000 / 4 = 25,000.00;
B, settled 02.04.2025, year 1 single adult 200,000 + Norwegian per-person grant 60,000 (NIR start that day).
Total 285,000.00. B was really settled 01.07.2025: both B lines move to Q3, and version 2 is 25,000.00.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from grants import selectors, services
from grants.entitlements import INTEGRATION
from grants.models import ClaimDispute, ClaimStatus, DisputeStatus, GrantClaim
from settlement.models import HouseholdEvent, Person

from .factories import settle

D = Decimal


def refused(exc_type, call, *args, **kwargs) -> set[str]:
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return error_codes(info.value)


@pytest.fixture
def claim(schemes, ref):
    a = settle(ref, date(2024, 5, 10)).persons.get()
    b = settle(ref, date(2025, 4, 2)).persons.get()
    settle(ref, date(2025, 5, 2), municipality="bergen")
    services.build_claims(2025, 2)
    c = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    assert c.total == D("285000.00")
    c.a, c.b = a, b
    return c


def year1_line(claim):
    return claim.lines.get(person=claim.b, scheme__code=INTEGRATION)


def snapshot():
    return (list(GrantClaim.objects.order_by("pk").values_list("pk", "status", "total", "version")),
            list(ClaimDispute.objects.order_by("pk").values_list("pk", "status", "resolution")),
            list(Person.objects.order_by("pk").values_list("pk", "settled_on")))


def test_dispute_correct_and_recompute_as_a_new_version(claim, actors):
    dispute = services.dispute_claim_line(actors["oslo"], year1_line(claim), reason="B ble bosatt 01.07.2025, ikke i april.")
    assert (dispute.status, dispute.line_amount, dispute.person_id) == (DisputeStatus.OPEN, D("200000"), claim.b.pk)
    assert list(selectors.open_disputes_for(actors["cw_ost"])) == [dispute]
    assert list(selectors.open_disputes_for(actors["cw_vest"])) == []

    new = services.resolve_dispute(actors["cw_ost"], dispute, resolution="Bosettingsdato rettet etter kommunens melding.",
                                   corrected_settled_on=date(2025, 7, 1))
    old = GrantClaim.objects.get(pk=claim.pk)
    assert (old.status, old.version, old.total) == (ClaimStatus.SUPERSEDED, 1, D("285000.00"))
    assert old.lines.count() == 3  # the old version keeps its lines, read-only
    assert (new.version, new.supersedes_id, new.status, new.total, new.previously_paid) == (
        2, old.pk, ClaimStatus.CALCULATED, D("25000.00"), D("0"))
    assert [(l.person_id, l.amount) for l in new.lines.all()] == [(claim.a.pk, D("25000.00"))]
    claim.b.refresh_from_db()
    assert (claim.b.settled_on, claim.b.household.settled_on) == (date(2025, 7, 1), date(2025, 7, 1))
    assert claim.b.history.first().history_user == actors["cw_ost"].user
    assert HouseholdEvent.objects.filter(household=claim.b.household, note__contains="rettet fra 02.04.2025 til 01.07.2025").exists()
    dispute.refresh_from_db()
    assert (dispute.status, dispute.new_claim, dispute.corrected_settled_on) == (DisputeStatus.RESOLVED, new, date(2025, 7, 1))
    # The old version is read-only: no workflow action, no new dispute, no second recompute.
    assert CLAIM_ACTIONS(old, actors["admin"]) == set()
    assert CLAIM_ACTIONS(new, actors["admin"]) == {"approve", "supersede"}
    assert refused(ValidationError, services.dispute_claim_line, actors["oslo"], old.lines.first(), reason="x") == {"claim_superseded"}
    assert refused(ValidationError, services.recompute_claim, actors["admin"], old) == {"invalid_transition"}
    assert refused(ValidationError, services.resolve_dispute, actors["cw_ost"], dispute, resolution="igjen") == {"invalid_transition"}
    # B's lines now fall in the third quarter: year 1 and the Norwegian grant (NIR start 02.04, settled 01.07).
    q3 = services.build_claims(2025, 3)
    assert q3["total"] == D("25000.00") + D("200000") + D("60000")  # Oslo's A and B (Bergen's year 2 is 2026's)
    # The new version is approved like any claim, and only one current version per quarter exists.
    services.approve_claim(actors["admin"], new)
    assert GrantClaim.objects.filter(municipality=claim.municipality, year=2025, quarter=2).exclude(status="superseded").count() == 1


def CLAIM_ACTIONS(claim, actor):
    from grants.workflows import CLAIM

    return CLAIM.available(claim, actor)


def test_a_paid_claim_is_corrected_by_a_version_paying_the_difference(claim, actors):
    services.approve_claim(actors["admin"], claim)
    services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    dispute = services.dispute_claim_line(actors["oslo"], year1_line(claim), reason="Bosatt i juli.")
    new = services.resolve_dispute(actors["cw_ost"], dispute, resolution="Rettet.", corrected_settled_on=date(2025, 7, 1))
    assert (new.total, new.previously_paid, new.payable) == (D("25000.00"), D("285000.00"), D("-260000.00"))
    old = GrantClaim.objects.get(pk=claim.pk)
    assert (old.status, old.payment_batch_id is not None) == (ClaimStatus.SUPERSEDED, True)
    # Until the correction is approved, what was paid stays committed; then the correction's total replaces it.
    integration = claim.lines.first().scheme_id
    assert selectors.committed_by_scheme(2025)[integration] == D("225000.00")
    # A second correction before approval: version 3 still carries what was paid, and the paid money stays committed.
    again = services.dispute_claim_line(actors["oslo"], new.lines.first(), reason="Også feil?")
    new = services.resolve_dispute(actors["cw_ost"], again, resolution="Kontrollert og beregnet på nytt.")
    assert (new.version, new.previously_paid, new.total) == (3, D("285000.00"), D("25000.00"))
    assert selectors.committed_by_scheme(2025)[integration] == D("225000.00")
    services.approve_claim(actors["admin"], new)
    assert selectors.committed_by_scheme(2025)[integration] == D("25000.00")
    batch = services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    assert batch.total == D("-260000.00")
    assert batch.file_content.splitlines()[1] == f"0301;Oslo;2025;2;-260000.00;IMDI-20252-{new.pk:06d}"


def test_recompute_without_a_date_uses_the_data_as_corrected_elsewhere(claim, actors):
    dispute = services.dispute_claim_line(actors["oslo"], year1_line(claim), reason="Feil dato.")
    Person.objects.filter(pk=claim.b.pk).update(settled_on=date(2025, 7, 1))  # corrected on the household page
    new = services.resolve_dispute(actors["admin"], dispute, resolution="Rettet på husstanden.")
    assert (new.total, dispute.__class__.objects.get(pk=dispute.pk).corrected_settled_on) == (D("25000.00"), None)


def test_who_may_dispute(claim, actors):
    line = year1_line(claim)
    before = snapshot()
    assert refused(PermissionDenied, services.dispute_claim_line, actors["bergen"], line, reason="x") == {"other_municipality"}
    assert refused(PermissionDenied, services.dispute_claim_line, actors["oslo_read"], line, reason="x") == {"read_only"}
    assert refused(PermissionDenied, services.dispute_claim_line, actors["cw_ost"], line, reason="x") == {"other_municipality"}
    assert refused(PermissionDenied, services.dispute_claim_line, actors["admin"], line, reason="x") == {"other_municipality"}
    assert refused(PermissionDenied, services.dispute_claim_line, actors["ministry"], line, reason="x") == {"other_municipality"}
    assert refused(ValidationError, services.dispute_claim_line, actors["oslo"], line, reason="  ") == {"reason_required"}
    assert refused(ValidationError, services.dispute_claim_line, actors["oslo"], line, reason="x" * 2001) == {"text_too_long"}
    assert snapshot() == before
    services.dispute_claim_line(actors["oslo"], line, reason="Feil dato.")
    assert refused(ValidationError, services.dispute_claim_line, actors["oslo"], line, reason="igjen") == {"already_disputed"}


def test_who_may_resolve_and_bad_corrections_change_nothing(claim, actors):
    dispute = services.dispute_claim_line(actors["oslo"], year1_line(claim), reason="Feil dato.")
    before = snapshot()
    ok = {"resolution": "Rettet."}
    assert refused(PermissionDenied, services.resolve_dispute, actors["cw_vest"], dispute, **ok) == {"other_region"}
    assert refused(PermissionDenied, services.resolve_dispute, actors["oslo"], dispute, **ok) == {"role_not_allowed"}
    assert refused(PermissionDenied, services.resolve_dispute, actors["ministry"], dispute, **ok) == {"role_not_allowed"}
    assert refused(PermissionDenied, services.reject_dispute, actors["cw_vest"], dispute, **ok) == {"other_region"}
    assert refused(PermissionDenied, services.recompute_claim, actors["cw_vest"], claim) == {"other_region"}
    assert refused(PermissionDenied, services.recompute_claim, actors["oslo"], claim) == {"role_not_allowed"}
    assert refused(ValidationError, services.resolve_dispute, actors["cw_ost"], dispute, resolution=" ") == {"resolution_required"}
    bad = {date(2026, 3, 17): "date_in_future", date(2024, 12, 1): "before_residence_permit",
           date(2025, 4, 1): "before_assignment", date(2025, 4, 2): "date_unchanged"}
    for day, code in bad.items():
        assert refused(ValidationError, services.resolve_dispute, actors["cw_ost"], dispute, resolution="Rettet.",
                       corrected_settled_on=day) == {code}, day
    assert snapshot() == before  # nothing changed: no version, no date, the dispute still open
    # A person who settled on their own has no registered settlement date to correct here.
    Person.objects.filter(pk=claim.b.pk).update(settled_on=None)
    assert refused(ValidationError, services.resolve_dispute, actors["cw_ost"], dispute, resolution="Rettet.",
                   corrected_settled_on=date(2025, 7, 1)) == {"person_not_settled"}
    Person.objects.filter(pk=claim.b.pk).update(settled_on=date(2025, 4, 2))
    # A line without a person (the base grant) has no settlement date to correct.
    line = claim.lines.first()
    line.person = None
    line.save()
    other = services.dispute_claim_line(actors["oslo"], line, reason="Ingen person.")
    assert refused(ValidationError, services.resolve_dispute, actors["cw_ost"], other, resolution="x",
                   corrected_settled_on=date(2025, 7, 1)) == {"no_person_on_line"}


def test_rejected_dispute_leaves_the_claim_and_an_open_one_blocks_approval_and_rebuild(claim, actors, ref):
    dispute = services.dispute_claim_line(actors["oslo"], year1_line(claim), reason="Feil?")
    assert refused(ValidationError, services.approve_claim, actors["admin"], claim) == {"claim_disputed"}
    settle(ref, date(2025, 6, 1))
    assert services.build_claims(2025, 2)["disputed"] == 1  # a disputed claim is not rebuilt underneath the caseworker
    assert GrantClaim.objects.get(pk=claim.pk).total == D("285000.00")
    services.reject_dispute(actors["cw_ost"], dispute, resolution="Datoen stemmer med bosettingsmeldingen.")
    dispute.refresh_from_db()
    assert (dispute.status, dispute.new_claim) == (DisputeStatus.REJECTED, None)
    assert GrantClaim.objects.get(pk=claim.pk).status == ClaimStatus.CALCULATED
    assert services.approve_claim(actors["admin"], claim).status == ClaimStatus.APPROVED
