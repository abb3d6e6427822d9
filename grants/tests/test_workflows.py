"""The declared workflows: every state is reached, and which actions each user is offered."""

from grants.models import ApplicationStatus, ClaimStatus
from grants.workflows import APPLICATION, CLAIM

from .factories import ApplicationFactory


def test_every_state_is_reached_and_only_the_end_states_have_no_way_out():
    for workflow, states, start, ends in ((APPLICATION, ApplicationStatus, ApplicationStatus.SUBMITTED,
                                           {ApplicationStatus.REJECTED, ApplicationStatus.REPORTED}),
                                          (CLAIM, ClaimStatus, ClaimStatus.CALCULATED, {ClaimStatus.SUPERSEDED})):
        targets = {t.target for t in workflow.transitions.values()}
        sources = set().union(*(t.sources for t in workflow.transitions.values()))
        assert targets | {start} == set(states)
        assert set(states) - sources == ends


def test_actions_offered_by_state_role_and_party(jobbsjansen, ref, actors, admin2):
    submitted = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"])
    assessed_by_admin = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], assessed=True,
                                           assessed_by=actors["admin"].user)
    granted = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], granted=True)
    paid_oslo = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], paid=True)
    paid_org = ApplicationFactory(grant_year=jobbsjansen, paid=True)
    reported = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], reported=True)
    who = {"admin": actors["admin"], "admin2": admin2, "cw_ost": actors["cw_ost"], "cw_vest": actors["cw_vest"],
           "oslo": actors["oslo"], "oslo_read": actors["oslo_read"]}
    offered = {(app_name, name): APPLICATION.available(app, actor)
               for app_name, app in {"submitted": submitted, "assessed": assessed_by_admin, "granted": granted,
                                     "paid_oslo": paid_oslo, "paid_org": paid_org, "reported": reported}.items()
               for name, actor in who.items()}
    assert {key: actions for key, actions in offered.items() if actions} == {
        ("submitted", "admin"): {"assess"},
        ("submitted", "admin2"): {"assess"},
        ("submitted", "cw_ost"): {"assess"},  # Oslo is in region Øst; the caseworker in Vest is not offered it
        ("assessed", "admin2"): {"grant", "reject"},  # four eyes: not the admin who assessed it
        ("granted", "admin"): {"pay"},
        ("granted", "admin2"): {"pay"},
        ("paid_oslo", "oslo"): {"report"},  # the municipality reports, with write access
        ("paid_org", "admin"): {"report"},  # IMDi reports for an organisation
        ("paid_org", "admin2"): {"report"},
        ("paid_org", "cw_ost"): {"report"},
        ("paid_org", "cw_vest"): {"report"},
    }
