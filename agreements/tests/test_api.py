"""The agreements API: each role's scope, and agencies see the agreements they are party to."""

from datetime import date

from rest_framework.test import APIClient

from agreements import services
from agreements.models import AgreementType
from core.api.auth import issue_token
from core.models import Agency, ApiScope, Role

URL = "/api/v1/agreements/"


def _ids(client):
    return [a["id"] for a in client.get(URL).json()["results"]]


def test_agreements_api_scope(agreement, actors, users, make_user):
    udi = Agency.objects.get(code="udi")
    sector = services.create_agreement(actors["admin"], title="IMDi–UDI", agreement_type=AgreementType.SECTOR, region=None,
                                       start_date=date(2025, 1, 1), end_date=date(2025, 12, 31), purpose="x", agencies=[udi])
    session = APIClient()
    session.force_authenticate(users["oslo"])
    body = session.get(URL).json()["results"]
    assert [(a["id"], a["goals"]) for a in body] == [(agreement.pk, ["Bosette i tråd med vedtaket"])]
    _, key = issue_token(make_user(Role.AGENCY, "udi-client", agency=udi), "test", [ApiScope.AGREEMENTS_READ])
    token = APIClient()
    token.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert _ids(token) == [sector.pk]
