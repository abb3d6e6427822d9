"""The settlement lists as one table component: the page and its CSV hold the same rows and columns, sorting,
searching and paging, and the capacity page's region filter says what it shows."""

import csv
import io

from django.urls import reverse

from core.models import Municipality


def _csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _headers(table):
    return [str(c.header) for c in table.columns if not c.column.exclude_from_export]


def test_capacity_filter_and_csv_agree_for_a_caseworker(login, users, ref, today):
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:capacity"), {"year": today.year})
    own = Municipality.objects.filter(region=ref["ost"]).count()
    # The filter shows the region the page lists (it said "Alle" while listing Øst only).
    assert page.context["filter"].form["region"].value() == str(ref["ost"].pk)
    assert page.context["table"].paginator.count == own
    assert f'<option value="{ref["ost"].pk}" selected>' in page.content.decode()
    rows = _csv(client.get(reverse("settlement:capacity") + "?" + page.context["csv_query"]))
    assert len(rows) - 1 == own  # the CSV link holds what the page shows, not all municipalities
    assert rows[0] == _headers(page.context["table"])

    everyone = client.get(reverse("settlement:capacity"), {"year": today.year, "region": ""})
    assert everyone.context["table"].paginator.count == Municipality.objects.count()
    assert len(_csv(client.get(reverse("settlement:capacity") + "?" + everyone.context["csv_query"]))) - 1 == Municipality.objects.count()


def test_capacity_search_by_name(login, users, ref, today):
    page = login(users["admin"]).get(reverse("settlement:capacity"), {"q": "Bærum"})
    assert [r["m"].number for r in page.context["table"].data] == ["0219"]


def test_work_queue_sorts_and_its_csv_has_the_page_columns(login, users, make_household):
    small, large = make_household(size=1, last="Liten"), make_household(size=6, last="Stor")
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:work_queue"), {"sort": "-size"})
    assert [row.record.pk for row in page.context["table"].page.object_list] == [large.pk, small.pk]
    assert 'aria-sort="descending"' in page.content.decode()
    page = client.get(reverse("settlement:work_queue"), {"sort": "size"})
    assert [row.record.pk for row in page.context["table"].page.object_list] == [small.pk, large.pk]
    rows = _csv(client.get(reverse("settlement:work_queue"), {"format": "csv", "sort": "size"}))
    assert rows[0] == _headers(page.context["table"])
    assert [r[0] for r in rows[1:]] == [str(small.pk), str(large.pk)]
    assert rows[1][3] == "1" and rows[2][3] == "6"  # plain numbers in the CSV
    assert "1\u00a0person)" in page.content.decode() or "0\u00a0personer" in page.content.decode()


def test_distribution_lists_are_searchable_and_paged(login, users, ref, make_household, decide, propose):
    decide(ref["oslo"], places=100)
    decide(ref["baerum"], places=100)
    for _ in range(3):
        propose(make_household(), ref["oslo"])
    baerum = propose(make_household(), ref["baerum"]).distribution_list
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:distribution_lists"), {"q": "Bærum"})
    assert [row.record.pk for row in page.context["table"].page.object_list] == [baerum.pk]
    assert page.context["table"].paginator.count == 1
    page = client.get(reverse("settlement:distribution_lists"), {"q": str(baerum.pk)})
    assert [row.record.pk for row in page.context["table"].page.object_list] == [baerum.pk]
    assert "1\u00a0liste" in page.content.decode()
    page = client.get(reverse("settlement:distribution_lists"), {"per_page": 2})
    assert page.context["table"].paginator.num_pages == 2
    rows = _csv(client.get(reverse("settlement:distribution_lists"), {"format": "csv", "q": "Oslo"}))
    assert len(rows) == 4 and rows[0][:3] == ["Liste", "Kommune", "År"]
    assert {r[5] for r in rows[1:]} == {"1"}  # one household per list


def test_requests_are_searchable(login, users, ref, actors, today):
    from settlement import services

    for m in (ref["oslo"], ref["bergen"]):
        services.create_settlement_request(actors["admin"], municipality=m, sent_on=today, reply_deadline=today,
                                           years={today.year + 1: (10, 0)}, note="")
    page = login(users["admin"]).get(reverse("settlement:requests"), {"q": "Berg"})
    assert [row.record.municipality_id for row in page.context["table"].page.object_list] == [ref["bergen"].pk]
