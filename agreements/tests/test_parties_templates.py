"""Parties other than municipalities and agencies (county governors, KS, county authorities, Oslo's city districts)
and agreement templates with a yearly action plan and evaluation: every role and rule, and bad input leaves
nothing behind. The date is pinned to 16 June 2025 (conftest)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import selectors, services
from agreements.models import (
    ActionItem, AgreementTemplate, AgreementType, PartnershipAgreement, PartyKind, PartyOrganisation, TemplateActionItem,
)
from agreements.reference import load_parties
from core.errors import error_codes


@pytest.fixture
def parties(db):
    load_parties()  # a transactional test elsewhere may have flushed the migration's rows
    return {p.code: p for p in PartyOrganisation.objects.all()}


def _refused(error, call, *args, **kwargs) -> set[str]:
    with pytest.raises(error) as exc:
        call(*args, **kwargs)
    return error_codes(exc.value)


def test_reference_data_has_the_public_lists(parties):
    by_kind = {k: sorted(p.name for p in parties.values() if p.kind == k) for k in PartyKind.values}
    # Oslo's 15 bydeler (SSB 030101-030115), the ten county governors of today, one KS.
    assert len(by_kind["city_district"]) == 15
    assert {"Bydel Alna", "Bydel Bjerke", "Bydel Grorud", "Bydel Stovner", "Bydel Søndre Nordstrand"} <= set(by_kind["city_district"])
    today = date(2025, 6, 16)
    governors_now = PartyOrganisation.objects.valid_on(today).filter(kind=PartyKind.COUNTY_GOVERNOR)
    assert governors_now.count() == 10
    assert "Statsforvalteren i Nordland" in {g.name for g in governors_now}
    # 2014: 18 offices (Oslo og Akershus shared one), among them Fylkesmannen i Oppland (evaluation line 2009).
    assert PartyOrganisation.objects.valid_on(date(2014, 1, 1)).filter(kind=PartyKind.COUNTY_GOVERNOR).count() == 18
    assert by_kind["ks"] == ["KS – kommunesektorens organisasjon"]
    # County authorities follow KLASS's counties; Oslo has none (the municipality does that work).
    assert "Oppland fylkeskommune" in by_kind["county_authority"] and not any("Oslo" in n for n in by_kind["county_authority"])
    assert PartyOrganisation.objects.valid_on(today).filter(kind=PartyKind.COUNTY_AUTHORITY).count() == 14
    assert load_parties() == len(parties)  # idempotent
    assert PartyOrganisation.objects.count() == len(parties)


def _create(actor, ref, **overrides):
    kwargs = {"title": "Avtale", "agreement_type": AgreementType.PARTNERSHIP, "region": ref["ost"],
              "start_date": date(2025, 1, 1), "end_date": date(2026, 12, 31), "purpose": "Bosetting"} | overrides
    return services.create_agreement(actor, **kwargs)


def test_county_governor_ks_county_authority_and_city_districts_are_parties(ref, actors, parties):
    groruddalen = [parties[f"bydel-0301{n}"] for n in ("09", "10", "11", "12", "15")]
    a = _create(actors["cw_ost"], ref, municipalities=[ref["oslo"]], parties=groruddalen + [parties["sf-oslo-viken"]])
    assert sorted(p.name for p in a.parties.all()) == ["Bydel Alna", "Bydel Bjerke", "Bydel Grorud", "Bydel Stovner",
                                                        "Bydel Søndre Nordstrand", "Statsforvalteren i Oslo og Viken"]
    # A party alone is enough: KS, or a county authority, without a municipality.
    ks = _create(actors["admin"], ref, region=None, parties=[parties["ks"]])
    assert list(ks.parties.values_list("code", flat=True)) == ["ks"]
    # The history keeps the parties (m2m history).
    assert a.history.latest().parties.count() == 6


def test_a_party_must_exist_during_the_agreement(ref, actors, parties):
    before = PartnershipAgreement.objects.count()
    # Fylkesmannen i Oppland was merged into Innlandet on 1 January 2019.
    assert _refused(ValidationError, _create, actors["cw_ost"], ref, parties=[parties["fm-oppland"]]) == {"party_not_valid"}
    assert _refused(ValidationError, _create, actors["cw_ost"], ref, start_date=date(2014, 1, 1), end_date=date(2015, 12, 31),
                    parties=[parties["sf-innlandet"]]) == {"party_not_valid"}
    assert _refused(ValidationError, _create, actors["cw_ost"], ref, parties=[]) == {"no_party"}
    assert PartnershipAgreement.objects.count() == before
    # An agreement that began before the merger may name the old office.
    old = _create(actors["cw_ost"], ref, start_date=date(2014, 1, 1), end_date=date(2019, 12, 31), parties=[parties["fm-oppland"]])
    assert old.parties.get().name == "Fylkesmannen i Oppland"


def test_party_agreements_are_scoped_like_any_other(ref, actors, parties):
    assert _refused(PermissionDenied, _create, actors["cw_vest"], ref, parties=[parties["ks"]]) == {"other_region"}
    assert _refused(PermissionDenied, _create, actors["oslo"], ref, parties=[parties["ks"]]) == {"role_not_allowed"}
    assert _refused(PermissionDenied, _create, actors["ministry"], ref, parties=[parties["ks"]]) == {"role_not_allowed"}


def _template(actor, region, **overrides):
    kwargs = {"name": "KINN", "agreement_type": AgreementType.KINN, "region": region,
              "purpose": "Bosetting, kvalifisering og likeverdige tjenester", "goals": "Rask bosetting\nFlere i arbeid",
              "imdi_commitments": "To møter i året", "party_commitments": "Vedtak for tre år",
              "meeting_topics": ["qualification", "settlement"], "evaluation_points": "Bosatt mot vedtak\nResultater etter introprogram"}
    return services.create_template(actor, **(kwargs | overrides))


def test_template_roles_and_rules(ref, actors):
    # National templates: the national admin only; a region's: its caseworkers and the admin.
    assert _refused(PermissionDenied, _template, actors["cw_nord"], None) == {"other_region"}
    assert _refused(PermissionDenied, _template, actors["cw_vest"], ref["nord"]) == {"other_region"}
    assert _refused(PermissionDenied, _template, actors["oslo"], ref["nord"]) == {"role_not_allowed"}
    assert _refused(PermissionDenied, _template, actors["ministry"], None) == {"role_not_allowed"}
    assert _refused(ValidationError, _template, actors["cw_nord"], ref["nord"], name=" ") == {"name_required"}
    assert _refused(ValidationError, _template, actors["cw_nord"], ref["nord"], purpose=" ") == {"purpose_required"}
    assert _refused(ValidationError, _template, actors["cw_nord"], ref["nord"], agreement_type="treaty") == {"unknown_type"}
    assert _refused(ValidationError, _template, actors["cw_nord"], ref["nord"], meeting_topics=["weather"]) == {"unknown_topic"}
    assert _refused(ValidationError, _template, actors["cw_nord"], ref["nord"], name="x" * 201) == {"too_long"}
    assert not AgreementTemplate.objects.exists()
    t = _template(actors["cw_nord"], ref["nord"])
    assert t.meeting_topics == ["settlement", "qualification"]
    assert _refused(ValidationError, _template, actors["admin"], None, name="kinn") == {"name_taken"}
    assert t.history.get().history_user.username == "cw_nord"


def test_template_action_plan_rules(ref, actors):
    t = _template(actors["cw_nord"], ref["nord"])
    add = services.add_template_item
    ok = {"year": 1, "title": "Boligplan", "owner": "Kommunen", "due_month": 6}
    assert _refused(PermissionDenied, add, actors["cw_vest"], t, **ok) == {"other_region"}
    assert _refused(PermissionDenied, add, actors["oslo"], t, **ok) == {"role_not_allowed"}
    assert _refused(ValidationError, add, actors["cw_nord"], t, **(ok | {"year": 0})) == {"year_out_of_range"}
    assert _refused(ValidationError, add, actors["cw_nord"], t, **(ok | {"year": 11})) == {"year_out_of_range"}
    assert _refused(ValidationError, add, actors["cw_nord"], t, **(ok | {"due_month": 13})) == {"month_out_of_range"}
    assert _refused(ValidationError, add, actors["cw_nord"], t, **(ok | {"title": " "})) == {"title_required"}
    assert _refused(ValidationError, add, actors["cw_nord"], t, **(ok | {"owner": ""})) == {"owner_required"}
    assert not TemplateActionItem.objects.exists()
    add(actors["cw_nord"], t, **ok)
    assert list(t.plan_items.values_list("year", "title", "due_month")) == [(1, "Boligplan", 6)]


def test_templates_seen_by_each_role(ref, actors):
    national = _template(actors["admin"], None, name="Nasjonal")
    nord = _template(actors["cw_nord"], ref["nord"])
    seen = {n: set(selectors.templates_for(actors[n])) for n in ("admin", "cw_nord", "cw_vest", "oslo", "ministry")}
    assert seen == {"admin": {national, nord}, "cw_nord": {national, nord}, "cw_vest": {national}, "oslo": set(), "ministry": set()}


def test_agreement_from_template_copies_its_structure_and_yearly_plan(ref, actors, parties):
    t = _template(actors["cw_nord"], ref["nord"])
    for year, month, title in [(1, 3, "Handlingsplan år 1"), (1, 11, "Nettverkssamling"), (2, 6, "Boligplan"), (3, 6, "Evaluering")]:
        services.add_template_item(actors["cw_nord"], t, year=year, title=title, owner="IMDi", due_month=month)
    a = services.create_agreement_from_template(
        actors["cw_nord"], t, title="KINN Tromsø", region=ref["nord"], start_date=date(2025, 5, 1), end_date=date(2026, 12, 31),
        municipalities=[ref["tromso"]], parties=[parties["sf-troms-finnmark"]])
    assert (a.agreement_type, a.purpose, a.template, a.meeting_topics) == (
        AgreementType.KINN, t.purpose, t, ["settlement", "qualification"])
    assert a.evaluation_points == "Bosatt mot vedtak\nResultater etter introprogram"
    assert list(a.goals.values_list("text", flat=True)) == ["Rask bosetting", "Flere i arbeid"]
    assert list(a.commitments.order_by("id").values_list("party", "text")) == [
        ("IMDi", "To møter i året"), ("Tromsø, Statsforvalteren i Troms og Finnmark", "Vedtak for tre år")]
    # Year 1 is 2025: March is before the start, so due on the start date; year 3 (2027) is after the end: left out.
    assert list(a.action_items.order_by("due_date").values_list("title", "due_date")) == [
        ("Handlingsplan år 1", date(2025, 5, 1)), ("Nettverkssamling", date(2025, 11, 30)), ("Boligplan", date(2026, 6, 30))]
    plan = selectors.action_plan(a)
    assert [(y["year"], len(y["items"]), y["done"]) for y in plan] == [(2025, 2, 0), (2026, 1, 0)]
    # The template can change later without changing the agreement.
    services.add_template_item(actors["cw_nord"], t, year=2, title="Nytt", owner="IMDi", due_month=1)
    assert a.action_items.count() == 3


def test_agreement_from_template_rules(ref, actors, parties):
    t = _template(actors["cw_nord"], ref["nord"])
    services.add_template_item(actors["cw_nord"], t, year=1, title="Plan", owner="IMDi", due_month=6)
    make = services.create_agreement_from_template
    args = {"title": "x", "start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31)}
    # Another office's template, and a caseworker's agreement for another office.
    assert _refused(PermissionDenied, make, actors["cw_vest"], t, region=ref["vest"], municipalities=[ref["bergen"]], **args) == {"other_region"}
    assert _refused(PermissionDenied, make, actors["cw_nord"], t, region=ref["vest"], municipalities=[ref["bergen"]], **args) == {"other_region"}
    assert _refused(PermissionDenied, make, actors["oslo"], t, region=ref["nord"], municipalities=[ref["tromso"]], **args) == {"role_not_allowed"}
    assert _refused(ValidationError, make, actors["cw_nord"], t, region=ref["nord"], **args) == {"no_party"}
    assert _refused(ValidationError, make, actors["cw_nord"], t, region=ref["nord"], municipalities=[ref["tromso"]],
                    title="x", start_date=date(2025, 1, 1), end_date=date(2024, 1, 1)) == {"ends_before_start"}
    assert not PartnershipAgreement.objects.exists() and not ActionItem.objects.exists()  # nothing half-made
    # A national template is open to every office.
    national = _template(actors["admin"], None, name="Nasjonal")
    assert make(actors["cw_vest"], national, region=ref["vest"], municipalities=[ref["bergen"]], **args).template == national


def test_topics_missing_this_year_follow_the_set_topics(ref, actors):
    t = _template(actors["cw_nord"], ref["nord"])
    a = services.create_agreement_from_template(actors["cw_nord"], t, title="KINN Tromsø", region=ref["nord"],
                                                start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), municipalities=[ref["tromso"]])
    assert selectors.topics_missing(a, 2025) == ["Bosetting", "Kvalifisering og introduksjonsprogram"]
    services.record_meeting(actors["cw_nord"], a, held_on=date(2024, 10, 1), minutes="x", topics=["qualification"])
    services.record_meeting(actors["cw_nord"], a, held_on=date(2025, 3, 1), minutes="x", topics=["settlement", "housing"])
    assert selectors.topics_missing(a, 2025) == ["Kvalifisering og introduksjonsprogram"]  # 2024's meeting is last year's
