"""The grant claims API: each client sees the claims its role and token allow."""

from datetime import date

from rest_framework.test import APIClient

from core.api.auth import issue_token
from core.models import Agency, ApiScope, Role
from grants import services

from .factories import settle


def test_claims_api_scope(schemes, ref, users, make_user):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    services.build_claims(2025, 2)

    def numbers(user, scopes=None):
        client = APIClient()
        if scopes is None:
            client.force_authenticate(user)  # a browser session: the role's own scopes
        else:
            client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user, 'test', scopes)[1]}")
        response = client.get("/api/v1/grant-claims/")
        if response.status_code != 200:
            return response.status_code
        return [c["municipality_number"] for c in response.json()["results"]]

    agency = make_user(Role.AGENCY, "nav-client", agency=Agency.objects.first())
    assert numbers(users["admin"]) == ["0301", "1201"]
    assert numbers(users["oslo"]) == ["0301"]
    assert numbers(users["cw_vest"]) == ["1201"]  # a caseworker: the region's municipalities only
    assert numbers(users["ministry"]) == 403
    # Claims name everyone on them: an agency gets none, even with grants:read (the web gives it none either).
    assert numbers(agency, [ApiScope.GRANTS_READ]) == 403
    assert numbers(agency, [ApiScope.SETTLEMENT_READ]) == 403


def test_api_shows_claim_versions(schemes, ref, users, actors):
    from grants.models import GrantClaim

    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    claim = GrantClaim.objects.get()
    line = claim.lines.filter(person__isnull=False).first()
    dispute = services.dispute_claim_line(actors["oslo"], line, reason="Feil dato.")
    new = services.resolve_dispute(actors["cw_ost"], dispute, resolution="Rettet.", corrected_settled_on=date(2025, 7, 1))
    client = APIClient()
    client.force_authenticate(users["oslo"])
    rows = {r["id"]: r for r in client.get("/api/v1/grant-claims/").json()["results"]}
    assert (rows[claim.pk]["status"], rows[claim.pk]["version"]) == ("superseded", 1)
    assert (rows[new.pk]["version"], rows[new.pk]["supersedes"], rows[new.pk]["total"]) == (2, claim.pk, "0.00")
