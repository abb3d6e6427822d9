"""Issue 14, the load test's pages: figures cached by the data's version change with every write, per-row cells render
in the page's context (the context processors run once a page, not once a row), and the list builder's pickers list
every municipality with the chosen one selected."""

import itertools
import re
from datetime import timedelta

from django.urls import reverse

from core.testing import count_queries
from settlement import selectors, services
from settlement.models import ExitReason, HouseholdStatus


def _region(rows, name):
    return next(r for r in rows if r["region"] == name)


def test_persons_by_region_is_cached_until_a_write_changes_it(ref, make_household, decide, propose, today):
    decide(ref["oslo"], places=10)
    household = make_household(size=3)
    region = household.region.name
    first = selectors.persons_by_region(today)
    assert _region(first, region)["ready"] == 3
    with count_queries() as q:
        again = selectors.persons_by_region(today)
    assert again == first and len(q) == 1  # the version's lookup, not the count over every person
    again[0]["ready"] = -1  # a caller changing its rows does not change the cached figures
    assert selectors.persons_by_region(today) == first

    propose(household, ref["oslo"])  # a write through the services: the figures move at once
    after = _region(selectors.persons_by_region(today), region)
    assert (after["ready"], after["proposed"]) == (0, 3)
    make_household(size=2)
    assert _region(selectors.persons_by_region(today), region)["ready"] == 2


def test_overview_and_aggregates_api_show_a_new_household_at_once(login, users, make_household, client):
    make_household(size=2)
    admin = login(users["admin"])
    ready = lambda: sum(r["ready"] for r in admin.get("/api/v1/aggregates/").json()["regions"])  # noqa: E731
    assert ready() == 2
    assert admin.get(reverse("settlement:overview")).context["totals"]["ready"] == 2
    make_household(size=4)
    assert ready() == 6
    assert admin.get(reverse("settlement:overview")).context["totals"]["ready"] == 6


def test_work_queue_long_waiting_figures_follow_writes_and_filters(login, users, make_household, today, ref):
    client = login(users["cw_ost"])
    url = reverse("settlement:work_queue")
    long_ago = today - timedelta(days=400)
    make_household(size=1)
    assert client.get(url).context["long_waiting"] == {"households": 0, "persons": 0}
    waiting = make_household(size=2, permit=long_ago)
    for person in waiting.persons.all():  # the permit date decides long-waiting per person (footnote 17)
        person.residence_permit_date = long_ago
        person.save()
    assert client.get(url).context["long_waiting"] == {"households": 1, "persons": 2}
    # Another filter is another figure, not the cached one of the unfiltered queue.
    assert client.get(url, {"q": "Ingenslike"}).context["long_waiting"] == {"households": 0, "persons": 0}
    # Another scope too: the west caseworker does not see region Øst's household.
    assert login(users["cw_vest"]).get(url).context["long_waiting"] == {"households": 0, "persons": 0}
    client = login(users["cw_ost"])
    waiting.status = HouseholdStatus.EXITED  # out of the flow: no longer in the queue's figures
    waiting.exited_on, waiting.exit_reason = today, ExitReason.WITHDRAWN
    waiting.save()
    assert client.get(url).context["long_waiting"] == {"households": 0, "persons": 0}


def _count_context_processor_runs(monkeypatch):
    import core.context_processors as processors

    calls = []
    real = processors.menu_for

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(processors, "menu_for", counting)
    return calls


def test_inbox_rows_render_in_the_page_context(login, users, ref, make_household, decide, propose, monkeypatch):
    decide(ref["oslo"], places=50)
    propose(make_household(size=1), ref["oslo"])
    calls = _count_context_processor_runs(monkeypatch)
    client = login(users["oslo"])
    page = client.get(reverse("settlement:inbox"))
    one = len(calls)
    body = page.content.decode()
    # Each row still has its two answer forms, with the page's CSRF token and the municipality user's write access.
    assert body.count('name="action" value="accept"') == 1 and body.count('name="action" value="decline"') == 1
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    assert body.count(f'value="{token}"') >= 2
    for _ in range(4):
        propose(make_household(size=1), ref["oslo"])
    calls.clear()
    body = client.get(reverse("settlement:inbox")).content.decode()
    assert body.count('name="action" value="accept"') == 5
    assert len(calls) == one  # once per page render (and table), not once per row


def test_settlement_registration_rows_render_in_the_page_context(login, users, ref, make_household, monkeypatch):
    make_household(size=2, assigned=True, municipality=ref["oslo"])
    calls = _count_context_processor_runs(monkeypatch)
    client = login(users["oslo"])
    body = client.get(reverse("settlement:settlement_registration")).content.decode()
    one = len(calls)
    assert body.count('type="date"') == 2 and "csrfmiddlewaretoken" in body
    for _ in range(3):
        make_household(size=1, assigned=True, municipality=ref["oslo"])
    calls.clear()
    body = client.get(reverse("settlement:settlement_registration")).content.decode()
    assert body.count('type="date"') == 5
    assert len(calls) == one


def test_list_builder_pickers_list_every_municipality_and_select_the_chosen_one(login, users, ref, today):
    from core.models import Municipality

    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:distribution_list_new"), {"municipality_id": ref["oslo"].pk, "year": today.year})
    body = page.content.decode()
    form_select = re.search(r'<select name="municipality" id="id_municipality" required>(.*?)</select>', body, re.S).group(1)
    filter_select = re.search(r'<select name="municipality_id" id="mid">(.*?)</select>', body, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', form_select)
    everyone = list(Municipality.objects.order_by("name"))
    assert [(v, label) for v, _, label in options] == [("", "— velg —")] + [(str(m.pk), str(m)) for m in everyone]
    assert [v for v, selected, _ in options if selected] == [str(ref["oslo"].pk)]
    shown = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', filter_select)
    assert [label for _, _, label in shown[1:]] == [f"{m.name} ({m.number})" for m in everyone]
    assert [v for v, selected, _ in shown if selected] == [str(ref["oslo"].pk)]
    # Without a municipality the empty choice is the selected one; a refused post keeps what was chosen.
    body = client.get(reverse("settlement:distribution_list_new")).content.decode()
    assert '<option value="" selected>— velg —</option>' in body
    refused = client.post(reverse("settlement:distribution_list_new"), {"municipality": ref["bergen"].pk, "year": "x"})
    assert refused.status_code == 400
    assert f'<option value="{ref["bergen"].pk}" selected>' in refused.content.decode()
    refused = client.post(reverse("settlement:distribution_list_new"), {"municipality": "", "year": today.year})
    assert 'aria-invalid="true"' in refused.content.decode()


def test_list_builder_queries_stay_constant_as_candidates_grow(login, users, ref, make_household, today):
    client = login(users["cw_ost"])
    url = reverse("settlement:distribution_list_new")
    make_household(size=2)
    with count_queries() as before:
        client.get(url)
    for _ in range(5):
        make_household(size=3)
    with count_queries() as after:
        page = client.get(url)
    assert len(after) == len(before)
    assert len(page.context["households"]) == 6


def test_shown_capacity_is_cached_until_a_write_changes_it(ref, make_household, decide, propose, today):
    decide(ref["oslo"], places=10)
    assert selectors.shown_capacity(ref["oslo"].pk, today.year).remaining == 10
    with count_queries() as q:
        again = selectors.shown_capacity(ref["oslo"].pk, today.year)
    assert again.remaining == 10 and len(q) == 1  # the version's lookup only
    decide(ref["oslo"], places=12)
    assert selectors.shown_capacity(ref["oslo"].pk, today.year).decided == 12
    propose(make_household(size=2), ref["oslo"])
    shown = selectors.shown_capacity(ref["oslo"].pk, today.year)
    assert (shown.proposed, shown.remaining) == (2, 10)
    assert shown == selectors.capacity(ref["oslo"].pk, today.year)  # the one definition, uncached


def test_inbox_capacity_follows_an_answer(login, users, ref, make_household, decide, propose, today):
    decide(ref["oslo"], places=10)
    proposal = propose(make_household(size=3), ref["oslo"])
    client = login(users["oslo"])
    caps = client.get(reverse("settlement:inbox")).context["capacities"]
    assert [(c.year, c.proposed, c.accepted) for c in caps] == [(today.year, 3, 0)]
    answer = client.post(reverse("settlement:inbox"), {"proposal": proposal.pk, "action": "accept", f"a{proposal.pk}-comment": ""})
    assert answer.status_code == 302
    caps = client.get(reverse("settlement:inbox")).context["capacities"]
    assert [(c.year, c.proposed, c.accepted) for c in caps] == [(today.year, 0, 3)]


def test_table_cells_ask_a_render_method_its_parameters_once(login, users, make_household, monkeypatch):
    import inspect

    from settlement.tables import HouseholdTable

    client = login(users["cw_ost"])
    make_household(size=1)
    client.get(reverse("settlement:work_queue"))  # every column's method asked once, here or before
    calls = []
    real = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda *a, **k: calls.append(a) or real(*a, **k))
    for _ in range(4):
        make_household(size=2)
    page = client.get(reverse("settlement:work_queue"))
    assert calls == []
    rows = list(page.context["table"].as_values())
    assert len(rows) == 6 and rows[0][:3] == ["Husstand", "Hovedperson", "DUF-nummer"]
    # The cells are what the columns' own methods give.
    table = HouseholdTable(page.context["table"].data.data, today=page.context["today"])
    first = next(iter(table.rows))
    assert first.get_cell("pk").startswith('<a href="/bosetting/husstander/')


def test_inbox_answer_forms_carry_each_rows_numbers(login, users, ref, make_household, decide, propose):
    decide(ref["oslo"], places=50)
    proposals = [propose(make_household(size=1), ref["oslo"]) for _ in range(3)]
    client = login(users["oslo"])
    body = client.get(reverse("settlement:inbox")).content.decode()
    assert "STANDIN" not in body
    for p in proposals:
        row = re.search(rf'<tr[^>]*id="proposal-{p.pk}".*?</tr>', body, re.S).group(0)
        assert row.count(f'name="proposal" value="{p.pk}"') == 2
        for name in (f"a{p.pk}-comment", f"d{p.pk}-reason", f"d{p.pk}-comment"):
            assert f'name="{name}"' in row and f'id="id_{name}"' in row and f'for="id_{name}"' in row
        assert row.count(f"husstand {p.household_id}</span>") == 2
        assert '<option value="housing">' in row
    # A refused answer shows its error on that row only; the other rows keep their empty forms.
    refused = client.post(reverse("settlement:inbox"), {"proposal": proposals[1].pk, "action": "decline",
                                                        f"d{proposals[1].pk}-reason": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    row = re.search(rf'<tr[^>]*id="proposal-{proposals[1].pk}".*?</tr>', body, re.S).group(0)
    assert "ds-validation-message" in row and "STANDIN" not in body


def test_date_cells_read_as_the_date_filter_writes_them(ref):
    from datetime import date as day, datetime, timezone as tz
    from types import SimpleNamespace

    from django.template import Context, Template

    from settlement.tables import DateColumn

    column, bound = DateColumn("Dato", default="–"), SimpleNamespace(default="–")
    template = Template('{{ value|date:"d.m.Y"|default:default }}')
    # A date, an aware datetime late on New Year's Eve in UTC (already the next day in Oslo), and a value not a date.
    for value in (day(2025, 1, 2), datetime(2025, 12, 31, 23, 30, tzinfo=tz.utc), "ikke en dato"):
        assert column.render(value=value, bound_column=bound) == template.render(Context({"value": value, "default": "–"}))
    assert column.render(value=datetime(2025, 12, 31, 23, 30, tzinfo=tz.utc), bound_column=bound) == "01.01.2026"


def test_capacity_pages_fifty_with_totals_of_every_municipality_and_follows_writes(login, users, ref, decide, today):
    from core.models import Municipality

    decide(ref["oslo"], places=7)
    client = login(users["admin"])
    page = client.get(reverse("settlement:capacity"), {"year": today.year, "region": ""})
    assert page.context["table"].paginator.count == Municipality.objects.count()
    assert page.context["table"].paginator.per_page == 50
    assert len(page.context["table"].page.object_list) == min(50, Municipality.objects.count())
    assert page.context["totals"]["decided"] == 7
    decide(ref["bergen"], places=5)  # a write: the cached capacities are not shown again
    assert client.get(reverse("settlement:capacity"), {"year": today.year, "region": ""}).context["totals"]["decided"] == 12


OLD_BUILDER_ROWS = """{% load formatting %}{% for h in households %}{% with head=h.persons.all.0 %}
      <tr>
        <td><input type="checkbox" name="households" value="{{ h.pk }}" id="hh-{{ h.pk }}" {% if h.pk in selected %}checked{% endif %}></td>
        <td><label for="hh-{{ h.pk }}" style="font-weight:normal">#{{ h.pk }}</label></td>
        <td>{{ head.full_name }}</td><td class="num">{{ h.size }}</td><td>{{ h.get_composition_display }}</td>
        <td>{{ h.reception_centre.name|default:"–" }}</td><td>{{ h.tied_municipality.name|default:"" }}</td>
        <td>{{ h.special_needs|truncatechars:40 }}</td>
        <td>{{ h.waiting_since|date:"d.m.Y" }}<br><span class="muted">{{ h.days|count_noun:"dag,dager" }}</span>{% if h.long %} <span class="badge long">Lengeventende</span>{% endif %}</td>
      </tr>{% endwith %}{% endfor %}"""


def test_list_builder_rows_read_as_the_template_wrote_them(login, users, ref, make_household, today):
    from django.template import Context, Template

    make_household(size=2, last="<Haile & Søn>", special_needs="Rullestol, trenger bolig uten trapper og nær sykehus i byen")
    make_household(size=1, permit=today - timedelta(days=500), tied_municipality=ref["oslo"])
    make_household(size=3)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:distribution_list_new"))
    households = page.context["households"]
    assert len(households) == 3
    selected = {households[1].pk}
    from settlement.views.caseworker import candidate_rows

    squash = lambda html: re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()  # noqa: E731
    expected = Template(OLD_BUILDER_ROWS).render(Context({"households": households, "selected": selected}))
    assert squash(candidate_rows(households, selected)) == squash(expected)
    body = page.content.decode()
    assert "&lt;Haile &amp; Søn&gt;" in body and "<Haile" not in body
    assert squash(candidate_rows(households, set())) in squash(body)


def test_list_totals_are_cached_until_a_write_changes_them(login, users, make_household, client):
    admin = login(users["admin"])
    make_household(size=1)
    assert admin.get("/api/v1/households/").json()["count"] == 1
    with count_queries() as q:
        admin.get("/api/v1/households/")
    assert not [x for x in q.captured_queries if "COUNT(" in x["sql"]]  # the total came from the cache
    make_household(size=2)
    assert admin.get("/api/v1/households/").json()["count"] == 2
    assert admin.get("/api/v1/persons/").json()["count"] == 3
    assert admin.get("/api/v1/households/", {"status": "assigned"}).json()["count"] == 0  # another filter, another total
    queue = login(users["cw_ost"])
    assert queue.get(reverse("settlement:work_queue")).context["total"] == 2
    make_household(size=1)
    assert queue.get(reverse("settlement:work_queue")).context["total"] == 3
    assert queue.get(reverse("settlement:work_queue"), {"q": "Ingenslike"}).context["total"] == 0


ORIGINAL_ROWS = """{% load l10n %}{% for row in table.paginated_rows %}<tr {{ row.attrs.as_html }}>{% for column, cell in row.items %}<td {{ column.attrs.td.as_html }}>{% if column.localize == None %}{{ cell }}{% else %}{% if column.localize %}{{ cell|localize }}{% else %}{{ cell|unlocalize }}{% endif %}{% endif %}</td>{% endfor %}</tr>{% empty %}{% if table.empty_text %}<tr><td colspan="{{ table.columns|length }}">{{ table.empty_text }}</td></tr>{% endif %}{% endfor %}"""


def test_table_rows_are_what_django_tables2s_template_wrote(login, users, ref, make_household, decide, propose, today):
    from django.template import Context, Template

    decide(ref["oslo"], places=20)
    make_household(size=2, last="<Haile & Søn>", permit=today - timedelta(days=500))
    propose(make_household(size=1), ref["oslo"])
    pages = [(users["cw_ost"], reverse("settlement:work_queue"), "table"),
             (users["cw_ost"], reverse("settlement:capacity"), "table"),
             (users["oslo"], reverse("settlement:inbox"), "table"),
             (users["oslo"], reverse("settlement:inbox"), "accepted"),
             (users["cw_ost"], reverse("settlement:distribution_lists"), "table"),
             (users["oslo"], reverse("settlement:settlement_registration"), "table")]
    squash = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "csrf",  # noqa: E731
                                 re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html)))).strip()
    from settlement.templatetags.table_rows import table_rows

    for user, url, name in pages:
        response = login(user).get(url)
        table = response.context[name]
        context = Context({"table": table}, autoescape=True)
        table._counter = itertools.count()  # rows count on from the page's render: odd and even start again
        mine = squash(table_rows(context, table))
        table._counter = itertools.count()
        assert mine == squash(Template(ORIGINAL_ROWS).render(context)), (url, name)
    body = login(users["cw_ost"]).get(reverse("settlement:work_queue")).content.decode()
    assert "&lt;Haile &amp; Søn&gt;" in body and "<Haile" not in body
    empty = login(users["cw_ost"]).get(reverse("settlement:work_queue"), {"q": "Ingenslike"}).content.decode()
    assert "Ingen husstander passer filteret." in empty


OLD_MATCHING_ROWS = """{% load formatting %}{% for r in rows %}{% with h=r.household %}
      <tr><td><a href="{% url 'settlement:household' h.pk %}">#{{ h.pk }}</a></td><td class="num">{{ h.size }}</td><td>{{ h.get_composition_display }}</td>
        <td class="num">{{ r.need.waiting_days|number }}</td><td>{{ h.tied_municipality.name|default:"" }}</td><td>{{ h.special_needs|truncatechars:30 }}</td>
        <td><label for="m_{{ h.pk }}" class="visually-hidden">Kommune for husstand #{{ h.pk }}</label>
          <select id="m_{{ h.pk }}" name="m_{{ h.pk }}" data-size="{{ h.size }}"><option value="">— ikke foreslå —</option>
          {{ r.options }}
        </select></td></tr>
    {% endwith %}{% endfor %}"""


def test_matching_rows_read_as_the_template_wrote_them(login, users, ref, make_household, decide, today):
    from django.template import Context, Template

    from settlement.views.matching import matching_rows

    decide(ref["oslo"], places=40)
    make_household(size=2, last="<Haile & Søn>", special_needs="Rullestol & trenger bolig uten trapper, nær sykehus")
    make_household(size=1, permit=today - timedelta(days=1500), tied_municipality=ref["oslo"])
    client = login(users["cw_ost"])
    client.post(reverse("settlement:matching"), {"year": today.year, "region": "", "action": "solve"})
    page = client.get(reverse("settlement:matching"), {"year": today.year})
    rows = page.context["rows"]
    assert len(rows) == 2 and any(r["municipality_id"] for r in rows)
    squash = lambda html: re.sub(r">\s+<", "><", re.sub(r"\s+", " ", str(html))).strip()  # noqa: E731
    expected = Template(OLD_MATCHING_ROWS).render(Context({"rows": rows}))
    assert squash(matching_rows(rows)) == squash(expected)
    assert squash(matching_rows(rows)) in squash(page.content.decode())
    assert "1\u00a0500" in expected or "1 500" in expected  # days waited as a grouped number


def test_table_rows_work_out_td_attributes_per_cell_when_they_are_computed(rf):
    import django_tables2 as tables
    from django.template import Context, Template

    from settlement.templatetags.table_rows import table_rows

    class Small(tables.Table):
        name = tables.Column(attrs={"td": {"class": "fixed", "data-x": "1"}})
        size = tables.Column(attrs={"td": {"data-size": lambda record: record["size"] * 2}})

        class Meta:
            attrs = {"td": {"class": "table-wide"}}
            row_attrs = {"id": lambda record: f"row-{record['name']}"}

    table = Small([{"name": "a<b", "size": 1}, {"name": "c", "size": 2}])
    table.request = rf.get("/")
    context = Context({"table": table}, autoescape=True)
    table._counter = itertools.count()
    mine = table_rows(context, table)
    table._counter = itertools.count()
    squash = lambda html: re.sub(r">\s+<", "><", str(html)).strip()  # noqa: E731
    assert squash(mine) == squash(Template(ORIGINAL_ROWS).render(context))
    assert 'data-size="2"' in mine and 'data-size="4"' in mine and "a&lt;b" in mine
    assert Small([]).empty_text is None and table_rows(context, Small([])) == ""


def test_inbox_total_follows_proposals(login, users, ref, make_household, decide, propose):
    decide(ref["oslo"], places=50)
    first = propose(make_household(size=1), ref["oslo"])
    client = login(users["oslo"])
    assert client.get(reverse("settlement:inbox")).context["table"].paginator.count == 1
    propose(make_household(size=1), ref["oslo"])
    assert client.get(reverse("settlement:inbox")).context["table"].paginator.count == 2
    client.post(reverse("settlement:inbox"), {"proposal": first.pk, "action": "decline", f"d{first.pk}-reason": "housing"})
    page = client.get(reverse("settlement:inbox"))
    assert page.context["table"].paginator.count == 1
    with count_queries() as q:
        client.get(reverse("settlement:inbox"))
    assert not [x for x in q.captured_queries if "COUNT(" in x["sql"] and "settlement_proposal" in x["sql"]]


def test_the_municipality_pages_indexes_exist(db):
    from django.db import connection

    with connection.cursor() as cursor:
        household = connection.introspection.get_constraints(cursor, "settlement_household")
        proposal = connection.introspection.get_constraints(cursor, "settlement_proposal")
    assert household["settlement_household_settled_recent"]["columns"] == ["municipality_id", "status", "settled_on"]
    assert proposal["settlement_proposal_municipality_status"]["columns"] == ["municipality_id", "status"]


def test_work_queue_status_filter_needs_no_distinct(login, users, make_household):
    """Filtering the work queue by status (a column of the household) selects without DISTINCT over every column; a
    search by name (a join to the persons) still needs it and keeps it."""
    make_household(size=2)
    page = login(users["cw_ost"])
    with count_queries() as queries:
        assert page.get(reverse("settlement:work_queue"), {"status": ["ready", "proposed"]}).status_code == 200
    household_reads = [q["sql"] for q in queries if 'FROM "settlement_household"' in q["sql"]]
    assert household_reads and not [sql for sql in household_reads if "DISTINCT" in sql]


def test_table_signatures_are_kept_up_to_a_bound(monkeypatch):
    """django-tables2's signature lookups are kept per function, but no more than MAX_SIGNATURES of them: a callable
    made per request is then asked again rather than kept for ever."""
    import inspect

    from django_tables2 import utils

    from settlement import tables

    calls = []
    real = inspect.signature
    monkeypatch.setattr(inspect, "signature", lambda *a, **k: calls.append(a) or real(*a, **k))

    def first(record):
        return record

    def second(record):
        return record

    assert utils.signature(first) == utils.signature(first) and len(calls) == 1
    monkeypatch.setattr(tables, "MAX_SIGNATURES", 0)
    utils.signature(second), utils.signature(second)
    assert len(calls) == 3
