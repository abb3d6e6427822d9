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
    response = client.post(reverse("settlement:household", args=[household.pk]),
                           {"action": "withdraw", "withdraw-note": "Feil", "confirmed": "1"})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY


def test_withdrawing_a_proposal_is_confirmed_with_its_consequences(login, users, ref, make_household, decide, propose):
    decide(ref["oslo"], places=5)
    household = make_household(size=2)
    proposal = propose(household, ref["oslo"])
    client = login(users["cw_ost"])
    url = reverse("settlement:household", args=[household.pk])
    response = client.post(url, {"action": "withdraw", "withdraw-note": "Feil kommune"})
    assert response.status_code == 200
    assert response.context["consequences"] == [
        f"Forslaget til Oslo (fordelingsliste #{proposal.distribution_list_id}) trekkes, og kommunen får 2\u00a0personer "
        "ledig kapasitet tilbake.",
        "Husstanden blir bosettingsklar igjen og kan foreslås for en annen kommune.",
    ]
    assert ("withdraw-note", "Feil kommune") in response.context["hidden"]
    household.refresh_from_db()
    assert household.status == HouseholdStatus.PROPOSED  # nothing happens before the confirmation
    assert client.post(url, {"action": "withdraw", "withdraw-note": "Feil kommune", "confirmed": "1"}).status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY


def test_exit_has_no_preselected_reason_and_is_confirmed(login, users, ref, make_household, today):
    household = make_household(size=1)
    client = login(users["cw_ost"])
    url = reverse("settlement:household", args=[household.pk])
    page = client.get(url)
    assert page.context["forms"]["exit"]["reason"].value() in (None, "")
    assert '<option value="" selected>— velg årsak —</option>' in page.content.decode()
    response = client.post(url, {"action": "exit", "exit-reason": "", "exit-exited_on": today.isoformat()})
    assert response.status_code == 400 and response.context["forms"]["exit"].has_error("reason", "required")
    form = {"action": "exit", "exit-reason": "left_country", "exit-exited_on": today.isoformat(), "exit-note": ""}
    response = client.post(url, form)
    assert response.status_code == 200
    assert "Husstanden (1\u00a0person) tas ut av bosettingsløpet" in response.context["consequences"][0]
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY
    assert client.post(url, {**form, "confirmed": "1"}).status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.EXITED


def test_one_day_of_waiting_is_singular(login, users, make_household, today):
    from datetime import timedelta

    household = make_household(size=1, permit=today - timedelta(days=1))
    body = login(users["cw_ost"]).get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert "1\u00a0dag (mål" in body
