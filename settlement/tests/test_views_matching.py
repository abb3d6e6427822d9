"""Utsøking page: solves only when asked and keeps the last proposal, shows the method and proven gap, labels each
row's select, refuses an overbooked plan before sending anything, and sends only after a confirmed summary."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from settlement.models import DistributionList, Proposal


def _deadline(today):
    return (today + timedelta(days=14)).isoformat()


def test_solves_only_when_asked_and_keeps_the_last_proposal(login, users, ref, make_household, decide, today, monkeypatch):
    from settlement import matching

    decide(ref["oslo"], places=4)
    household = make_household(size=2)
    client = login(users["cw_ost"])
    calls = []
    real = matching.solve
    monkeypatch.setattr(matching, "solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = client.get(reverse("settlement:matching"), {"year": today.year})
    assert calls == [] and page.context["result"].method == "none"
    assert [r["municipality_id"] for r in page.context["rows"]] == [None]
    page = client.get(reverse("settlement:matching"), {"year": today.year, "solve": "1"})
    assert calls == [1]
    html = page.content.decode()
    assert page.context["result"].method_label in html
    assert "bevist avstand til optimum 0,00\u00a0%" in html
    again = client.get(reverse("settlement:matching"), {"year": today.year})
    assert calls == [1]  # the last proposal, not a new solve
    assert [r["municipality_id"] for r in again.context["rows"]] == [ref["oslo"].pk]
    assert again.context["result"].method == page.context["result"].method
    assert f'<label for="m_{household.pk}"' in again.content.decode()


def test_overbooked_plan_is_refused_before_anything_is_sent(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    decide(ref["bergen"], places=5)
    a, b, c = make_household(size=2), make_household(size=2), make_household(size=1)
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:matching"), {
        "year": today.year, "reply_deadline": _deadline(today), "confirmed": "1",
        f"m_{a.pk}": ref["oslo"].pk, f"m_{b.pk}": ref["oslo"].pk, f"m_{c.pk}": ref["bergen"].pk})
    assert response.status_code == 400
    assert response.context["errors"] == ["Oslo: 4 personer foreslått, men bare 3 ledige plasser."]
    assert not DistributionList.objects.exists() and not mail.outbox  # Bergen's valid list was not sent either


def test_unknown_and_huge_ids_are_form_errors(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    a = make_household(size=1)
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:matching"), {"year": today.year, "reply_deadline": _deadline(today),
                                                            f"m_{a.pk}": "999999"})
    assert response.status_code == 400 and "ingen ledige plasser" in response.context["errors"][0]
    response = client.post(reverse("settlement:matching"), {"year": today.year, "reply_deadline": _deadline(today),
                                                            f"m_{a.pk}": "9" * 30, "m_" + "9" * 30: ref["oslo"].pk})
    assert response.status_code == 400
    assert client.get(reverse("settlement:matching"), {"region": "9" * 30}).status_code == 400


def test_bulk_send_needs_confirmation(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    decide(ref["bergen"], places=3)
    a, b = make_household(size=2), make_household(size=1)
    client = login(users["cw_ost"])
    form = {"year": today.year, "reply_deadline": _deadline(today), f"m_{a.pk}": ref["oslo"].pk, f"m_{b.pk}": ref["bergen"].pk}
    response = client.post(reverse("settlement:matching"), form)
    assert response.status_code == 200
    assert response.context["confirm"] == {"lists": [{"name": "Bergen", "households": 1, "persons": 1},
                                                      {"name": "Oslo", "households": 1, "persons": 2}],
                                           "households": 2, "persons": 3}
    html = response.content.decode()
    assert "2\u00a0fordelingslister" in html and "2\u00a0e-poster" in html and "3\u00a0personer" in html
    assert not Proposal.objects.exists() and not mail.outbox
    response = client.post(reverse("settlement:matching"), {**form, "confirmed": "1"}, follow=True)
    assert DistributionList.objects.count() == 2
    assert "Sendt 2\u00a0fordelingslister med 2\u00a0husstander." in response.content.decode()
