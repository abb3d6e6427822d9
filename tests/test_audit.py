"""Audit on every write (issue 9): every model a user or token can change keeps its history (who, when, old and
new values, django-simple-history), and the services credit the change to the acting user.

Every concrete model of the project's apps is listed here, either as audited or, with the reason, as not
written by users. A new model fails this test until it is put in one of the two lists.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin

from agreements import services as agreement_services
from agreements.models import AgreementType
from core.api.auth import issue_token
from core.models import ApiToken, UserProfile
from grants import services as grant_services
from grants.models import ClaimStatus, GrantClaim
from settlement import services

PROJECT_APPS = ("core", "settlement", "grants", "agreements", "reporting")

NOT_WRITTEN_BY_USERS = {
    # Reference data from SSB KLASS and core/data, loaded by core.services.load_reference_data; read-only in admin.
    "core.Region": "reference data",
    "core.County": "reference data",
    "core.Municipality": "reference data",
    "core.MunicipalitySuccession": "reference data",
    "core.Agency": "reference data",
    "core.ReceptionCentre": "reference data",
    "core.QueuedJob": "system outbox for jobs sent while the broker was down; no user writes it",
    "settlement.HouseholdEvent": "the household's timeline: written once by the services, never changed (itself a log)",
    "grants.GrantClaimLine": "derived: rebuilt from the settlement data by build_claims; the claim's history keeps the total",
    "reporting.ReportSnapshot": "derived and frozen: a new version per computation, never overwritten; requested_by says who",
    "settlement.MatchingRun": "derived: a matching computation (proposal, method, gap); requested_by says who; it changes nothing",
}


def project_models():
    return sorted(f"{m._meta.app_label}.{m.__name__}" for m in apps.get_models()
                  if m._meta.app_label in PROJECT_APPS and not m._meta.abstract and not m.__name__.startswith("Historical"))


def has_history(label: str) -> bool:
    model = apps.get_model(label)
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


@pytest.mark.parametrize("label", project_models())
def test_every_model_with_a_write_path_keeps_history(label):
    if label in NOT_WRITTEN_BY_USERS:
        assert not admin.site.is_registered(apps.get_model(label)) or not admin.site._registry[
            apps.get_model(label)].has_change_permission(None), f"{label} is listed as not written, but admin edits it"
        return
    assert has_history(label), f"{label} can be changed by a user or token but keeps no history"


def test_the_exempt_list_names_real_models():
    assert set(NOT_WRITTEN_BY_USERS) <= set(project_models())


def last_user(obj):
    return obj.history.order_by("-history_id").first().history_user


@pytest.mark.django_db
def test_agreement_writes_credit_the_user(actors, users, ref, today):
    agreement = agreement_services.create_agreement(
        actors["cw_ost"], title="Avtale", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
        start_date=today - timedelta(days=400), end_date=today + timedelta(days=400), purpose="Bosetting",
        municipalities=[ref["oslo"]], goals=["Mål"], commitments=[("IMDi", "Samlinger")])
    meeting = agreement_services.record_meeting(actors["cw_ost"], agreement, held_on=today, minutes="Referat",
                                                 topics=["settlement"])
    report = agreement_services.submit_annual_report(actors["oslo"], agreement, year=today.year - 1, summary="Status")
    assert last_user(agreement) == users["cw_ost"]
    assert last_user(agreement.goals.get()) == users["cw_ost"]
    assert last_user(agreement.commitments.get()) == users["cw_ost"]
    assert last_user(meeting) == users["cw_ost"]
    assert last_user(report) == users["oslo"]


@pytest.mark.django_db
def test_payment_batch_credits_the_user(actors, users, ref, today):
    claim = GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1, status=ClaimStatus.APPROVED,
                                      total=Decimal("100"))
    batch = grant_services.create_payment_batch(actors["admin"], year=today.year, quarter=1)
    assert last_user(batch) == users["admin"]
    claim.refresh_from_db()
    assert claim.history.first().payment_batch_id == batch.pk


@pytest.mark.django_db
def test_decision_history_keeps_old_and_new_values(actors, users, ref, today):
    services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=10, decided_on=today)
    decision = services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=12,
                                        decided_on=today)
    new, old = decision.history.order_by("-history_id")[:2]
    assert (old.places, new.places, new.history_user) == (10, 12, users["oslo"])
    assert [c.field for c in new.diff_against(old).changes] == ["places"]


@pytest.mark.django_db
def test_profiles_and_tokens_keep_history(users):
    profile = users["cw_ost"].profile
    profile.can_write = True
    profile.save()
    assert profile.history.count() == 2
    token, _ = issue_token(users["admin"], "UDI", ["persons:write"], days=30)
    token.revoked = True
    token.save()
    assert [h.revoked for h in token.history.order_by("history_id")] == [False, True]
    # The key hash is not copied into the history, and use is not a change.
    assert not hasattr(token.history.first(), "key_hash")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=date(2025, 1, 1))
    assert token.history.count() == 2
    assert UserProfile.history.filter(user=users["admin"]).exists()


@pytest.mark.django_db
def test_admin_edits_of_profiles_are_credited_to_the_admin(client, users, django_user_model):
    superuser = django_user_model.objects.create_superuser("root", "root@example.no", "x-Very-long-pass-1")
    client.force_login(superuser)
    profile = users["oslo_read"].profile
    response = client.post(f"/admin/core/userprofile/{profile.pk}/change/", {
        "user": profile.user_id, "role": "municipality", "municipality": profile.municipality_id, "region": "",
        "agency": "", "can_write": "on"})
    assert response.status_code == 302, response.content[:500]
    assert last_user(profile) == superuser
    assert client.get("/admin/settlement/municipaldecision/add/").status_code == 403
