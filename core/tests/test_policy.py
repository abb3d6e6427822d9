"""core.policy: the action table, restrict() and the page check, and that every page declares a permission."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver

from core import policy
from core.errors import Forbidden, error_codes
from core.models import Municipality, Region, Role
from core.roles import Actor, RoleRequiredMixin

ADMIN = Actor(user=None, role=Role.NATIONAL_ADMIN)
NOBODY = Actor(user=AnonymousUser(), role=None)


def test_unknown_permission_is_an_error_not_a_silent_no():
    with pytest.raises(KeyError):
        policy.can(ADMIN, "no.such_action")


@pytest.mark.parametrize("role, allowed", [(Role.NATIONAL_ADMIN, True), (Role.CASEWORKER, False),
                                           (Role.MUNICIPALITY, False), (Role.MINISTRY, False), (None, False)])
def test_require_raises_role_not_allowed(role, allowed):
    actor = Actor(user=None, role=role)
    assert policy.can(actor, "grants.pay_claims") is allowed
    if allowed:
        policy.require(actor, "grants.pay_claims")
    else:
        with pytest.raises(Forbidden) as exc:
            policy.require(actor, "grants.pay_claims")
        assert error_codes(exc.value) == {"role_not_allowed"}


def test_restrict_by_role(ref):
    qs = Municipality.objects.all()
    ost = Region.objects.get(code="ost")
    oslo = Municipality.objects.get(number="0301")
    cw = Actor(user=None, role=Role.CASEWORKER, region_id=ost.pk)
    muni = Actor(user=None, role=Role.MUNICIPALITY, municipality_id=oslo.pk)
    path = {"region": "region_id", "municipality": "id"}
    assert policy.restrict(qs, ADMIN, **path).count() == qs.count()
    assert set(policy.restrict(qs, cw, **path)) == set(qs.filter(region=ost))
    assert list(policy.restrict(qs, muni, **path)) == [oslo]
    assert not policy.restrict(qs, Actor(user=None, role=Role.MINISTRY), **path).exists()
    assert not policy.restrict(qs, cw, municipality="id").exists()  # no region path: a caseworker sees none
    assert not policy.restrict(qs, muni, region="region_id").exists()
    assert policy.restrict(qs, Actor(user=None, role=Role.MINISTRY), sees_all={Role.MINISTRY}).count() == qs.count()


def test_scopes_limit_a_token_but_not_a_session():
    assert policy.has_scope(ADMIN, "settlement:read")
    token = Actor(user=None, role=Role.CASEWORKER, scopes=frozenset({"reports:read"}))
    assert not policy.has_scope(token, "settlement:read")


def test_can_open_follows_the_page_permission():
    cw = Actor(user=None, role=Role.CASEWORKER)
    assert policy.can_open(cw, "/bosetting/") and not policy.can_open(Actor(user=None, role=Role.MINISTRY), "/bosetting/")
    assert policy.can_open(cw, "/logg-inn/")  # outside the policy
    assert not policy.can_open(cw, "/no/such/page/")


def _views(resolver):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _views(p)
        elif isinstance(p, URLPattern):
            yield getattr(p.callback, "view_class", None)


def test_every_role_guarded_page_names_a_permission_in_the_table():
    pages = [v for v in _views(get_resolver()) if v is not None and issubclass(v, RoleRequiredMixin)]
    assert len(pages) > 30
    assert {v.__name__: v.permission for v in pages if v.permission not in policy.PERMISSIONS} == {}
