"""A family member reunified with a settled refugee (issue 12, item 5) is assigned straight to the reference
person's municipality and, once settled there, brings the municipality the per-capita integration grant."""

from datetime import timedelta

from grants.entitlements import INTEGRATION, compute_entitlements, quarter_of
from grants.reference import load_grant_schemes
from settlement import services
from settlement.tests.factories import HouseholdFactory


def test_reunified_family_settled_directly_brings_the_integration_grant(ref, actors, make_household, today):
    reference = HouseholdFactory(settled=True, municipality=ref["bergen"], settled_on=today - timedelta(days=30),
                                 waiting_since=today - timedelta(days=200)).persons.get()
    family = make_household(size=2, last="Gjenforent")
    services.link_reunification(actors["cw_ost"], family, reference_duf=reference.duf_number)
    services.assign_reunified(actors["cw_ost"], family, assigned_on=today - timedelta(days=2))
    persons = list(family.persons.all())
    services.register_settlement(actors["bergen"], family, dates={p.pk: today for p in persons})
    load_grant_schemes(years=range(today.year - 4, today.year + 1))
    lines = compute_entitlements(today.year, quarter_of(today), [ref["bergen"].pk])[ref["bergen"].pk]
    assert {p.pk for p in persons} <= {line.person_id for line in lines if line.scheme_code == INTEGRATION}
