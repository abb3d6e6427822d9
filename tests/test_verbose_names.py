"""Norwegian labels in Django admin: every model and every field a user sees has a Norwegian verbose_name, not
Django's default made from the English attribute name (created_by -> "created by")."""

import re

from django.apps import apps
from django.urls import reverse

APPS = ("core", "settlement", "grants", "agreements", "reporting")
# English attribute names that are also the Norwegian word.
SAME_IN_NORWEGIAN = {"status", "region", "person"}


def _default(name: str) -> str:
    return name.replace("_", " ")


def test_every_model_and_field_has_a_norwegian_label():
    missing = []
    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical"):
                continue
            split = " ".join(re.findall(r"[A-Z][a-z]*", model.__name__)).lower()
            if model._meta.verbose_name == split and model._meta.model_name not in SAME_IN_NORWEGIAN:
                missing.append(f"{app}.{model.__name__}")
            for field in model._meta.get_fields():
                if field.auto_created or not hasattr(field, "verbose_name") or field.name in SAME_IN_NORWEGIAN:
                    continue
                if field.verbose_name == _default(field.name):
                    missing.append(f"{app}.{model.__name__}.{field.name}")
    assert missing == []


def test_admin_shows_the_norwegian_labels(client, users):
    from grants.models import GrantClaim

    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    client.force_login(users["admin"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "Tilskuddskrav" in html
    assert GrantClaim._meta.get_field("approved_by").verbose_name == "godkjent av"
    assert apps.get_model("grants", "GrantClaimLine")._meta.verbose_name_plural == "kravlinjer"
