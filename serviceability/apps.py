from django.apps import AppConfig


class ServiceabilityConfig(AppConfig):
    name = "serviceability"
