from django.apps import AppConfig


class CrmConfig(AppConfig):
    name = "mycrm_portal.crm"
    label = "crm"
    verbose_name = "CRM accounts"
