"""The API answers in Norwegian (LANGUAGE_CODE nb): DRF's own validation and authentication messages come from its
Norwegian translation, the throttle message from core.api.exceptions; codes stay stable."""

import pytest
from django.core.cache import cache
from rest_framework import serializers
from rest_framework.test import APIClient


def test_drf_validation_and_authentication_messages_are_norwegian(users):
    anonymous = APIClient()
    response = anonymous.get("/api/v1/grant-claims/")
    assert response.status_code in (401, 403)
    assert response.json() == {"message": "Manglende autentiseringsinformasjon.", "code": "not_authenticated"}

    client = APIClient()
    client.force_authenticate(users["admin"])
    response = client.post("/api/v1/settlement-ready/", {"persons": [{}]}, format="json")
    assert response.status_code in (400, 403)
    body = str(response.json())
    assert "This field is required" not in body
    if response.status_code == 400:
        assert "Dette feltet er påkrevd." in body
    with pytest.raises(serializers.ValidationError) as exc:
        serializers.IntegerField().run_validation("")
    assert exc.value.detail == ["Dette feltet er påkrevd."] or exc.value.detail == ["En gyldig heltall er nødvendig."]



def test_throttle_message_is_norwegian(users, settings):
    cache.clear()
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "user": "1/minute"}
    client = APIClient()
    client.force_authenticate(users["admin"])
    assert client.get("/api/v1/grant-claims/").status_code == 200
    response = client.get("/api/v1/grant-claims/")
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled" and body["message"].startswith("For mange forespørsler. Prøv igjen om ")
    assert "Expected" not in body["message"] and "throttled" not in body["message"]
    cache.clear()
