"""Grant test data: known per-capita rates, settled households to compute entitlements from, and
applications in any state of the workflow."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from grants.entitlements import INTEGRATION, MINORS, NORWEGIAN
from grants.models import ApplicationStatus, GrantApplication, ParticipationRecord, RateKind
from settlement.models import Category, Composition
from settlement.tests import report_data

D = Decimal
RATES = {
    INTEGRATION: {RateKind.INTEGRATION_Y1_SINGLE_ADULT: D("200000"), RateKind.INTEGRATION_Y1_OTHER: D("150000"),
                  RateKind.INTEGRATION_Y2: D("100000"), RateKind.INTEGRATION_Y3: D("80000"),
                  RateKind.INTEGRATION_Y4: D("60000"), RateKind.INTEGRATION_Y5: D("50000.03")},
    MINORS: {RateKind.MINOR_PER_PERSON: D("190000")},
    NORWEGIAN: {RateKind.NORWEGIAN_PER_PERSON: D("60000"), RateKind.NORWEGIAN_BASE: D("500000")},
}


def settle(ref, settled, composition=Composition.SINGLE_ADULT, adults=1, children=0, category=Category.RECEPTION_CENTRE,
           municipality="oslo", nir=True):
    """A household settled in a municipality (Oslo by default) on a day, with adults born 1990. With `nir`, the adults
    start the introduction programme on the day of settlement (their NIR record: the Norwegian grant's basis)."""
    household = report_data.make_household(composition=composition, permit=settled - timedelta(days=120), settled=settled,
                                           municipality=ref[municipality], region=ref["ost"], adults=adults, children=children,
                                           category=category, year=settled.year)
    if nir:
        for person in household.persons.all():
            if person.birth_date.year < settled.year - 15:
                ParticipationRecord.objects.create(person=person, programme_start=settled)
    return household


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application put straight into a state (for workflow tests; the services make the real ones).
    Pass `grant_year`; with no `municipality` it is an organisation's application."""

    class Meta:
        model = GrantApplication

    municipality = None
    applicant_name = factory.LazyAttribute(lambda o: f"{o.municipality.name} kommune" if o.municipality else "Frivillig lag")
    title = "Jobbsjansen"
    description = "Kvalifisering til arbeid"
    amount_requested = D("400000")
    status = ApplicationStatus.SUBMITTED

    class Params:
        assessed = factory.Trait(status=ApplicationStatus.ASSESSED, assessment="Godt prosjekt",
                                 recommended_amount=factory.SelfAttribute("amount_requested"))
        granted = factory.Trait(assessed=True, status=ApplicationStatus.GRANTED,
                                amount_granted=factory.SelfAttribute("amount_requested"), decided_at=factory.LazyFunction(timezone.now))
        rejected = factory.Trait(assessed=True, status=ApplicationStatus.REJECTED, decision_reason="Utenfor målgruppen",
                                 decided_at=factory.LazyFunction(timezone.now))
        paid = factory.Trait(granted=True, status=ApplicationStatus.PAID, paid_at=factory.LazyFunction(timezone.now))
        reported = factory.Trait(paid=True, status=ApplicationStatus.REPORTED, report="Rapport",
                                 amount_used=factory.SelfAttribute("amount_granted"), reported_at=factory.LazyFunction(timezone.now))
