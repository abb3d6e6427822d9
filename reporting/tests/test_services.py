"""Reporting services: ordering and computing snapshots, and recording indicator values. Errors are checked by code."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from core.errors import error_codes
from reporting import services
from reporting.models import Indicator, IndicatorValue, ReportKind, ReportSnapshot, SnapshotStatus
from reporting.reference import load_indicators
from settlement.models import MunicipalDecision

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def july_2025(time_machine):
    time_machine.move_to(datetime(2025, 7, 15, 12, tzinfo=OSLO), tick=False)


def test_indicator_values_are_checked(data, actors, july_2025):
    load_indicators()
    manual, computed = Indicator.objects.get(code="D3.2"), Indicator.objects.get(code="D1.1")
    cases = [
        (actors["admin"], computed, 2025, Decimal("50"), PermissionDenied, "indicator_computed"),
        (actors["cw_ost"], manual, 2025, Decimal("50"), PermissionDenied, "role_not_allowed"),
        (actors["admin"], manual, 2025, Decimal("120"), ValidationError, "share_over_100"),
        (actors["admin"], manual, 2025, Decimal("-1"), ValidationError, "value_negative"),
        (actors["admin"], manual, 2026, Decimal("50"), ValidationError, "year_in_future"),
    ]
    for actor, indicator, year, value, error, code in cases:
        with pytest.raises(error) as exc:
            services.record_indicator_value(actor, indicator=indicator, year=year, value=value)
        assert error_codes(exc.value) == {code}
    assert not IndicatorValue.objects.filter(indicator=manual).exclude(note__startswith="Agenda").exists()


def test_recorded_value_is_updated_in_place_with_history(data, actors):
    load_indicators()
    d22 = Indicator.objects.get(code="D2.2")
    services.record_indicator_value(actors["admin"], indicator=d22, year=2024, value=Decimal("60"), note="SSB")
    value = services.record_indicator_value(actors["admin"], indicator=d22, year=2024, value=Decimal("61.5"), note="SSB, rettet")
    assert [(h.value, h.history_user.username) for h in value.history.order_by("history_date")] == [
        (Decimal("60"), "admin"), (Decimal("61.5"), "admin")]


def test_snapshots_are_versioned_idempotent_and_never_overwritten(data, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.request_snapshot(actors["cw_ost"], kind=ReportKind.MONTHLY, year=2025, month=6)
    first.refresh_from_db()
    assert (first.version, first.status, first.progress) == (1, SnapshotStatus.DONE, 100)
    assert first.figures["national"]["settled_ytd"] == 10
    finished_at = first.finished_at
    services.run_snapshot(first.pk)  # a retried job does nothing to a finished snapshot
    first.refresh_from_db()
    assert first.finished_at == finished_at

    MunicipalDecision.objects.filter(municipality__number="0301").update(places=20)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.request_snapshot(actors["admin"], kind=ReportKind.MONTHLY, year=2025, month=6)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.version == 2
    assert (first.figures["national"]["decided"], second.figures["national"]["decided"]) == (19, 29)
    assert ReportSnapshot.objects.filter(kind="monthly", year=2025, month=6).count() == 2


def test_only_imdi_orders_reports_and_periods_are_checked(data, actors, july_2025):
    for name in ("ministry", "oslo"):
        with pytest.raises(PermissionDenied) as exc:
            services.request_snapshot(actors[name], kind=ReportKind.MONTHLY, year=2025, month=6)
        assert error_codes(exc.value) == {"role_not_allowed"}
    refused = [
        ({"kind": ReportKind.MONTHLY, "year": 2025, "month": 8}, "period_in_future"),
        ({"kind": ReportKind.GOALS, "year": 2026}, "period_in_future"),
        ({"kind": ReportKind.MONTHLY, "year": 1999, "month": 12}, "period_in_future"),
        ({"kind": ReportKind.MONTHLY, "year": 2025, "month": None}, "month_required"),
        ({"kind": ReportKind.MONTHLY, "year": 2025, "month": 13}, "month_required"),
        ({"kind": "weekly", "year": 2025}, "unknown_report_kind"),
    ]
    for kwargs, code in refused:
        with pytest.raises(ValidationError) as exc:
            services.request_snapshot(actors["admin"], **kwargs)
        assert error_codes(exc.value) == {code}, kwargs
    assert not ReportSnapshot.objects.exists()
    # The month under way may be ordered: its figures so far.
    assert services.request_snapshot(actors["admin"], kind=ReportKind.MONTHLY, year=2025, month=7).version == 1


def test_ordering_gives_up_after_three_version_collisions(data, actors, monkeypatch):
    def taken(**kwargs):
        raise IntegrityError("UNIQUE constraint failed: one_snapshot_per_period_version")

    monkeypatch.setattr(ReportSnapshot.objects, "create", taken)
    with pytest.raises(ValidationError) as exc:
        services.request_snapshot(actors["admin"], kind=ReportKind.MONTHLY, year=2025, month=6)
    assert error_codes(exc.value) == {"version_taken"}


def test_failed_computation_is_marked_and_raised(data, monkeypatch):
    snapshot = ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6)

    def boom(*a, **k):
        raise RuntimeError("database went away")

    monkeypatch.setattr("reporting.reports.monthly_report", boom)
    with pytest.raises(RuntimeError):
        services.run_snapshot(snapshot.pk)
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.FAILED and "database went away" in snapshot.error
    monkeypatch.undo()
    services.run_snapshot(snapshot.pk)  # the retry succeeds
    snapshot.refresh_from_db()
    assert snapshot.status == SnapshotStatus.DONE and snapshot.error == ""
