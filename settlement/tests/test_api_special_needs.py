"""Free-text special needs may hold health details (issue 12, the interview's consent): the household and person
API gives them to IMDi and never to a municipality, even one the household is assigned to."""

from rest_framework.test import APIClient

from core import policy
from core.models import Role


def _get(user, url):
    client = APIClient()
    client.force_authenticate(user)
    return client.get(url).json()


def test_municipality_never_reads_special_needs_through_the_api(users, make_household, ref):
    household = make_household(size=2, assigned=True, municipality=ref["oslo"])
    household.special_needs = "Trenger rullestolvennlig bolig"
    household.save(update_fields=["special_needs"])
    household.persons.update(special_needs="Diabetes")
    person = household.persons.first()
    for url in (f"/api/v1/households/{household.pk}/", f"/api/v1/persons/{person.pk}/"):
        assert _get(users["admin"], url)["special_needs"] in ("Trenger rullestolvennlig bolig", "Diabetes")
        municipal = _get(users["oslo"], url)
        assert "id" in municipal and "special_needs" not in municipal
    nested = _get(users["oslo"], f"/api/v1/households/{household.pk}/")["persons"]
    assert nested and all("special_needs" not in p for p in nested)
    assert not policy.can(type("A", (), {"role": Role.MUNICIPALITY})(), "settlement.view_special_needs")
