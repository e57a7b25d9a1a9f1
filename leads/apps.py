from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "leads"
    verbose_name = "Leads and contacts"

    def ready(self):
        from . import tasks  # noqa: F401  (connects the receivers that enqueue work)
