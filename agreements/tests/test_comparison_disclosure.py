"""/avtaler/bosetting/ for the ministry: small settled counts and what is derived from them are hidden."""

from django.urls import reverse

from core.disclosure import COMPLEMENT, SUPPRESSED


def _settle(make_household, municipality, n):
    for _ in range(n):
        make_household(settled=True, municipality=municipality)  # settled today, 16 June 2025


def test_ministry_sees_no_small_settled_count_nor_its_shares(agreement, ref, make_household, decide, client_for):
    _settle(make_household, ref["oslo"], 2)  # with an agreement: 2 settled, a small count
    _settle(make_household, ref["bergen"], 7)  # without
    decide(ref["oslo"], 10, year=2025)
    decide(ref["bergen"], 10, year=2025)
    url = reverse("agreements:comparison") + "?year=2025"

    ministry = client_for("ministry").get(url)
    rows = {r["label"]: r for r in ministry.context["groups"]}
    with_, without = rows["Med samarbeidsavtale"], rows["Uten samarbeidsavtale"]
    assert with_["settled"] == SUPPRESSED
    # The total of settled persons is public, so the other group's count is hidden too.
    assert without["settled"] == COMPLEMENT
    assert with_["settled_share_of_decided"] is None and with_["settled_per_1000"] is None
    assert ministry.context["chart"]["settled_share"][0] is None
    assert b">2<" not in ministry.content

    staff = client_for("admin").get(url)
    rows = {r["label"]: r for r in staff.context["groups"]}
    assert (rows["Med samarbeidsavtale"]["settled"], rows["Uten samarbeidsavtale"]["settled"]) == (2, 7)
    assert rows["Med samarbeidsavtale"]["settled_share_of_decided"] == 20.0
