"""Two users acting at the same moment must not overbook a municipality."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from settlement import selectors, services
from settlement.models import HouseholdStatus, Proposal, ProposalStatus


def _race(calls):
    """Run the calls in threads that start together; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait()
        try:
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.fixture
def slow_capacity(monkeypatch):
    """Widen the window between reading capacity and writing, as a slow request would."""
    real = selectors.capacity

    def slow(*args, **kwargs):
        result = real(*args, **kwargs)
        time.sleep(0.3)
        return result

    monkeypatch.setattr(selectors, "capacity", slow)


@pytest.mark.django_db(transaction=True)
def test_concurrent_accepts_never_overbook(ref, actors, make_household, decide, today, slow_capacity):
    decide(ref["oslo"], places=4)
    a, b = make_household(size=2), make_household(size=2)
    for h in (a, b):
        services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[h.pk],
                                    reply_deadline=today + timedelta(days=7))
    decide(ref["oslo"], places=3)  # now room for only one of the two families
    proposals = list(Proposal.objects.order_by("pk"))

    results = _race([lambda p=p: services.accept_proposal(actors["oslo"], p) for p in proposals])

    accepted = [r for r in results if isinstance(r, Proposal)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(accepted), len(refused)) == (1, 1), results
    assert "ledige plasser" in refused[0].messages[0]
    assert Proposal.objects.filter(status=ProposalStatus.ACCEPTED).count() == 1
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert cap.accepted == 2 and cap.available_to_accept == 1


@pytest.mark.django_db(transaction=True)
def test_two_caseworkers_cannot_propose_past_capacity(ref, actors, users, make_household, decide, today, slow_capacity):
    decide(ref["oslo"], places=2)
    a, b = make_household(size=2), make_household(size=2)

    def propose(h):
        return lambda: services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[h.pk],
                                                   reply_deadline=today + timedelta(days=7))

    results = _race([propose(a), propose(b)])
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    statuses = sorted([h.status for h in type(a).objects.filter(pk__in=[a.pk, b.pk])])
    assert statuses == [HouseholdStatus.PROPOSED, HouseholdStatus.READY]
