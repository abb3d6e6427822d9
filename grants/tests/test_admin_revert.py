"""Simple_history's "revert to this version" in Django admin saves nothing for grants either (core.admin's
read-only history admin refuses the POST): a claim's total changes only through the services."""

from decimal import Decimal


def test_a_claim_cannot_be_reverted_in_admin(client, django_user_model, ref, today):
    from grants.models import GrantClaim

    root = django_user_model.objects.create_superuser("root", "root@example.no", "x-Very-long-pass-1")
    client.force_login(root)
    claim = GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1, total=Decimal("100"))
    claim.total = Decimal("250")
    claim.save()
    first = claim.history.order_by("history_id").first()
    url = f"/admin/grants/grantclaim/{claim.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"municipality": ref["oslo"].pk, "year": today.year, "quarter": 1, "total": "100"}).status_code == 403
    claim.refresh_from_db()
    assert claim.total == Decimal("250")
