"""The demo's reception-centre users and settlement interviews (demo.interviews)."""

from django.contrib.auth import get_user_model

from core.models import Role
from core.roles import actor_for
from demo.interviews import seed_interviews, username_for
from settlement.interview_models import SettlementInterview
from settlement.models import EventKind, Household, HouseholdEvent
from settlement.services import interviews


def test_each_centre_gets_a_user_and_most_households_their_interview(make_household, ref, today):
    households = [make_household(size=2, last=f"Familie{i}", interviewed=False) for i in range(12)]
    message = seed_interviews(today)
    assert username_for(ref["centre"]) == "mottak.rade"
    user = get_user_model().objects.get(username="mottak.rade")
    assert user.check_password("demo") and (user.profile.role, user.profile.reception_centre) == (Role.RECEPTION_CENTRE, ref["centre"])
    done = [h for h in households if not interviews.interview_status(h, today).missing]
    assert 6 <= len(done) < len(households)  # most, not all: the queue shows some still missing
    assert SettlementInterview.objects.count() == 2 * len(done) and str(2 * len(done)) in message
    assert HouseholdEvent.objects.filter(kind=EventKind.INTERVIEW).count() == len(done)
    for interview in SettlementInterview.objects.all():
        assert interview.history.count() == 1
        assert interview.held_on >= interview.person.residence_permit_date
        assert interview.completeness == interviews.completeness_of(interview)
        assert interview.shared_scopes() == [] or interview.consent_given_on is not None
    # The centre's user sees these households and can open them.
    assert set(Household.objects.visible_to(actor_for(user))) == set(households)
    # Running again adds nothing for persons already interviewed.
    seed_interviews(today)
    assert SettlementInterview.objects.filter(person__household__in=done).count() == 2 * len(done)
