"""The household page offers exactly the actions the household workflow allows the user, and nothing else."""

from django.urls import reverse

from settlement.models import HouseholdStatus


def test_page_offers_the_workflow_actions(login, users, ref, make_household):
    accepted = make_household(accepted=True, municipality=ref["oslo"])
    proposed = make_household(proposed=True, municipality=ref["oslo"])

    def forms(user, household):
        return list(login(users[user]).get(reverse("settlement:household", args=[household.pk])).context["forms"])

    assert forms("cw_ost", accepted) == ["withdraw", "assign", "exit"]
    assert forms("oslo", proposed) == ["accept", "decline"]
    assert forms("oslo", accepted) == []
    assert forms("oslo_read", proposed) == []


def test_an_action_the_workflow_does_not_offer_is_refused(login, users, ref, make_household):
    household = make_household(proposed=True, municipality=ref["oslo"])
    client = login(users["cw_ost"])
    assert client.post(reverse("settlement:household", args=[household.pk]), {"action": "assign"}).status_code == 403
    response = client.post(reverse("settlement:household", args=[household.pk]), {"action": "withdraw", "withdraw-note": "Feil"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY
