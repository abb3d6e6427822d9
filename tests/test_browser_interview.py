"""The settlement interview in Debian's chromium (issue 12, item 1): the reception centre registers a person's
bosettingssamtale with consent to share some parts, IMDi proposes the household to Oslo, and Oslo's user sees the
shared parts on the household page and not the health details the person did not consent to share."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.models import Role
from settlement import services
from settlement.interview_models import SettlementInterview
from tests.browser import login as _login


@pytest.mark.browser
def test_reception_centre_registers_an_interview_and_the_municipality_sees_what_consent_opens(
        browser, live_server, ref, users, actors, make_user, make_household, decide, today):  # noqa: F811
    decide(ref["oslo"], places=5)
    household = make_household(size=1, last="Gebremariam", interviewed=False)
    make_user(Role.RECEPTION_CENTRE, "mottak.rade", reception_centre=ref["centre"])

    # 1. The reception centre registers the interview: languages and the plan may be shared, health may not.
    centre = _login(browser, live_server, "mottak.rade")
    expect(centre.locator("h1")).to_contain_text("Bosettingsklare på Råde mottak")
    expect(centre.locator("#reception-households")).to_contain_text("Mangler")
    centre.get_by_role("link", name="Registrer samtale for Yonas Gebremariam").click()
    expect(centre.locator("h1")).to_contain_text("Bosettingssamtale – Yonas Gebremariam")
    centre.fill("#id_interviewer", "Kari Mottak")
    centre.select_option("#id_education_level", "higher")
    centre.fill("#id_work_experience", "Sykepleier i ti år")
    centre.fill("#id_languages", "tigrinja, arabisk")
    centre.check("#id_need_mental_health")
    centre.fill("#id_qualification_plan", "Norsk til B2, autorisasjon som sykepleier")
    centre.fill("#id_consent_given_on", today.isoformat())
    centre.check("#id_share_languages")
    centre.check("#id_share_qualification_plan")
    centre.get_by_role("button", name="Lagre bosettingssamtalen").click()
    expect(centre.locator(".messages")).to_contain_text("Bosettingssamtalen for Yonas Gebremariam er lagret")
    interview = SettlementInterview.objects.get(person__household=household)
    assert (interview.need_mental_health, interview.shared_scopes()) == (True, ["share_languages", "share_qualification_plan"])

    # 2. IMDi proposes the household to Oslo (the interview is registered, so the guard lets it through).
    services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[household.pk],
                                reply_deadline=today + timedelta(days=14))

    # 3. Oslo reads the languages and the plan, not the education nor the health needs.
    oslo = _login(browser, live_server, "oslo")
    oslo.goto(f"{live_server.url}/bosetting/husstander/{household.pk}/")
    section = oslo.locator("#interviews")
    expect(section).to_contain_text("tigrinja, arabisk")
    expect(section).to_contain_text("Norsk til B2, autorisasjon som sykepleier")
    expect(section).to_contain_text("Ikke delt (mangler samtykke): Utdanning og arbeidserfaring, Helsebehov")
    expect(oslo.locator("main")).not_to_contain_text("psykisk helse")
    expect(oslo.locator("main")).not_to_contain_text("Sykepleier i ti år")
