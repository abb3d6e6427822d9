"""Grant lists as tables (sortable, filterable, searchable, paged, the same columns in the CSV) and the
confirmation step before a claim is approved."""

import csv
import io
from datetime import date
from decimal import Decimal

from django.urls import reverse

from grants import services
from grants.models import ClaimStatus, GrantClaim

from .factories import ApplicationFactory, settle

D = Decimal


def _csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _claims(ref, users, login):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    admin = login(users["admin"])
    admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "build"})
    return admin


def test_approving_a_claim_asks_for_confirmation_with_amount_municipality_and_quarter(schemes, users, ref, login):
    admin = _claims(ref, users, login)
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    GrantClaim.objects.filter(pk=claim.pk).update(total=D("130000000"))  # a large municipality's quarter
    url = reverse("grants:claim", args=[claim.pk])
    page = admin.get(url).content.decode()
    assert 'href="?godkjenn=1"' in page and 'name="confirm"' not in page  # the page offers the step, not the approval
    # A post that did not come from the confirmation page changes nothing and leads to it.
    response = admin.post(url)
    assert response.status_code == 302 and response.url == url + "?godkjenn=1"
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CALCULATED
    confirm = admin.get(response.url)
    assert confirm.templates[0].name == "grants/claim_confirm.html"
    html = confirm.content.decode()
    assert 'data-testid="confirm-amount"><strong>kr\xa0130\xa0000\xa0000,00</strong>' in html
    assert 'data-testid="confirm-period">2. kvartal 2025<' in html and "Oslo (0301)" in html
    assert admin.post(url, {"confirm": "ja"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    # Once approved there is nothing to confirm: the plain page is shown.
    assert admin.get(url + "?godkjenn=1").templates[0].name == "grants/claim_detail.html"


def test_a_municipality_gets_no_confirmation_step_and_cannot_approve(schemes, users, ref, login):
    _claims(ref, users, login)
    claim = GrantClaim.objects.get(municipality=ref["oslo"])
    oslo = login(users["oslo"])
    assert oslo.get(reverse("grants:claim", args=[claim.pk]) + "?godkjenn=1").templates[0].name == "grants/claim_detail.html"
    oslo.post(reverse("grants:claim", args=[claim.pk]), {"confirm": "ja"})
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.CALCULATED


def test_claims_table_filters_searches_sorts_and_exports_the_same_columns(schemes, users, ref, login):
    admin = _claims(ref, users, login)
    page = admin.get(reverse("grants:claims"), {"q": "berg"})
    rows = list(page.context["table"].rows)
    assert [r.record.municipality.name for r in rows] == ["Bergen"]
    html = page.content.decode()
    assert 'aria-sort="ascending"' in html and "sort=-municipality" in html and 'role="search"' in html
    assert 'role="region" aria-label="Krav"' in html
    sorted_page = admin.get(reverse("grants:claims"), {"sort": "-total", "year": 2025})
    totals = [r.record.total for r in sorted_page.context["table"].rows]
    assert totals == sorted(totals, reverse=True) and len(totals) == 2
    headers = [c.header for c in sorted_page.context["table"].columns if c.name != "links"]
    exported = _csv(admin.get(reverse("grants:claims"), {"sort": "-total", "format": "csv"}))
    assert exported[0] == headers == ["Kommune", "Periode", "Sum (kr)", "Status", "Beregnet"]
    oslo = next(r for r in exported if r[0] == "0301 Oslo")
    assert oslo[1:4] == ["2025 K2", "260000,00", "Beregnet"] and Decimal(oslo[2].replace(",", ".")) == D("260000")
    assert admin.get(reverse("grants:claims"), {"status": "approved"}).context["table"].rows.data.data.count() == 0


def test_applications_table_pages_and_searches(jobbsjansen, users, ref, login):
    for i in range(30):
        ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], title=f"Prosjekt {i:02d}",
                           amount_requested=D("1234567.50"))
    admin = login(users["admin"])
    page = admin.get(reverse("grants:applications"))
    table = page.context["table"]
    assert table.paginator.num_pages == 2 and len(table.page.object_list) == 25
    html = page.content.decode()
    assert 'aria-label="Sider"' in html and "Side 1 av 2" in html
    assert ">1\xa0234\xa0568<" in html  # kroner with thin-space thousands, rounded
    found = admin.get(reverse("grants:applications"), {"q": "prosjekt 07"}).context["table"]
    assert [r.record.title for r in found.rows] == ["Prosjekt 07"]
    exported = _csv(admin.get(reverse("grants:applications"), {"format": "csv"}))
    assert exported[0] == ["Søker", "Prosjekt", "Ordning", "År", "Søkt (kr)", "Innvilget (kr)", "Status", "Mottatt"]
    assert len(exported) == 31 and exported[1][4] == "1234567,50"
    assert admin.get(reverse("grants:applications"), {"year": "99999999999"}).status_code == 200


def test_history_shows_full_names(jobbsjansen, users, actors, ref, login):
    users["cw_ost"].first_name, users["cw_ost"].last_name = "Kari", "Nordmann"
    users["cw_ost"].save()
    app = services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="T", description="D",
                                      amount_requested=D("1000"), municipality=ref["oslo"])
    services.assess_application(actors["cw_ost"], app, assessment="Bra", recommended_amount=D("1000"))
    html = login(users["admin"]).get(reverse("grants:application", args=[app.pk])).content.decode()
    assert "· Kari Nordmann" in html and "· cw_ost<" not in html
