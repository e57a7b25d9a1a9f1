"""System checks: configuration mistakes that must show before the portal serves anyone."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

from .crypto import _configured_keys, _multifernet


@register(Tags.security)
def check_encryption_keys(app_configs, **kwargs):
    try:
        _multifernet(_configured_keys())
    except Exception as exc:
        return [Error(str(exc), id="portal.E001")]
    return []


@register(Tags.security, deploy=True)
def check_sandbox_off_in_production(app_configs, **kwargs):
    if settings.SANDBOX_ENABLED and not settings.DEBUG:
        return [
            Warning(
                "The sandbox CRM is on with DEBUG off: reps' data goes to the emulator, not MyCRM.",
                hint="Unset SANDBOX_ENABLED and set MYCRM_URL and SERVICEABILITY_URL.",
                id="portal.W001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_upstreams_use_https(app_configs, **kwargs):
    """Session ids and customer data cross the network to MyCRM; addresses to the address service."""
    found = []
    for name in ("MYCRM_URL", "SERVICEABILITY_URL"):
        url = getattr(settings, name, "") or ""
        if url.lower().startswith("http://") and not settings.SANDBOX_ENABLED:
            found.append(
                Warning(
                    f"{name} is plain HTTP ({url[:60]}): session ids and customer data would cross the "
                    "network in clear.",
                    hint=f"Use an https:// URL for {name}.",
                    id="portal.W002",
                )
            )
    return found
