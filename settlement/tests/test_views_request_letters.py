"""The planning page, the contact register, the request list's letter and reply status, and IMDi's decision form
(issue 12 items 2 and 3): thin views over the services, bad input a 400 with the error and nothing changed."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from core.models import Municipality
from settlement.models import (ContactTitle, MunicipalDecision, MunicipalityContact, NationalNeed, RequestedPlaces,
                               RequestLetter, SettlementRequest)


def _stavanger():
    """Region Vest, and valid next year in the tests' 2014 structure (Bærum 0219 and Bergen 1201 were renumbered in
    2020, so they are not planned for)."""
    return Municipality.objects.get(number="1103")


@pytest.fixture
def recipients(ref):
    for name, m in (("oslo", ref["oslo"]), ("stavanger", _stavanger())):
        MunicipalityContact.objects.create(municipality=m, name="Kommunedirektøren", title=ContactTitle.CHIEF_EXECUTIVE,
                                           email=f"kd@{name}.kommune.no", receives_request_letter=True)


def _key(today, **extra):
    y = today.year + 1
    return {"first_year": y, "need_1": 1000, "minors_need_1": 100, "need_2": 1000, "minors_need_2": 100, "need_3": 900,
            "minors_need_3": 90, "weight_population": "1", "weight_previous_settlement": "0", "weight_decided": "0",
            "factor": "1.10", "reply_deadline": (today + timedelta(days=60)).isoformat(), "note": ""} | extra


def test_the_plan_starts_from_the_national_need_and_shows_the_own_region(login, users, ref, recipients, today):
    NationalNeed.objects.create(year=today.year + 1, adults_and_families=900, unaccompanied_minors=80, resettlement_refugees=20)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:request_plan"))
    assert page.status_code == 200
    assert page.context["form"].initial["need_1"] == 1000 and page.context["form"].initial["minors_need_3"] == 80
    assert "region" not in page.context["form"].fields  # a caseworker plans for the own region

    page = client.get(reverse("settlement:request_plan"), _key(today))
    rows = page.context["rows"]
    assert {r["m"].region_id for r in rows} == {ref["ost"].pk}
    oslo = next(r for r in rows if r["m"].pk == ref["oslo"].pk)
    assert oslo["recipient"].email == "kd@oslo.kommune.no"
    (y, shown, national) = page.context["totals"][0]
    assert national == 1100 and 0 < shown < 1100
    assert 'name="p-%d-%d"' % (ref["oslo"].pk, today.year + 1) in page.content.decode()


def test_a_bad_key_is_a_400_with_the_field(login, users, today):
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:request_plan"), _key(today, weight_population="0"))
    assert page.status_code == 400 and page.context["form"].has_error("weight_population", "no_weight")
    page = client.get(reverse("settlement:request_plan"), _key(today, factor="0.5"))
    assert page.status_code == 400 and page.context["form"].has_error("factor")


def _post_plan(client, ref, today, oslo=(40, 4), other=(10, 0), **extra):
    y = today.year + 1
    stavanger = _stavanger()
    data = _key(today, **extra) | {"send": [ref["oslo"].pk, stavanger.pk]}
    for m, (p, mi) in ((ref["oslo"], oslo), (stavanger, other)):
        for year in (y, y + 1, y + 2):
            data[f"p-{m.pk}-{year}"], data[f"m-{m.pk}-{year}"] = p, mi
    return client.post(reverse("settlement:request_plan"), data)


def test_sending_the_plan(login, users, ref, recipients, today, django_capture_on_commit_callbacks):
    # The national admin, all regions: only Oslo and Stavanger are ticked; the others (no letter recipient) get none.
    client = login(users["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_plan(client, ref, today)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(SettlementRequest.objects.values_list("municipality__name", flat=True)) == ["Oslo", "Stavanger"]
    assert RequestedPlaces.objects.get(municipality=ref["oslo"], year=today.year + 1).persons == 40
    assert len(mail.outbox) == 2

    page = client.get(reverse("settlement:requests"))
    html = page.content.decode()
    assert html.count('data-testid="letter-sent"') == 2 and 'data-reply="not_answered"' in html
    letter = RequestLetter.objects.get(request__municipality=ref["oslo"])
    pdf = client.get(reverse("settlement:request_letter", args=[letter.request_id]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content == bytes(letter.pdf)
    # The municipality sees its own letter, not another's (the test client logs in as each in turn).
    assert login(users["oslo"]).get(reverse("settlement:request_letter", args=[letter.request_id])).status_code == 200
    assert login(users["bergen"]).get(reverse("settlement:request_letter", args=[letter.request_id])).status_code == 404


@pytest.mark.parametrize("oslo,code", [(("x", 0), "invalid_count"), ((5, 6), "minors_exceed_persons"),
                                       ((10 ** 7, 0), "invalid_count")])
def test_bad_figures_in_the_plan_send_nothing(login, users, ref, recipients, today, oslo, code,
                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _post_plan(login(users["cw_ost"]), ref, today, oslo=oslo)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(e.code == code for errors in form.errors.as_data().values() for e in errors), form.errors
    assert not SettlementRequest.objects.exists() and not mail.outbox


def test_a_request_registered_by_hand_is_not_shown_as_sent(login, users, ref, recipients, today,
                                                          django_capture_on_commit_callbacks):
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:request_new"), {
        "municipality": ref["oslo"].pk, "sent_on": today.isoformat(), "reply_deadline": (today + timedelta(days=30)).isoformat(),
        "first_year": today.year + 1, "persons_1": 20, "minors_1": 0, "note": ""}, follow=True)
    html = response.content.decode()
    assert "Anmodning er sendt" not in html and "er registrert" in html
    request = SettlementRequest.objects.get()
    assert f'href="{reverse("settlement:request_send", args=[request.pk])}"' in html and "letter-sent" not in html
    assert client.get(reverse("settlement:request_send", args=[request.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("settlement:request_send", args=[request.pk])).status_code == 302
    assert len(mail.outbox) == 1
    assert client.post(reverse("settlement:request_send", args=[request.pk])).status_code == 400  # letter_exists


def test_contacts_register(login, users, ref):
    client = login(users["cw_ost"])
    data = {"municipality": ref["oslo"].pk, "name": "Kommunedirektøren", "title": ContactTitle.CHIEF_EXECUTIVE,
            "email": "kd@oslo.kommune.no", "receives_request_letter": "on"}
    assert client.post(reverse("settlement:contacts"), data).status_code == 302
    contact = MunicipalityContact.objects.get()
    assert contact.receives_request_letter
    # Bergen is not in the caseworker's region: not offered, refused as a choice.
    response = client.post(reverse("settlement:contacts"), data | {"municipality": ref["bergen"].pk})
    assert response.status_code == 400 and response.context["form"].has_error("municipality")
    response = client.post(reverse("settlement:contact", args=[contact.pk]), data | {"email": "feil"})
    assert response.status_code == 400 and response.context["form"].has_error("email")
    assert login(users["cw_vest"]).get(reverse("settlement:contact", args=[contact.pk])).status_code == 404
    client = login(users["cw_ost"])
    assert client.post(reverse("settlement:contact", args=[contact.pk]), {"action": "delete"}).status_code == 302
    assert not MunicipalityContact.objects.exists()


def test_imdi_registers_a_decision_on_the_page(login, users, ref, today, make_household):
    client = login(users["cw_ost"])
    url = reverse("settlement:decision_register")
    page = client.get(url, {"municipality": ref["oslo"].pk, "year": today.year})
    assert page.status_code == 200 and page.context["form"].initial["municipality"] == ref["oslo"].pk
    data = {"municipality": ref["oslo"].pk, "year": today.year, "places": 12, "unaccompanied_minors": 2,
            "decided_on": (today - timedelta(days=2)).isoformat(), "reference": "26/1234-3", "housing_plan": ""}
    assert client.post(url, data).status_code == 302
    decision = MunicipalDecision.objects.get()
    assert (decision.places, decision.reference, decision.registered_by_imdi) == (12, "26/1234-3", True)
    # The municipality's page shows it as registered by IMDi.
    assert "registrert av IMDi" in login(users["oslo"]).get(reverse("settlement:decision")).content.decode()
    client = login(users["cw_ost"])

    make_household(size=5, accepted=True, municipality=ref["oslo"])
    response = client.post(url, data | {"places": 4})
    assert response.status_code == 400 and response.context["form"].has_error("places", "below_committed")
    response = client.post(url, data | {"reference": ""})
    assert response.status_code == 400 and response.context["form"].has_error("reference")
    response = client.post(url, data | {"municipality": ref["bergen"].pk})  # another region: not a choice
    assert response.status_code == 400 and response.context["form"].has_error("municipality")
    decision.refresh_from_db()
    assert decision.places == 12
