"""The one access policy: which role may take which action, and how a queryset is cut to what an actor may see.

Pages (core.roles.RoleRequiredMixin's `permission`), the API (core.api.auth.HasScope with a view's `permission`),
the navigation (`can_open`) and the services (`require`) all ask this module. Each model holding personal or
municipal data has a queryset method `visible_to(actor)` (in `<app>/querysets.py`) built on `restrict` below, so
what a role sees is written once. Core imports no app: permissions are plain names.
"""

from django.urls import Resolver404, resolve

from .errors import Forbidden
from .models import ApiScope, Role

CASEWORKER, ADMIN, MUNICIPALITY, MINISTRY, AGENCY = (
    Role.CASEWORKER, Role.NATIONAL_ADMIN, Role.MUNICIPALITY, Role.MINISTRY, Role.AGENCY)
IMDI = frozenset({CASEWORKER, ADMIN})
IMDI_MUNI = IMDI | {MUNICIPALITY}
IMDI_MINISTRY = IMDI | {MINISTRY}
EVERY_ROLE = frozenset(Role.values)
RECEPTION = Role.RECEPTION_CENTRE

# Which roles may take which action. A permission not listed here is a KeyError, never a silent "no".
# The object (which region, which municipality) is checked by visible_to and by the services.
PERMISSIONS: dict[str, frozenset[str]] = {
    "core.home": EVERY_ROLE,
    # Settlement: cases with personal data are for IMDi and the municipality that has the case.
    "settlement.view_cases": IMDI_MUNI,
    "settlement.view_work_queue": IMDI,
    "settlement.view_overview": IMDI_MINISTRY,  # aggregates only, small counts suppressed outside IMDi
    "settlement.view_capacity": IMDI,
    "settlement.register_household": IMDI | {AGENCY},  # UDI through the API
    "settlement.household_form": IMDI,  # the web form; agencies have no web pages
    "settlement.read_households_api": IMDI_MUNI | {AGENCY},  # agencies: only what their token's scopes allow
    # Free-text special needs may hold health details: never to a municipality (the interview's consent decides
    # what a municipality sees, settlement.services.interviews); UDI wrote them, Bufetat follows the minors.
    "settlement.view_special_needs": IMDI | {AGENCY},
    "settlement.propose": IMDI,
    "settlement.assign": IMDI,
    "settlement.withdraw": IMDI,
    "settlement.exit": IMDI,
    "settlement.answer_proposal": frozenset({MUNICIPALITY}),  # accept or decline; writers only
    "settlement.register_settlement": frozenset({MUNICIPALITY}),  # writers only
    "settlement.municipality_pages": frozenset({MUNICIPALITY}),
    "settlement.record_decision": frozenset({MUNICIPALITY}),  # writers only
    "settlement.manage_requests": IMDI,
    "settlement.manage_contacts": IMDI,  # the contact register: a caseworker for the region's municipalities
    "settlement.register_decision_for_municipality": IMDI,  # "IMDi registrerer vedtakene" (evaluation 2261)
    "settlement.read_decisions_api": EVERY_ROLE,  # decisions are public municipal figures
    "settlement.read_aggregates_api": IMDI_MINISTRY | {AGENCY},
    # Family reunification and transfers between regional offices: IMDi, a caseworker in the household's region.
    "settlement.reunify": IMDI,  # link to a settled reference person and assign straight to its municipality
    "settlement.transfer": IMDI,
    # Unaccompanied minors under 15: Bufetat settles them in dialogue with IMDi and refunds the municipalities'
    # child-welfare costs (evaluation 3994-3999, 4210-4226). An agency only as Bufetat (AGENCY_ONLY below).
    "settlement.follow_minors": IMDI | {AGENCY},
    "settlement.propose_minors": IMDI | {AGENCY},  # the propose service; an agency only minors under 15
    "settlement.view_minor_refunds": IMDI | {AGENCY},
    # Settlement interview (bosettingssamtale): the reception centre holds and registers it (evaluation 3955-3958);
    # IMDi reads it all, a proposed/assigned municipality what the person consented to share (4664-4668).
    "settlement.reception_pages": frozenset({RECEPTION}),
    "settlement.register_interview": frozenset({RECEPTION}),
    "settlement.view_interviews": IMDI_MUNI | {RECEPTION},
    "settlement.waive_interview": IMDI,  # propose without an interview: a caseworker's logged override
    # Grants.
    "grants.view_schemes": IMDI_MINISTRY | {MUNICIPALITY},  # budgets, no personal data
    "grants.view_claims": IMDI_MUNI,  # names and DUF numbers of everyone on the claim
    "grants.calculate_claims": IMDI,
    "grants.approve_claim": frozenset({ADMIN}),
    "grants.pay_claims": frozenset({ADMIN}),
    "grants.view_batches": frozenset({ADMIN}),  # one payment file for every region's claims (grants.querysets)
    "grants.view_applications": IMDI_MUNI,
    "grants.submit_application": IMDI_MUNI,  # a municipality's writers for their own; IMDi for organisations
    "grants.assess_application": IMDI,  # a caseworker: applications from the region's municipalities
    "grants.decide_application": frozenset({ADMIN}),  # grant or reject; never the assessor (grants.workflows)
    "grants.pay_application": frozenset({ADMIN}),
    "grants.report_on_grant": IMDI_MUNI,  # the grantee: the municipality's writers, IMDi for organisations
    "grants.dispute_claim": frozenset({MUNICIPALITY}),  # a line of its own claim; writers only
    "grants.resolve_dispute": IMDI,  # correct the data and recompute (a caseworker: the region's municipalities)
    "grants.send_letter": IMDI,  # decision letters for approved claims of ended quarters (caseworker: own region)
    "grants.view_overdue_reports": IMDI,  # grantees' overdue reports (a caseworker: the region's municipalities)
    "grants.remind_reports": IMDI,
    "grants.view_participation": IMDI_MUNI,  # NIR: a person's introduction programme and Norwegian-training hours
    "grants.record_participation": IMDI_MUNI,  # the municipality's writers for its settled persons; IMDi in its region
    "grants.register_self_settlement": IMDI,  # where a self-settled household lives: its grants go to that municipality
    # Agreements.
    "agreements.view": IMDI_MINISTRY | {MUNICIPALITY},
    "agreements.read_api": IMDI_MUNI | {AGENCY},  # an agency: the agreements it is party to
    "agreements.manage": IMDI,  # create, action items, meetings
    "agreements.report": IMDI_MUNI,  # the yearly status report: IMDi or a party municipality's writer
    "agreements.complete_action_item": IMDI_MUNI,  # the owner office or a party municipality's writer
    "agreements.send_reminder": IMDI,
    "agreements.view_follow_up": IMDI_MINISTRY,
    "agreements.view_comparison": IMDI_MINISTRY,
    "agreements.view_templates": IMDI,
    "agreements.manage_templates": IMDI,  # a region's templates by its caseworkers, national ones by the admin
    "agreements.view_contacts": IMDI,  # municipalities without an agreement and the contact log (names of contacts)
    "agreements.record_contact": IMDI,  # the municipality's regional office or the national admin
    # Reporting (aggregates).
    "reporting.view": IMDI_MINISTRY,
    "reporting.read_api": IMDI_MINISTRY | {AGENCY},
    "reporting.request_snapshot": IMDI,
    "reporting.record_indicator": frozenset({ADMIN}),
    "reporting.record_verdict": frozenset({ADMIN}),
}


# Permissions an agency holds only as one named agency (core.models.Agency.code), on web pages and in services.
BUFETAT = "bufetat"
AGENCY_ONLY: dict[str, frozenset[str]] = {
    "settlement.follow_minors": frozenset({BUFETAT}),
    "settlement.propose_minors": frozenset({BUFETAT}),
    "settlement.view_minor_refunds": frozenset({BUFETAT}),
}


def agency_code(actor) -> str | None:
    """The code of the actor's agency (one query), None for a user without one."""
    if actor.agency_id is None:
        return None
    from .models import Agency

    return Agency.objects.filter(pk=actor.agency_id).values_list("code", flat=True).first()


def is_bufetat(actor) -> bool:
    return actor.role == AGENCY and agency_code(actor) == BUFETAT


def can(actor, permission: str) -> bool:
    """Whether the actor's role may take the action at all (the object is checked by visible_to/services)."""
    if actor.role not in PERMISSIONS[permission]:
        return False
    if actor.role == AGENCY and permission in AGENCY_ONLY:
        return agency_code(actor) in AGENCY_ONLY[permission]
    return True


def require(actor, permission: str) -> None:
    """Raise Forbidden(role_not_allowed) unless the actor's role may take the action."""
    if not can(actor, permission):
        raise Forbidden("Du har ikke tilgang til denne handlingen.", code="role_not_allowed")


def may_write(actor, permission: str) -> bool:
    """can(), and a municipality user also needs write access: the only role with read-only users."""
    return can(actor, permission) and (actor.role != MUNICIPALITY or actor.can_write)


def require_write_access(actor) -> None:
    """Raise Forbidden(read_only) for a municipality user without write access."""
    if actor.role == MUNICIPALITY and not actor.can_write:
        raise Forbidden("Du har bare lesetilgang for kommunen.", code="read_only")


def require_municipality_writer(actor, permission: str, municipality_id) -> None:
    """A municipal write: the permission's role, the actor's own municipality (other_municipality), then write
    access (read_only). The object's municipality is checked before write access, so an outsider learns nothing."""
    if not can(actor, permission) or actor.role != MUNICIPALITY or actor.municipality_id != municipality_id:
        raise Forbidden("Bare brukere i kommunen kan gjøre dette.", code="other_municipality")
    require_write_access(actor)


def require_region(actor, permission: str, region_id, *, national_open: bool = False,
                   message: str = "Saken tilhører et annet regionkontor.") -> None:
    """IMDi's writes: the permission's role (role_not_allowed), then a caseworker only in their own region
    (other_region). With `national_open`, an object without a region (a national agreement) is open to every office."""
    require(actor, permission)
    if national_open and region_id is None:
        return
    if actor.role == CASEWORKER and region_id != actor.region_id:
        raise Forbidden(message, code="other_region")


def can_open(actor, url: str) -> bool:
    """Whether the page at `url` lets the actor in: the navigation offers only such links."""
    try:
        view_class = getattr(resolve(url).func, "view_class", None)
    except Resolver404:
        return False
    permission = getattr(view_class, "permission", None)
    # Views outside the policy (Django admin, login) guard themselves.
    return permission is None or can(actor, permission)


def restrict(queryset, actor, *, region: str | None = None, municipality: str | None = None,
             sees_all=frozenset({ADMIN})):
    """NetBox-style restrict(): the rows of `queryset` the actor may see.

    A national admin (and any role in `sees_all`) sees every row; a caseworker the rows whose `region` path is
    their region; a municipality user the rows whose `municipality` path is their municipality; anyone else
    none. A path left out means the role sees nothing of that model."""
    if actor.role in sees_all:
        return queryset
    if actor.role == CASEWORKER and region is not None:
        return queryset.filter(**{region: actor.region_id})
    if actor.role == MUNICIPALITY and municipality is not None:
        return queryset.filter(**{municipality: actor.municipality_id})
    return queryset.none()


def has_scope(actor, scope: str) -> bool:
    """A token's scope; a browser session (scopes None) is limited by its role alone."""
    return actor.scopes is None or scope in actor.scopes


# API token scopes that let an agency read households (persons:write includes reading back what it registered).
AGENCY_OWN_HOUSEHOLDS = (ApiScope.PERSONS_READ, ApiScope.PERSONS_WRITE)
