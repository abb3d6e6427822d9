"""One "ledig" figure (settlement.definitions.Capacity.remaining) on the decision page, the list builder and the
capacity page, and the explanation beside it names every term it subtracts (issue 10: Sarpsborg showed 12, 8, 8)."""

import re

from django.urls import reverse

from settlement import services


def test_decision_builder_and_capacity_pages_show_one_ledig_with_its_terms(ref, users, actors, decide, make_household,
                                                                         propose, login, today):
    decide(ref["oslo"], places=10)
    propose(make_household(size=2, last="Foreslått"), ref["oslo"])
    accepted = propose(make_household(size=3, last="Akseptert"), ref["oslo"])
    services.accept_proposal(actors["oslo"], accepted)
    # 10 decided − 2 proposed − 3 accepted = 5 free.
    client = login(users["oslo"])
    decision = client.get(reverse("settlement:decision")).content.decode()
    assert re.search(r'data-testid="decision-remaining">5<', decision)
    assert "vedtatt 10 − foreslått 2 − akseptert 3 − søkt ut 0 − bosatt 0" in decision

    client = login(users["cw_ost"])
    builder = client.get(reverse("settlement:distribution_list_new"), {"municipality_id": ref["oslo"].pk,
                                                                      "year": today.year})
    assert builder.context["capacity"].remaining == 5
    assert "ledig (vedtatt − foreslått − akseptert − søkt ut − bosatt)" in builder.content.decode()
    capacity = client.get(reverse("settlement:capacity"), {"year": today.year})
    oslo_row = next(r for r in capacity.context["table"].data if r["m"].pk == ref["oslo"].pk)
    assert oslo_row["cap"].remaining == 5
