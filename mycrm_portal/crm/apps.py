from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "mycrm_portal.crm"
    label = "crm"
    verbose_name = "CRM accounts"

    def ready(self):
        from . import (  # noqa: F401  (connect their receivers)
            fieldfit,  # forgets the cached send plans when describe or a staff choice changes
            tasks,  # enqueues the audit prune
        )
