from django.apps import AppConfig


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = "Bosetting"

    def ready(self):
        from .tables import signature_once_per_function

        signature_once_per_function()  # django-tables2's per-cell inspect.signature, once per function (issue 14)
