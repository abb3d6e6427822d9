"""Discretionary grants linked to an agreement (evaluation lines 3615-3621), the contact log and follow-up list of
municipalities without an agreement (3623-3629), and the once-per-quiet-period reminder for agreements with no
meeting for six months. The date is pinned to 16 June 2025 (conftest).

grants is an independent app (import-linter): its models are reached through the app registry."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from agreements import selectors, services
from agreements.models import AgreementGrant, AgreementType, MunicipalityContact, ReminderLog
from agreements.tasks import send_quiet_agreement_reminders
from core.errors import error_codes
from core.models import Municipality


def _refused(error, call, *args, **kwargs) -> set[str]:
    with pytest.raises(error) as exc:
        call(*args, **kwargs)
    return error_codes(exc.value)


@pytest.fixture
def application(ref):
    """Make a Jobbsjansen application (grants.GrantApplication) for a municipality and year."""
    scheme_model, year_model = apps.get_model("grants", "GrantScheme"), apps.get_model("grants", "GrantYear")
    application_model = apps.get_model("grants", "GrantApplication")
    scheme, _ = scheme_model.objects.get_or_create(code="jobbsjansen", defaults={"name": "Tilskudd Jobbsjansen", "kind": "application"})

    def make(municipality=None, year=2025, status="submitted", title="Jobbsjansen Oslo", **extra):
        grant_year, _ = year_model.objects.get_or_create(scheme=scheme, year=year, defaults={"budget": Decimal("1000000")})
        if status in ("granted", "paid", "reported"):
            extra.setdefault("amount_granted", Decimal("400000"))
        if status == "rejected":
            extra.setdefault("decision_reason", "Utenfor ordningen")
        return application_model.objects.create(
            grant_year=grant_year, municipality=municipality if municipality is not None else ref["oslo"],
            applicant_name="Oslo kommune", title=title, description="x", amount_requested=Decimal("500000"), status=status, **extra)

    return make


def test_link_grant_roles_and_rules(agreement, actors, application, ref):
    granted = application(status="granted")
    link = services.link_grant
    assert _refused(PermissionDenied, link, actors["cw_vest"], agreement, application=granted) == {"other_region"}
    assert _refused(PermissionDenied, link, actors["oslo"], agreement, application=granted) == {"role_not_allowed"}
    assert _refused(PermissionDenied, link, actors["ministry"], agreement, application=granted) == {"role_not_allowed"}
    assert _refused(ValidationError, link, actors["cw_ost"], agreement,
                    application=application(municipality=ref["baerum"], title="Bærum")) == {"not_party_application"}
    assert _refused(ValidationError, link, actors["cw_ost"], agreement, application=application(year=2022)) == {
        "grant_year_outside_agreement"}  # the agreement runs 2023-2026
    assert _refused(ValidationError, link, actors["cw_ost"], agreement, application=application(status="rejected")) == {
        "application_rejected"}
    assert _refused(ValidationError, link, actors["cw_ost"], agreement, application=granted, note="x" * 301) == {"too_long"}
    assert not AgreementGrant.objects.exists()
    made = link(actors["cw_ost"], agreement, application=granted, note="Del av handlingsplanen")
    assert _refused(ValidationError, link, actors["admin"], agreement, application=granted) == {"already_linked"}
    assert list(agreement.grant_links.values_list("application__title", "note")) == [("Jobbsjansen Oslo", "Del av handlingsplanen")]
    assert made.history.get().history_user.username == "cw_ost"
    # Removing the link: the owner office only; the history keeps it.
    assert _refused(PermissionDenied, services.unlink_grant, actors["cw_vest"], made) == {"other_region"}
    pk = made.pk
    services.unlink_grant(actors["cw_ost"], made)
    assert not AgreementGrant.objects.exists()
    assert [(h.history_type, h.history_user.username) for h in AgreementGrant.history.filter(id=pk).order_by("history_id")] == [
        ("+", "cw_ost"), ("-", "cw_ost")]


def test_the_detail_page_links_a_grant_and_shows_it(agreement, application, client_for, ref):
    granted = application(status="granted")
    other = application(municipality=ref["bergen"], title="Bergen")
    url = reverse("agreements:detail", args=[agreement.pk])
    cw = client_for("cw_ost")
    # Only the party municipalities' applications are offered; another's is an invalid choice.
    assert list(cw.get(url).context["forms"]["grant"].fields["application"].queryset) == [granted]
    response = cw.post(url, {"action": "grant", "application": other.pk})
    assert response.status_code == 400 and not AgreementGrant.objects.exists()
    assert cw.post(url, {"action": "grant", "application": granted.pk, "note": "KINN"}).status_code == 302
    page = cw.get(url)
    assert [(l.application, l.note) for l in page.context["grant_links"]] == [(granted, "KINN")]
    assert "Jobbsjansen Oslo" in page.content.decode()
    # A municipality that is party sees the link but cannot make one.
    assert client_for("oslo").post(url, {"action": "grant", "application": granted.pk}).status_code == 403


def test_record_contact_roles_and_rules(agreement, actors, ref, today):
    baerum = ref["baerum"]  # region Øst, no agreement
    ok = {"municipality": baerum, "contacted_on": today, "contact": "Rådmann Hansen", "topic": "settlement", "note": "Anmodning drøftet"}
    record = services.record_contact
    assert _refused(PermissionDenied, record, actors["cw_vest"], **ok) == {"other_region"}
    assert _refused(PermissionDenied, record, actors["oslo"], **ok) == {"role_not_allowed"}
    assert _refused(PermissionDenied, record, actors["ministry"], **ok) == {"role_not_allowed"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"contacted_on": today + timedelta(days=1)})) == {"date_in_future"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"contacted_on": date(1999, 1, 1)})) == {"date_out_of_range"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"topic": "weather"})) == {"unknown_topic"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"contact": " "})) == {"contact_required"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"note": ""})) == {"note_required"}
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"contact": "x" * 201})) == {"too_long"}
    # Oslo has an agreement (2023-2026): its follow-up is the agreement's meetings.
    assert _refused(ValidationError, record, actors["cw_ost"], **(ok | {"municipality": ref["oslo"]})) == {"has_agreement"}
    assert not MunicipalityContact.objects.exists()
    # Before Oslo's agreement began, a contact is logged.
    assert record(actors["cw_ost"], **(ok | {"municipality": ref["oslo"], "contacted_on": date(2022, 11, 1)})).pk
    row = record(actors["admin"], **ok)
    assert (row.recorded_by.username, row.history.get().history_user.username) == ("admin", "admin")


@pytest.fixture
def in_2017(actors, ref, time_machine):
    """16 June 2017, with Oslo's agreement of 2016-2018: the tests load the municipalities of 2014 only, and most of
    region Øst's were renumbered in 2020 (Viken), so 'today's municipalities' are taken before that."""
    day = date(2017, 6, 16)
    time_machine.move_to(day, tick=False)
    services.create_agreement(actors["cw_ost"], title="Partnerskapsavtale Oslo", agreement_type=AgreementType.PARTNERSHIP,
                              region=ref["ost"], start_date=date(2016, 1, 1), end_date=date(2018, 12, 31), purpose="x",
                              municipalities=[ref["oslo"]])
    return day


def test_follow_up_list_of_municipalities_without_an_agreement(in_2017, actors, ref):
    today = in_2017
    rows = list(selectors.municipalities_without_agreement(actors["cw_ost"], today))
    assert ref["oslo"] not in rows and ref["baerum"] in rows
    assert {m.region_id for m in rows} == {ref["ost"].pk}  # a caseworker: the region's municipalities
    expected = Municipality.objects.valid_on(today).filter(region=ref["ost"]).count() - 1
    assert len(rows) == expected
    services.record_contact(actors["cw_ost"], municipality=ref["baerum"], contacted_on=today - timedelta(days=10),
                            contact="Rådmann", topic="housing", note="Boligsosial plan")
    services.record_contact(actors["cw_ost"], municipality=ref["baerum"], contacted_on=today - timedelta(days=3),
                            contact="Rådmann", topic="settlement", note="Vedtak")
    rows = list(selectors.municipalities_without_agreement(actors["cw_ost"], today))
    assert rows[-1] == ref["baerum"] and (rows[-1].last_contact, rows[-1].contact_count) == (today - timedelta(days=3), 2)
    assert rows[0].last_contact is None  # never contacted first
    # An agreement without municipalities (with an agency) does not empty the list (NULL in NOT IN).
    services.create_agreement(actors["admin"], title="IMDi–NAV", agreement_type=AgreementType.SECTOR, region=None,
                              start_date=date(2017, 1, 1), end_date=date(2017, 12, 31), purpose="x",
                              agencies=list(apps.get_model("core", "Agency").objects.filter(code="nav")))
    assert len(selectors.municipalities_without_agreement(actors["cw_ost"], today)) == expected
    assert not selectors.municipalities_without_agreement(actors["oslo"], today).exists()
    assert selectors.municipalities_without_agreement(actors["admin"], today).count() > expected


def test_without_agreement_page_logs_a_contact(in_2017, client_for, ref):
    today = in_2017
    url = reverse("agreements:without_agreement")
    cw = client_for("cw_ost")
    bad = cw.post(url, {"municipality": ref["oslo"].pk, "contacted_on": today.isoformat(), "contact": "Byråd",
                        "topic": "settlement", "note": "x"})
    assert bad.status_code == 400 and {e.code for e in bad.context["form"].errors.as_data()["municipality"]} == {"has_agreement"}
    # Another region's municipality is not offered.
    assert cw.post(url, {"municipality": ref["bergen"].pk, "contacted_on": today.isoformat(), "contact": "x", "topic": "settlement",
                         "note": "x"}).status_code == 400
    assert not MunicipalityContact.objects.exists()
    assert cw.post(url, {"municipality": ref["baerum"].pk, "contacted_on": today.isoformat(), "contact": "Rådmann i Bærum",
                         "topic": "housing", "note": "Boligplan"}).status_code == 302
    page = cw.get(url)
    assert "Rådmann i Bærum" in page.content.decode()
    assert [m for m in page.context["rows"] if m.pk == ref["baerum"].pk][0].contact_count == 1
    assert client_for("ministry").get(url).status_code == 403 and client_for("oslo").get(url).status_code == 403


def test_quiet_agreement_is_reminded_once_per_quiet_period(agreement, actors, today, time_machine):
    # Started 2023, never met: quiet.
    assert send_quiet_agreement_reminders() == 1
    assert [m.to for m in mail.outbox] == [["cw_ost@example.no"]]
    log = ReminderLog.objects.get(kind=services.QUIET)
    assert (log.object_key, log.sent_on, log.history.get().history_type) == (f"{agreement.pk}:start", today, "+")
    # Next week, still quiet: the same period is not reminded again.
    time_machine.move_to(today + timedelta(days=7), tick=False)
    assert send_quiet_agreement_reminders() == 0 and len(mail.outbox) == 1
    # A meeting ends the period; eight months after it the agreement is quiet again and reminded once more.
    met = today + timedelta(days=7)
    services.record_meeting(actors["cw_ost"], agreement, held_on=met, minutes="x", topics=["settlement"])
    assert send_quiet_agreement_reminders() == 0
    time_machine.move_to(met + timedelta(days=240), tick=False)
    assert send_quiet_agreement_reminders() == 1
    assert ReminderLog.objects.filter(kind=services.QUIET, object_key=f"{agreement.pk}:{met.isoformat()}").exists()


def test_quiet_reminder_guard(agreement, actors, today):
    """The once-per-period guard: deleting it sends the same period's reminder again."""
    first = services.record_quiet_reminder(None, agreement, last_meeting=None, recipients=["a@example.no"], sent_on=today)
    assert first is not None
    assert services.record_quiet_reminder(None, agreement, last_meeting=None, recipients=["a@example.no"],
                                          sent_on=today + timedelta(days=30)) is None
    assert _refused(PermissionDenied, services.record_quiet_reminder, actors["oslo"], agreement, last_meeting=None,
                    recipients=[], sent_on=today) == {"role_not_allowed"}


def test_follow_up_page_lists_quiet_agreements_with_their_reminder(agreement, client_for, today):
    url = reverse("agreements:follow_up")
    cw = client_for("cw_ost")
    assert [(a.pk, a.reminded_on) for a in cw.get(url).context["quiet"]] == [(agreement.pk, None)]
    send_quiet_agreement_reminders()
    page = cw.get(url)
    assert [(a.pk, a.reminded_on) for a in page.context["quiet"]] == [(agreement.pk, today)]
    assert today.strftime("%d.%m.%Y") in page.content.decode()


def test_template_page_roles_and_bad_input(ref, client_for):
    url = reverse("agreements:templates")
    cw = client_for("cw_nord")
    # No region: a national template, the national admin's.
    assert cw.post(url, {"name": "KINN", "agreement_type": "kinn", "purpose": "x"}).status_code == 403
    bad = cw.post(url, {"name": "KINN", "agreement_type": "kinn", "region": ref["nord"].pk, "purpose": "x", "meeting_topics": ["x"]})
    assert bad.status_code == 400
    ok = cw.post(url, {"name": "KINN", "agreement_type": "kinn", "region": ref["nord"].pk, "purpose": "Bosetting",
                       "meeting_topics": ["settlement", "qualification"]})
    assert ok.status_code == 302
    template = apps.get_model("agreements", "AgreementTemplate").objects.get()
    bad_item = cw.post(url, {"action": "item", "template": template.pk, "year": 12, "due_month": 6, "title": "x", "owner": "IMDi"})
    assert bad_item.status_code == 400 and not template.plan_items.exists()
    assert cw.post(url, {"action": "item", "template": template.pk, "year": 1, "due_month": 6, "title": "Boligplan",
                         "owner": "IMDi"}).status_code == 302
    assert list(template.plan_items.values_list("title", flat=True)) == ["Boligplan"]
    # Another office's caseworker does not see (404) or change the region's template.
    assert client_for("cw_vest").post(url, {"action": "item", "template": template.pk, "year": 1, "due_month": 6,
                                            "title": "x", "owner": "x"}).status_code == 404
    assert client_for("oslo").get(url).status_code == 403


def test_list_page_creates_an_agreement_from_a_template_with_a_county_governor(ref, actors, client_for):
    from agreements.reference import load_parties
    load_parties()
    template = services.create_template(actors["cw_nord"], name="KINN", agreement_type=AgreementType.KINN, region=ref["nord"],
                                        purpose="Bosetting og kvalifisering", meeting_topics=["settlement", "qualification"])
    services.add_template_item(actors["cw_nord"], template, year=1, title="Handlingsplan", owner="IMDi", due_month=9)
    governor = apps.get_model("agreements", "PartyOrganisation").objects.get(code="sf-nordland")
    bodo = Municipality.objects.get(number="1804")
    response = client_for("cw_nord").post(reverse("agreements:list"), {
        "template": template.pk, "title": "KINN Bodø", "region": ref["nord"].pk, "municipalities": [bodo.pk],
        "parties": [governor.pk], "start_date": "2025-01-01", "end_date": "2026-12-31"})
    assert response.status_code == 302
    a = apps.get_model("agreements", "PartnershipAgreement").objects.get(title="KINN Bodø")
    assert (a.agreement_type, a.meeting_topics, list(a.parties.all())) == ("kinn", ["settlement", "qualification"], [governor])
    assert list(a.action_items.values_list("title", "due_date")) == [("Handlingsplan", date(2025, 9, 30))]
    # Without a template the type and purpose are needed.
    bad = client_for("cw_nord").post(reverse("agreements:list"), {"title": "x", "region": ref["nord"].pk, "municipalities": [bodo.pk],
                                                                  "start_date": "2025-01-01", "end_date": "2026-12-31"})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"agreement_type", "purpose"}


def test_contact_log_is_seen_by_the_region_and_the_admin_only(in_2017, actors, ref):
    row = services.record_contact(actors["cw_ost"], municipality=ref["baerum"], contacted_on=in_2017, contact="Rådmann",
                                  topic="settlement", note="Vedtak")
    seen = {n: list(selectors.contacts_for(actors[n])) for n in ("cw_ost", "cw_vest", "admin", "oslo", "ministry")}
    assert seen == {"cw_ost": [row], "cw_vest": [], "admin": [row], "oslo": [], "ministry": []}


def test_an_agreement_with_an_unknown_set_topic_is_refused(ref, actors):
    with pytest.raises(ValidationError) as exc:
        services.create_agreement(actors["cw_ost"], title="x", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
                                  start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), purpose="x",
                                  municipalities=[ref["oslo"]], meeting_topics=["settlement", "weather"])
    assert error_codes(exc.value) == {"unknown_topic"}
    assert not apps.get_model("agreements", "PartnershipAgreement").objects.exists()
