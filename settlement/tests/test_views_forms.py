"""Forms that fit real work: households of any size up to the bound, labelled person fields, an error summary
that links to each field."""

from datetime import timedelta

from django.urls import reverse

from settlement.models import Household


def _household_post(ref, today, persons):
    data = {"category": "reception", "reception_centre": ref["centre"].pk, "region": "", "settlement_ready_on": today.isoformat(),
            "special_needs": "", "tied_municipality": "", "ties_note": "",
            "p-TOTAL_FORMS": str(len(persons)), "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "1", "p-MAX_NUM_FORMS": "12"}
    for i, p in enumerate(persons):
        data.update({f"p-{i}-{k}": v for k, v in p.items()})
    return data


def _person(i, today, **extra):
    return {"duf_number": f"2026000000{i:02d}", "first_name": f"Navn{i}", "last_name": "Abebe", "birth_date": "1990-01-01",
            "sex": "F", "nationality": "ERI", "residence_permit_date": (today - timedelta(days=30)).isoformat(), **extra}


def test_a_six_person_household_is_registered(login, users, ref, today):
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:household_new")).content.decode()
    assert page.count('data-person-row') == 2  # one row, and the template for "Legg til person"
    assert "Legg til person" in page
    response = client.post(reverse("settlement:household_new"), _household_post(ref, today, [_person(i, today) for i in range(6)]))
    assert response.status_code == 302
    assert Household.objects.get().persons.count() == 6


def test_add_person_without_javascript_keeps_the_input(login, users, ref, today):
    client = login(users["cw_ost"])
    data = _household_post(ref, today, [_person(0, today)])
    data["add_person"] = "1"
    response = client.post(reverse("settlement:household_new"), data)
    assert response.status_code == 200
    assert len(response.context["persons"].forms) == 2
    html = response.content.decode()
    assert 'value="Navn0"' in html and not Household.objects.exists()
    assert "feilsammendrag" not in html  # adding a row is not an error


def test_person_fields_have_labels(login, users):
    html = login(users["cw_ost"]).get(reverse("settlement:household_new")).content.decode()
    for name in ("duf_number", "first_name", "last_name", "birth_date", "sex", "nationality", "residence_permit_date"):
        assert f'<label for="id_p-0-{name}">' in html, name


def test_error_summary_links_to_each_field(login, users, ref, today):
    client = login(users["cw_ost"])
    data = _household_post(ref, today, [_person(0, today, first_name=""), _person(1, today, duf_number="12")])
    response = client.post(reverse("settlement:household_new"), data)
    assert response.status_code == 400
    assert response.context["errors"] == [
        ("id_p-0-first_name", "Person 1, fornavn: Dette feltet er påkrevd."),
        ("id_p-1-duf_number", response.context["errors"][1][1]),
    ]
    html = response.content.decode()
    assert html.index('id="feilsammendrag"') < html.index('id="household-form"')
    assert '<a href="#id_p-0-first_name">' in html and '<a href="#id_p-1-duf_number">' in html
