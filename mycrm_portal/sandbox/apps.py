from django.apps import AppConfig


class SandboxConfig(AppConfig):
    name = "mycrm_portal.sandbox"
    label = "sandbox"
    verbose_name = "Sandbox (MyCRM emulator)"
