"""The overview page: aggregates only, small counts suppressed for the ministry."""

from django.urls import reverse


def test_ministry_sees_aggregates_only(login, users, proposed):
    client = login(users["ministry"])
    household, _ = proposed["oslo"]
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 403
    assert client.get(reverse("settlement:work_queue")).status_code == 403
    assert client.get(reverse("settlement:inbox")).status_code == 403
    response = client.get(reverse("settlement:overview"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oslofamilie" not in body and "DUF" not in body
    assert "&lt;5" in body  # two households of three persons in all: small counts are suppressed
    assert client.get(reverse("home")).url == reverse("reporting:dashboard")


def test_overview_figures_use_the_norwegian_number_format(login, users, ref, today):
    from settlement.models import NationalNeed

    NationalNeed.objects.create(year=today.year, adults_and_families=4000, unaccompanied_minors=200, resettlement_refugees=400)
    body = login(users["admin"]).get(reverse("settlement:overview")).content.decode()
    assert "4\u00a0600" in body  # was "4,600" or "4600" next to "4 600"
