"""Grant applications and payment batches, scoped by grants.querysets (issue 9): a caseworker sees the
applications of the region's municipalities and organisations' (national), never another region's; a payment
batch (one DFØ file for every region's claims) is the national admin's only."""

from decimal import Decimal

from django.urls import reverse

from grants.models import GrantApplication, PaymentBatch
from grants.selectors import applications_for, recent_batches

from .factories import ApplicationFactory

D = Decimal


def test_caseworker_sees_the_applications_of_the_region_and_of_organisations(jobbsjansen, actors, users, ref, login):
    oslo = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"])  # region Øst
    bergen = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["bergen"])  # region Vest
    organisation = ApplicationFactory(grant_year=jobbsjansen)
    assert set(applications_for(actors["cw_ost"])) == {oslo, organisation}
    assert set(applications_for(actors["cw_vest"])) == {bergen, organisation}
    assert set(applications_for(actors["admin"])) == {oslo, bergen, organisation}
    assert set(applications_for(actors["oslo"])) == {oslo}
    assert set(applications_for(actors["ministry"])) == set()
    assert set(GrantApplication.objects.visible_to(actors["cw_nord"])) == {organisation}

    vest = login(users["cw_vest"])
    assert vest.get(reverse("grants:application", args=[oslo.pk])).status_code == 404
    assert vest.post(reverse("grants:application", args=[oslo.pk]), {"action": "assess"}).status_code == 404
    assert vest.get(reverse("grants:application", args=[bergen.pk])).status_code == 200
    listed = vest.get(reverse("grants:applications")).content.decode()
    assert bergen.title in listed and "Oslo kommune" not in listed
    csv = vest.get(reverse("grants:applications") + "?format=csv").content.decode()
    assert "Bergen kommune" in csv and "Oslo kommune" not in csv
    assert GrantApplication.objects.get(pk=oslo.pk).status == oslo.status


def test_payment_batches_are_the_national_admins_only(schemes, actors, users, login):
    batch = PaymentBatch.objects.create(year=2025, quarter=2, total=D("520000"), file_content="0301;Oslo;...\n1201;Bergen;...")
    assert list(recent_batches(actors["admin"])) == [batch]
    for name in ("cw_ost", "cw_vest", "oslo", "ministry"):
        assert list(recent_batches(actors[name])) == [], name
    url = reverse("grants:batch", args=[batch.pk])
    assert login(users["admin"]).get(url + "?download=1").content.decode().startswith("0301;Oslo")
    for name in ("cw_ost", "cw_vest"):
        client = login(users[name])
        assert client.get(url).status_code == 403
        assert client.get(url + "?download=1").status_code == 403
        assert "Utbetalingsfiler" not in client.get(reverse("grants:claims")).content.decode()
    assert "Utbetalingsfiler" in login(users["admin"]).get(reverse("grants:claims")).content.decode()
