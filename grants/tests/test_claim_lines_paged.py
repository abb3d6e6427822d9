"""Issue 14: a claim's lines are paged (a large municipality's claim has thousands), its totals shown whole."""

import re
from datetime import date

from django.urls import reverse

from grants.models import GrantClaim
from grants.views import ClaimDetailView

from .factories import settle


def test_claim_lines_are_paged_and_the_summary_is_of_the_whole_claim(schemes, users, ref, login, monkeypatch):
    settle(ref, date(2025, 4, 2))
    admin = login(users["admin"])
    assert admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "build"}).status_code == 302
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    every = list(claim.lines.values_list("pk", flat=True))
    assert len(every) >= 2
    monkeypatch.setattr(ClaimDetailView, "lines_per_page", 1)
    url = reverse("grants:claim", args=[claim.pk])
    shown, summaries = [], set()
    for page in range(1, len(every) + 1):
        body = admin.get(url, {"side": page}).content.decode()
        shown += [int(pk) for pk in re.findall(r'data-testid="line-(\d+)"', body)]
        summaries.add(re.search(r"<h2>Sammendrag</h2>(.*?)<h2", body, re.S).group(1))
        assert f"side {page} av {len(every)}" in body
    assert shown == every  # every line once, in the claim's order
    assert len(summaries) == 1  # the totals are the claim's on every page
    assert 'rel="next"' in admin.get(url).content.decode()
    last = admin.get(url, {"side": 999}).content.decode()  # past the end: the last page
    assert [int(pk) for pk in re.findall(r'data-testid="line-(\d+)"', last)] == every[-1:]
