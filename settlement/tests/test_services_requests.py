"""Requests (anmodning) and municipal decisions (vedtak) through the services."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from settlement import services
from settlement.models import MunicipalDecision


def test_decision_rules(ref, actors, make_household, decide, today):
    def record(**kwargs):
        return services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, decided_on=today, **kwargs)

    with pytest.raises(ValidationError) as exc:
        record(places=-1)
    assert error_codes(exc.value) == {"negative_count", "minors_exceed_places"}  # the 0 minors exceed -1 places too
    with pytest.raises(ValidationError) as exc:
        record(places=3, unaccompanied_minors=4)
    assert error_codes(exc.value) == {"minors_exceed_places"}
    with pytest.raises(ValidationError) as exc:
        services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=3,
                                 decided_on=today + timedelta(days=1))
    assert error_codes(exc.value) == {"date_in_future"}
    assert not MunicipalDecision.objects.exists()

    decide(ref["oslo"], places=5)
    second = decide(ref["oslo"], places=8)
    # One current decision per municipality and year; the history keeps the earlier one.
    assert MunicipalDecision.objects.get().places == 8
    assert [h.places for h in second.history.order_by("history_date")] == [5, 8]

    make_household(size=4, accepted=True, municipality=ref["oslo"])
    with pytest.raises(ValidationError) as exc:
        decide(ref["oslo"], places=3)
    assert error_codes(exc.value) == {"below_committed"}
    assert MunicipalDecision.objects.get().places == 8


def test_decisions_are_the_municipalitys_own(ref, actors, today):
    # IMDi registers decisions on a municipality's behalf (issue 12): see test_services_request_letters.py.
    for name, code in (("bergen", "other_municipality"), ("oslo_read", "read_only"), ("ministry", "other_municipality")):
        with pytest.raises(PermissionDenied) as exc:
            services.record_decision(actors[name], municipality=ref["oslo"], year=today.year, places=1, decided_on=today)
        assert error_codes(exc.value) == {code}


def test_requests_span_up_to_three_consecutive_years_and_can_be_adjusted(ref, actors, users, today):
    y = today.year + 1

    def create(years, actor="cw_ost", reply_deadline=today):
        return services.create_settlement_request(actors[actor], municipality=ref["oslo"], sent_on=today,
                                                  reply_deadline=reply_deadline, years=years)

    for years, code in (({}, "no_years"), ({y: (10, 1), y + 1: (10, 1), y + 2: (10, 1), y + 3: (10, 1)}, "too_many_years"),
                        ({y: (10, 1), y + 2: (10, 1)}, "years_not_consecutive"), ({y: (-1, 0)}, "negative_count"),
                        ({y: (1, 2)}, "minors_exceed_persons")):
        with pytest.raises(ValidationError) as exc:
            create(years)
        assert error_codes(exc.value) == {code}, years
    with pytest.raises(ValidationError) as exc:
        create({y: (10, 0)}, reply_deadline=today - timedelta(days=1))
    assert error_codes(exc.value) == {"deadline_before_sent"}
    with pytest.raises(PermissionDenied) as exc:
        create({y: (10, 0)}, actor="cw_vest")  # Oslo is in region Øst
    assert error_codes(exc.value) == {"other_region"}

    req = create({y: (300, 20), y + 1: (320, 20)}, reply_deadline=today + timedelta(days=30))
    with pytest.raises(ValidationError) as exc:
        create({y + 1: (10, 0)})
    assert error_codes(exc.value) == {"request_exists"}
    with pytest.raises(ValidationError) as exc:
        services.adjust_settlement_request(actors["cw_ost"], req, years={y: (350, 25)})
    assert error_codes(exc.value) == {"years_changed"}
    services.adjust_settlement_request(actors["cw_ost"], req, years={y: (350, 25), y + 1: (320, 20)}, note="Økt behov")
    rp = req.years.get(year=y)
    assert [h.persons for h in rp.history.order_by("history_date")] == [300, 350]
    assert rp.unaccompanied_minors == 25
    assert rp.history.latest().history_user == users["cw_ost"]
