"""Fixtures for the agreement tests. Follow-up depends on the date (reports are due 1 March the year after),
so every test here runs on a pinned day: 16 June 2025."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from agreements import services
from agreements.models import AgreementType

TODAY = date(2025, 6, 16)


@pytest.fixture(autouse=True)
def today(time_machine):
    """Overrides the root `today`: the clock stands still at noon on TODAY (Oslo time)."""
    time_machine.move_to(datetime(TODAY.year, TODAY.month, TODAY.day, 12, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)
    return TODAY


@pytest.fixture
def agreement(ref, actors):
    """Region Øst's agreement with Oslo, 2023–2026, with one goal (the blank one is dropped) and two commitments."""
    return services.create_agreement(
        actors["cw_ost"], title="Partnerskapsavtale Oslo", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
        start_date=date(2023, 1, 1), end_date=date(2026, 12, 31), purpose="Rask og jevn bosetting",
        municipalities=[ref["oslo"]], goals=["Bosette i tråd med vedtaket", " "],
        commitments=[("IMDi", "Nettverkssamlinger"), ("Oslo", "Tre års vedtak")],
    )


@pytest.fixture
def client_for(users):
    """A logged-in browser client for one of the `users` fixture's users, by name."""

    def make(name):
        client = Client()
        client.force_login(users[name])
        return client

    return make
