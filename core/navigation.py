"""The main menu, defined once per role. A link shows only where the one access policy (the target
view's permission in core.policy) lets the user in, so the menu never offers a page that answers 403."""

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from .models import Role
from .policy import can_open

STAFF = (Role.CASEWORKER, Role.NATIONAL_ADMIN)


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    children: tuple["NavItem", ...] = ()
    staff_only: bool = False  # Django admin lets in only is_staff users


@dataclass
class NavLink:
    label: str
    url: str
    current: bool = False
    children: list["NavLink"] = field(default_factory=list)


_STAFF_MENU = (
    NavItem("Arbeidskø", "settlement:work_queue"),
    NavItem("Ny husstand", "settlement:household_new"),
    NavItem("Fordelingslister", "settlement:distribution_lists"),
    NavItem("Utsøking", "settlement:matching"),
    NavItem("Kapasitet", "settlement:capacity"),
    NavItem("Anmodninger", "settlement:requests", (
        NavItem("Anmodningsplan", "settlement:request_plan"),
        NavItem("Kontaktregister", "settlement:contacts"),
        NavItem("Registrer vedtak", "settlement:decision_register"),
    )),
    NavItem("Oversikt", "settlement:overview"),
    NavItem("Enslige mindreårige", "settlement:minors", (NavItem("Refusjon", "settlement:minor_refunds"),)),
    NavItem("Tilskudd", "grants:schemes", (
        NavItem("Søknader", "grants:applications"),
        NavItem("Krav", "grants:claims"),
    )),
    NavItem("Avtaler", "agreements:follow_up", (NavItem("Alle avtaler", "agreements:list"),)),
    NavItem("Rapportering", "reporting:dashboard", (
        NavItem("Rapporter", "reporting:snapshots"),
        NavItem("Måloppnåelse", "reporting:goals"),
    )),
)

_MUNICIPALITY_MENU = (
    NavItem("Innboks", "settlement:inbox"),
    NavItem("Vedtak", "settlement:decision"),
    NavItem("Bosetting", "settlement:settlement_registration"),
    NavItem("Anmodninger", "settlement:requests"),
    NavItem("Fordelingslister", "settlement:distribution_lists"),
    NavItem("Tilskudd", "grants:schemes", (
        NavItem("Søknader", "grants:applications"),
        NavItem("Krav", "grants:claims"),
    )),
    NavItem("Avtaler", "agreements:list"),
)

_MINISTRY_MENU = (
    NavItem("Rapportering", "reporting:dashboard"),
    NavItem("Måloppnåelse", "reporting:goals"),
    NavItem("Rapporter", "reporting:snapshots"),
    NavItem("Oversikt", "settlement:overview"),
    NavItem("Tilskudd", "grants:schemes"),
    NavItem("Avtaler", "agreements:comparison"),
)

# An agency's web users: Bufetat follows the unaccompanied minors under 15 (core.policy.AGENCY_ONLY); others see none.
_AGENCY_MENU = (
    NavItem("Enslige mindreårige", "settlement:minors"),
    NavItem("Refusjon", "settlement:minor_refunds"),
)

_RECEPTION_MENU = (NavItem("Bosettingsklare", "settlement:reception"),)

MENUS = {
    Role.CASEWORKER: _STAFF_MENU,
    Role.NATIONAL_ADMIN: _STAFF_MENU + (NavItem("Grunndata", "admin:index", staff_only=True),),
    Role.MUNICIPALITY: _MUNICIPALITY_MENU,
    Role.MINISTRY: _MINISTRY_MENU,
    Role.RECEPTION_CENTRE: _RECEPTION_MENU,
    Role.AGENCY: _AGENCY_MENU,
}


def _link(item: NavItem, actor) -> NavLink | None:
    if item.staff_only and not getattr(actor.user, "is_staff", False):
        return None
    try:
        url = reverse(item.url_name)
    except NoReverseMatch:
        return None  # a page renamed or removed: leave it out rather than break every page
    if not can_open(actor, url):
        return None
    children = [c for c in (_link(child, actor) for child in item.children) if c]
    return NavLink(item.label, url, children=children)


def _mark_current(links: list[NavLink], path: str) -> None:
    """The link whose address is the current path, or else its longest prefix, gets aria-current."""

    def score(url: str) -> int:
        if path == url:
            return 10**6
        return len(url) if url != "/" and path.startswith(url) else 0

    candidates = [c for link in links for c in (link, *link.children)]
    best = max(candidates, key=lambda c: score(c.url), default=None)
    if best is not None and score(best.url) > 0:
        best.current = True


def menu_for(actor, path: str = "") -> list[NavLink]:
    items = MENUS.get(actor.role, ())
    links = [link for link in (_link(item, actor) for item in items) if link]
    _mark_current(links, path)
    return links
