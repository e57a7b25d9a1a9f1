from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "mycrm_portal.crm"
    label = "crm"
    verbose_name = "CRM accounts"

    def ready(self):
        from . import tasks  # noqa: F401  (connects the receiver that enqueues the audit prune)
