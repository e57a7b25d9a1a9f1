from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        from . import rollups  # noqa: F401  (connects the receivers that keep the counts)
