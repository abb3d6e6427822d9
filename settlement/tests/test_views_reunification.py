"""The family reunification and transfer pages: thin views over the services, form errors as 400 with nothing changed."""

from datetime import timedelta

import pytest
from django.urls import reverse

from settlement.models import EventKind, Household, HouseholdStatus
from settlement.tests.factories import HouseholdFactory


@pytest.fixture
def reference(ref, today):
    h = HouseholdFactory(settled=True, municipality=ref["bergen"], settled_on=today - timedelta(days=30),
                         waiting_since=today - timedelta(days=200))
    return h.persons.get()


def test_caseworker_links_and_assigns_from_the_household_page(client, ref, users, make_household, reference, today):
    family = make_household(size=2)
    client.force_login(users["cw_ost"])
    page = client.get(reverse("settlement:household", args=[family.pk])).content.decode()
    assert reverse("settlement:reunification", args=[family.pk]) in page
    assert reverse("settlement:transfer", args=[family.pk]) in page
    url = reverse("settlement:reunification", args=[family.pk])
    bad = client.post(url, {"action": "link", "reference_duf": "000000000000"})
    assert bad.status_code == 400 and [e.code for e in bad.context["link_form"].errors.as_data()["reference_duf"]] == [
        "reference_not_found"]
    assert Household.objects.get(pk=family.pk).reference_person_id is None
    response = client.post(url, {"action": "link", "reference_duf": reference.duf_number, "note": ""})
    assert response.status_code == 302
    future = client.post(url, {"action": "assign", "assigned_on": (today + timedelta(days=3)).isoformat()})
    assert future.status_code == 400 and "assigned_on" in future.context["assign_form"].errors
    assert Household.objects.get(pk=family.pk).status == HouseholdStatus.READY
    response = client.post(url, {"action": "assign", "assigned_on": today.isoformat()})
    assert response.status_code == 302
    family.refresh_from_db()
    assert (family.status, family.municipality) == (HouseholdStatus.ASSIGNED, ref["bergen"])
    # The reference household's page lists the reunified family, the family's page names the reference person.
    ref_page = client.get(reverse("settlement:household", args=[reference.household_id])).content.decode()
    assert f"#{family.pk}" in ref_page
    client.force_login(users["bergen"])
    page = client.get(reverse("settlement:household", args=[family.pk])).content.decode()
    assert "Familiegjenforening med" in page and reference.full_name in page
    assert reverse("settlement:reunification", args=[family.pk]) not in page  # IMDi's action only


def test_transfer_page_moves_the_household_and_the_old_caseworker_loses_it(client, ref, users, make_household):
    household = make_household()
    client.force_login(users["cw_ost"])
    url = reverse("settlement:transfer", args=[household.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, {"region": ""})
    assert bad.status_code == 400 and "region" in bad.context["form"].errors
    response = client.post(url, {"region": ref["vest"].pk, "note": "Flytter"})
    assert response.status_code == 302 and response.url == reverse("settlement:work_queue")
    assert Household.objects.get(pk=household.pk).region == ref["vest"]
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 404
    client.force_login(users["cw_vest"])
    page = client.get(reverse("settlement:household", args=[household.pk]))
    assert page.status_code == 200 and EventKind.TRANSFERRED.label in page.content.decode()


def test_other_roles_cannot_open_or_post(client, ref, users, make_household):
    household = make_household()
    for user, status in (("cw_vest", 404), ("oslo", 403), ("ministry", 403)):
        client.force_login(users[user])
        for name in ("settlement:reunification", "settlement:transfer"):
            assert client.get(reverse(name, args=[household.pk])).status_code == status
            assert client.post(reverse(name, args=[household.pk]), {"region": ref["vest"].pk}).status_code == status
    assert Household.objects.get(pk=household.pk).region == ref["ost"]
