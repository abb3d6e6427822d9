from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data: the only package that imports every app."""

    name = "demo"
    verbose_name = "Demodata"
