from django.apps import AppConfig


class CrmRecordsConfig(AppConfig):
    name = "crmrecords"
    verbose_name = "MyCRM's records"

    def ready(self):
        from . import tasks  # noqa: F401  (connects the receiver that enqueues edit retries)
