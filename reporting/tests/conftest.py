"""Fixtures for the reporting tests: the hand-built dataset whose figures are known exactly, and its snapshots."""

import pytest
from django.test import Client

from reporting.models import ReportKind, ReportSnapshot
from reporting.reference import load_indicators
from reporting.services import run_snapshot
from settlement.tests import report_data


@pytest.fixture
def data(db):
    """Report month June 2025: ten households, see settlement/tests/report_data.py."""
    return report_data.build()


@pytest.fixture
def snapshots(data, users):
    """A finished monthly snapshot for June 2025 and a goal snapshot for 2025."""
    load_indicators()
    monthly = run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6).pk)
    goals = run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=2025).pk)
    return monthly, goals


@pytest.fixture
def client_for(users):
    """A logged-in browser client for one of the `users` fixture's users, by name."""

    def make(name):
        client = Client()
        client.force_login(users[name])
        return client

    return make
