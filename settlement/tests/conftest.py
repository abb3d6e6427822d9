"""Fixtures the settlement tests share (root conftest.py has reference data, users and make_household)."""

from datetime import timedelta

import pytest

from settlement import services


@pytest.fixture
def login(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def propose(actors, today):
    """Propose one household to a municipality through the service; returns the proposal."""

    def propose(household, municipality, actor="cw_ost"):
        dlist = services.propose_households(actors[actor], municipality=municipality, household_ids=[household.pk],
                                            reply_deadline=today + timedelta(days=14))
        return dlist.proposals.get()

    return propose


@pytest.fixture
def proposed(ref, make_household, decide, propose):
    """One household proposed to Oslo, one proposed to Bergen."""
    decide(ref["oslo"], places=10)
    decide(ref["bergen"], places=10)
    to_oslo, to_bergen = make_household(size=2, last="Oslofamilie"), make_household(size=1, last="Bergenperson")
    return {"oslo": (to_oslo, propose(to_oslo, ref["oslo"])), "bergen": (to_bergen, propose(to_bergen, ref["bergen"]))}
