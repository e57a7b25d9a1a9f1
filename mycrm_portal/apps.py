from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "mycrm_portal"
    verbose_name = "Portal"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .admin_guard import guard_admin_filters

        guard_admin_filters()
