"""Utsøking page: solves only when asked and keeps the last proposal, shows the method and proven gap, labels each
row's select, refuses an overbooked plan before sending anything, and sends only after a confirmed summary."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from settlement.models import DistributionList, Proposal


def _deadline(today):
    return (today + timedelta(days=14)).isoformat()


def test_solves_only_when_asked_and_keeps_the_last_proposal(login, users, ref, make_household, decide, today, monkeypatch):
    from settlement import matching

    decide(ref["oslo"], places=4)
    household = make_household(size=2)
    client = login(users["cw_ost"])
    calls = []
    real = matching.solve
    monkeypatch.setattr(matching, "solve", lambda *a, **k: calls.append(1) or real(*a, **k))
    page = client.get(reverse("settlement:matching"), {"year": today.year})
    assert calls == [] and page.context["result"].method == "none"
    assert [r["municipality_id"] for r in page.context["rows"]] == [None]
    # Asked for with a POST (it writes the computation); the page it leads to shows the new proposal.
    page = client.post(reverse("settlement:matching"), {"year": today.year, "region": "", "action": "solve"}, follow=True)
    assert calls == [1] and page.redirect_chain[-1][1] == 302
    html = page.content.decode()
    assert page.context["result"].method_label in html
    assert "bevist avstand til optimum 0,00\u00a0%" in html
    again = client.get(reverse("settlement:matching"), {"year": today.year})
    assert calls == [1]  # the last proposal, not a new solve
    assert [r["municipality_id"] for r in again.context["rows"]] == [ref["oslo"].pk]
    assert again.context["result"].method == page.context["result"].method
    assert f'<label for="m_{household.pk}"' in again.content.decode()
    # The picked municipality is the selected option, with what the page's script reads (places, name, left).
    assert (f'<option value="{ref["oslo"].pk}" data-free="4" data-name="Oslo" selected>Oslo (2 ledige)</option>'
            in again.content.decode())


def test_overbooked_plan_is_refused_before_anything_is_sent(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    decide(ref["bergen"], places=5)
    a, b, c = make_household(size=2), make_household(size=2), make_household(size=1)
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:matching"), {
        "year": today.year, "reply_deadline": _deadline(today), "confirmed": "1",
        f"m_{a.pk}": ref["oslo"].pk, f"m_{b.pk}": ref["oslo"].pk, f"m_{c.pk}": ref["bergen"].pk})
    assert response.status_code == 400
    assert response.context["errors"] == ["Oslo: 4 personer foreslått, men bare 3 ledige plasser."]
    assert not DistributionList.objects.exists() and not mail.outbox  # Bergen's valid list was not sent either


def test_unknown_and_huge_ids_are_form_errors(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    a = make_household(size=1)
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:matching"), {"year": today.year, "reply_deadline": _deadline(today),
                                                            f"m_{a.pk}": "999999"})
    assert response.status_code == 400 and "ingen ledige plasser" in response.context["errors"][0]
    response = client.post(reverse("settlement:matching"), {"year": today.year, "reply_deadline": _deadline(today),
                                                            f"m_{a.pk}": "9" * 30, "m_" + "9" * 30: ref["oslo"].pk})
    assert response.status_code == 400
    assert client.get(reverse("settlement:matching"), {"region": "9" * 30}).status_code == 400


def test_bulk_send_needs_confirmation(login, users, ref, make_household, decide, today):
    decide(ref["oslo"], places=3)
    decide(ref["bergen"], places=3)
    a, b = make_household(size=2), make_household(size=1)
    client = login(users["cw_ost"])
    form = {"year": today.year, "reply_deadline": _deadline(today), f"m_{a.pk}": ref["oslo"].pk, f"m_{b.pk}": ref["bergen"].pk}
    response = client.post(reverse("settlement:matching"), form)
    assert response.status_code == 200
    assert response.context["confirm"] == {"lists": [{"name": "Bergen", "households": 1, "persons": 1},
                                                      {"name": "Oslo", "households": 1, "persons": 2}],
                                           "households": 2, "persons": 3}
    html = response.content.decode()
    assert "2\u00a0fordelingslister" in html and "2\u00a0e-poster" in html and "3\u00a0personer" in html
    assert not Proposal.objects.exists() and not mail.outbox
    response = client.post(reverse("settlement:matching"), {**form, "confirmed": "1"}, follow=True)
    assert DistributionList.objects.count() == 2
    assert "Sendt 2\u00a0fordelingslister med 2\u00a0husstander." in response.content.decode()


def test_a_large_batch_is_a_celery_job_with_progress_and_its_proposal_is_kept(login, users, ref, make_household, decide,
                                                                             today, monkeypatch):
    """Above the inline limit the request only queues the job (core.jobs.enqueue); the job writes its progress as it
    goes, and the page then shows its proposal, the method and the proven gap."""
    from core import jobs
    from settlement import matching
    from settlement.models import MatchingRun
    from settlement.views.matching import MatchingView

    decide(ref["oslo"], places=3)
    decide(ref["bergen"], places=2)
    households = [make_household(size=2), make_household(size=1), make_household(size=2)]
    monkeypatch.setattr(MatchingView, "inline_households", 2)
    queued, seen = [], []
    real_enqueue, real_solve = jobs.enqueue, matching.solve

    def enqueue(task, *args):  # Celery runs eagerly in tests: the job runs inside this call
        queued.append((task.name, args))
        return real_enqueue(task, *args)

    def solve(*args, progress, **kwargs):
        def spy(percent, stage):
            progress(percent, stage)
            seen.append(MatchingRun.objects.values_list("status", "progress", "stage").get())
        return real_solve(*args, progress=spy, **kwargs)

    monkeypatch.setattr(jobs, "enqueue", enqueue)
    monkeypatch.setattr(matching, "solve", solve)
    client = login(users["cw_ost"])
    response = client.post(reverse("settlement:matching"), {"year": today.year, "region": "", "action": "solve"})
    assert response.status_code == 302
    run = MatchingRun.objects.get()
    assert queued == [("settlement.tasks.solve_matching", (run.pk,))]
    assert seen[0] == ("running", 20, "Bygger modellen") and seen[-1] == ("running", 90, "Fordeler husstandene")
    assert [p for _, p, _ in seen] == sorted(p for _, p, _ in seen)  # never backwards
    assert (run.status, run.progress, run.households, run.requested_by) == ("done", 100, 3, users["cw_ost"])
    assert run.method == matching.OPTIMAL and run.mip_gap <= 1e-4
    # Oslo takes a household of two and one of one (3 places), Bergen the other household of two.
    assert sorted(run.assignments.values()) == sorted([ref["oslo"].pk, ref["oslo"].pk, ref["bergen"].pk])
    page = client.get(response.url)
    assert {r["household"].pk: r["municipality_id"] for r in page.context["rows"]} == {
        h.pk: run.assignments[str(h.pk)] for h in households}
    html = page.content.decode()
    assert "Optimal (bevist)" in html and "bevist avstand til optimum 0,00\u00a0%" in html
    assert 'id="matching-progress"' not in html


def test_a_running_job_shows_its_progress_over_the_last_proposal(login, users, ref, make_household, decide, today):
    from settlement.models import MatchingRun

    decide(ref["oslo"], places=4)
    household = make_household(size=2)
    MatchingRun.objects.create(requested_by=users["cw_ost"], year=today.year, status="done", progress=100, households=1,
                               assignments={str(household.pk): ref["oslo"].pk}, method="greedy fallback", mip_gap=None,
                               seconds=60.0, message="Tidsgrensen nådd; grådig fordeling var bedre")
    MatchingRun.objects.create(requested_by=users["cw_ost"], year=today.year, status="running", progress=55,
                               stage="Løser modellen (HiGHS)", households=1)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:matching"), {"year": today.year})
    html = page.content.decode()
    assert 'id="matching-progress"' in html and 'value="55"' in html and "Løser modellen (HiGHS)" in html
    assert [r["municipality_id"] for r in page.context["rows"]] == [ref["oslo"].pk]  # the last proposal meanwhile
    assert "Grådig fordeling" in html  # says the greedy fallback was used
    status = client.get(reverse("settlement:matching"), {"year": today.year, "progress": "1"}).json()
    assert status == {"status": "running", "status_label": "Beregnes", "progress": 55, "stage": "Løser modellen (HiGHS)"}
    # Pressing again while the job runs starts no second computation.
    assert client.post(reverse("settlement:matching"), {"year": today.year, "region": "", "action": "solve"}).status_code == 302
    assert MatchingRun.objects.count() == 2
    # Another caseworker's computations are not this one's proposal.
    other = login(users["cw_vest"]).get(reverse("settlement:matching"), {"year": today.year})
    assert other.context["pending"] is None and other.context["result"].method == "none"


def test_a_job_runs_as_its_requester_and_fails_without_the_permission(users, ref, make_household, decide, today):
    """The job checks the permission again when it runs: a requester who may not propose gets nothing."""
    from settlement import matching
    from settlement.models import MatchingRun

    decide(ref["oslo"], places=4)
    make_household(size=2)
    refused = MatchingRun.objects.create(requested_by=users["ministry"], year=today.year)
    matching.execute_run(refused.pk)
    refused.refresh_from_db()
    assert (refused.status, refused.assignments) == ("failed", {})
    allowed = MatchingRun.objects.create(requested_by=users["admin"], year=today.year)
    matching.execute_run(allowed.pk)
    allowed.refresh_from_db()
    assert allowed.status == "done" and list(allowed.assignments.values()) == [ref["oslo"].pk]
    matching.execute_run(allowed.pk)  # a redelivered job leaves a finished run alone
    allowed.refresh_from_db()
    assert allowed.status == "done"
