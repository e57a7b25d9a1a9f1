from django.apps import AppConfig


class ServiceabilityConfig(AppConfig):
    name = "serviceability"

    def ready(self):
        from . import tasks  # noqa: F401  (connects the receiver that enqueues bulk lists)
