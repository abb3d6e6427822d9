"""The agreement list as a table (search, filters, sorting, paging, the same columns in the CSV), and the
follow-up and comparison pages in Norwegian number notation."""

import csv
import io
from datetime import timedelta

from django.urls import reverse

from agreements import services


def test_agreement_list_searches_filters_and_exports_the_page_columns(agreement, client_for):
    client = client_for("admin")
    page = client.get(reverse("agreements:list"), {"q": "oslo", "status": "active"})
    table = page.context["table"]
    assert [r.record.pk for r in table.rows] == [agreement.pk]
    html = page.content.decode()
    assert 'role="search"' in html and 'aria-sort="descending"' in html and 'role="region" aria-label="Avtaler"' in html
    assert [r.record.pk for r in client.get(reverse("agreements:list"), {"q": "finnes ikke"}).context["table"].rows] == []
    assert [r.record.pk for r in client.get(reverse("agreements:list"), {"status": "expired"}).context["table"].rows] == []
    exported = list(csv.reader(io.StringIO(client.get(reverse("agreements:list"), {"format": "csv"}).content.decode("utf-8-sig")),
                               delimiter=";"))
    assert exported[0] == [c.header for c in table.columns] == [
        "Avtale", "Type", "Parter", "Region", "Gjelder fra", "Gjelder til", "Status"]
    row = exported[1]
    assert row[0] == agreement.title and row[4] == agreement.start_date.strftime("%d.%m.%Y") and row[6] == "Aktiv"


def test_follow_up_counts_days_over_not_months(agreement, actors, users, client_for, today):
    users["oslo"].first_name, users["oslo"].last_name = "Ola", "Nordmann"
    users["oslo"].save()
    services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo",
                             due_date=today - timedelta(days=61), responsible=users["oslo"])
    services.add_action_item(actors["cw_ost"], agreement, title="Språk", owner="Oslo", due_date=today - timedelta(days=1))
    html = client_for("admin").get(reverse("agreements:follow_up")).content.decode()
    assert 'data-testid="days-over">61\xa0dager<' in html and 'data-testid="days-over">1\xa0dag<' in html
    assert "måneder" not in html.split("Forfalte tiltak")[1].split("Manglende")[0]
    assert "Oslo (Ola Nordmann)" in html


def test_comparison_prints_norwegian_numbers_and_keeps_markers(agreement, ref, decide, client_for):
    decide(ref["oslo"], 10, year=2025)
    page = client_for("admin").get(reverse("agreements:comparison") + "?year=2025")
    raw, shown = page.context["groups"][0], page.context["shown"][0]
    assert raw["population"] > 1000 and shown["population"] == f"{raw['population']:,}".replace(",", "\xa0")
    assert shown["decided_share_of_requested"] in ("–",) or shown["decided_share_of_requested"].endswith("\xa0%")
    ministry = client_for("ministry").get(reverse("agreements:comparison") + "?year=2025").context["shown"]
    assert all(isinstance(r["settled"], str) for r in ministry)  # "<5", ":" or a formatted figure, never a raw int


def test_agreement_page_ids_are_unique_and_labels_point_at_their_own_field(agreement, client_for):
    """The filter and the new-agreement form both have a region field; each label points at its own select (the
    page had two id="id_region", found trying it in chromium)."""
    import re
    from collections import Counter

    html = client_for("admin").get(reverse("agreements:list")).content.decode()
    ids = Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [i for i, n in ids.items() if n > 1] == []
    assert 'for="filter_region"' in html and 'for="id_region"' in html
    assert 'id="filter_region"' in html and 'id="id_region"' in html
