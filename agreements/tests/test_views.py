"""Agreement pages: scope per role, forms that call the services, the follow-up dashboard and the comparison."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.urls import reverse

from agreements import services
from agreements.models import ActionItem, FollowUpMeeting
from agreements.views import AgreementDetailView, AgreementListView
from core.errors import Forbidden, error_codes


def test_agreement_pages_and_scope(agreement, client_for):
    assert client_for("oslo").get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    bergen = client_for("bergen")
    assert bergen.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 404
    assert bergen.get(reverse("agreements:follow_up")).status_code == 403
    assert client_for("ministry").get(reverse("agreements:comparison")).status_code == 200


def test_detail_forms_call_the_services(agreement, client_for, today):
    cw = client_for("cw_ost")
    url = reverse("agreements:detail", args=[agreement.pk])
    response = cw.post(url, {"action": "item", "title": "Ny boligplan", "owner": "Oslo", "due_date": "2035-01-01"})
    assert response.status_code == 400
    assert {e.code for e in response.context["forms"]["item"].errors.as_data()["due_date"]} == {"due_date_outside_agreement"}
    assert "Ny boligplan" in response.content.decode()  # the user's input is kept
    assert not ActionItem.objects.exists()
    response = cw.post(url, {"action": "meeting", "held_on": today.isoformat(), "participants": "IMDi, Oslo", "minutes": "Gjennomgang"})
    assert response.status_code == 400  # no topic
    assert {e.code for e in response.context["forms"]["meeting"].errors.as_data()["topics"]} == {"topics_required"}
    assert not FollowUpMeeting.objects.exists()
    response = cw.post(url, {"action": "meeting", "held_on": today.isoformat(), "participants": "IMDi, Oslo", "minutes": "Gjennomgang",
                             "topics": ["settlement", "housing"]})
    assert response.status_code == 302 and FollowUpMeeting.objects.get().topics == ["settlement", "housing"]


def test_party_completes_an_item_and_a_second_try_shows_the_error(agreement, actors, client_for, today):
    item = services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo", due_date=today)
    oslo = client_for("oslo")
    url = reverse("agreements:detail", args=[agreement.pk])
    first = oslo.post(url, {"action": "complete", "item": item.pk}, follow=True)
    assert [m.level_tag for m in first.context["messages"]] == ["success"]
    item.refresh_from_db()
    assert item.done_on == today
    # A second click (another tab) is refused by the service and shown as a message, not a server error.
    second = oslo.post(url, {"action": "complete", "item": item.pk}, follow=True)
    assert (second.status_code, [m.level_tag for m in second.context["messages"]]) == (200, ["error"])


def _post(view, user, data, **kwargs):
    request = RequestFactory().post("/", data)
    request.user = user
    with pytest.raises(Forbidden) as exc:
        view.as_view()(request, **kwargs)
    return error_codes(exc.value)


def test_refusals_in_views_carry_codes(agreement, users):
    assert _post(AgreementListView, users["oslo"], {"title": "x"}) == {"role_not_allowed"}
    assert _post(AgreementDetailView, users["cw_ost"], {"action": "delete"}, pk=agreement.pk) == {"unknown_action"}


def test_follow_up_page_lists_overdue_items(agreement, actors, client_for, today):
    services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo", due_date=today - timedelta(days=10))
    done = services.add_action_item(actors["cw_ost"], agreement, title="Kartlegging", owner="Oslo", due_date=today - timedelta(days=40))
    services.complete_action_item(actors["oslo"], done)
    body = client_for("cw_ost").get(reverse("agreements:follow_up")).content.decode()
    assert 'data-testid="overdue-count">1<' in body and "Boligplan" in body and "Kartlegging" not in body
