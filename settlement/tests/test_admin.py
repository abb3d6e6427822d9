"""Django admin can't change pipeline rows outside the services (issue 12): requests, decisions, households,
proposals and the request letters are read-only there, including simple_history's revert form."""

import pytest
from django.contrib import admin

from settlement.models import (DistributionList, Household, MunicipalDecision, MunicipalityContact, Person, Proposal,
                               RequestLetter, RequestPlan, SettlementRequest)

PIPELINE = (SettlementRequest, MunicipalDecision, Household, Person, DistributionList, Proposal, MunicipalityContact,
            RequestPlan, RequestLetter)


@pytest.fixture
def root(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.no", "x-Very-long-pass-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", PIPELINE, ids=lambda m: m.__name__)
def test_pipeline_models_are_read_only_in_admin(rf, django_user_model, model, db):
    request = rf.get("/")
    request.user = django_user_model(is_superuser=True, is_staff=True)
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_decision_cannot_be_changed_reverted_or_deleted_in_admin(root, ref, decide, make_household):
    decision = decide(ref["oslo"], places=3)
    decision = decide(ref["oslo"], places=10)
    make_household(size=4, accepted=True, municipality=ref["oslo"])
    first_version = decision.history.order_by("history_id").first()
    base = f"/admin/settlement/municipaldecision/{decision.pk}"
    form = {"municipality": ref["oslo"].pk, "year": decision.year, "places": 3, "unaccompanied_minors": 0,
            "decided_on": decision.decided_on.isoformat(), "housing_plan": "", "reference": ""}
    assert root.get(f"{base}/change/").status_code == 200  # looking is allowed
    assert root.post(f"{base}/change/", form).status_code == 403
    # simple_history's "revert to this version" would save 3 places below the four already accepted.
    assert root.get(f"{base}/history/{first_version.history_id}/").status_code == 200
    assert root.post(f"{base}/history/{first_version.history_id}/", form).status_code == 403
    assert root.post(f"{base}/delete/", {"post": "yes"}).status_code == 403
    assert root.post("/admin/settlement/municipaldecision/add/", form).status_code == 403
    decision.refresh_from_db()
    assert decision.places == 10


def test_a_request_cannot_be_reverted_in_admin(root, ref, actors, today):
    from datetime import timedelta

    from settlement import services

    req = services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today,
                                             reply_deadline=today + timedelta(days=30), years={today.year + 1: (5, 0)})
    services.adjust_settlement_request(actors["cw_ost"], req, years={today.year + 1: (5, 0)}, note="Ny merknad")
    first = req.history.order_by("history_id").first()
    response = root.post(f"/admin/settlement/settlementrequest/{req.pk}/history/{first.history_id}/", {
        "municipality": ref["oslo"].pk, "sent_on": today.isoformat(), "reply_deadline": today.isoformat(), "note": "x"})
    assert response.status_code == 403
    req.refresh_from_db()
    assert (req.note, req.reply_deadline) == ("Ny merknad", today + timedelta(days=30))
