"""Values every page's layout needs: the company name and the navigation."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse

_NAV = [
    ("dashboard", "Dashboard", "dashboard"),
    ("check", "Check address", "address_check"),
    ("leads", "Leads", "lead_list"),
    ("contacts", "Contacts", "contact_list"),
    ("crm", "CRM account", "crm_account"),
]


def portal(request):
    nav = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        entries = list(_NAV)
        if user.is_staff:
            entries.append(("reports", "Reports", "reports"))
            entries.append(("crm_fields", "MyCRM fields", "crm_fields"))
            entries.append(("admin", "Admin", "admin:index"))
            if settings.SANDBOX_ENABLED:
                entries.append(("sandbox", "Sandbox", "sandbox_home"))
        for key, label, url_name in entries:
            try:
                nav.append((key, label, reverse(url_name)))
            except NoReverseMatch:  # a section whose app is not mounted
                continue
    match = getattr(request, "resolver_match", None)
    return {
        "COMPANY_NAME": settings.COMPANY_NAME,
        "SANDBOX_ENABLED": settings.SANDBOX_ENABLED,
        "nav_items": nav,
        "nav_current": _section(match.url_name if match else ""),
    }


def _section(url_name: str | None) -> str:
    name = url_name or ""
    for prefix, section in (
        ("address_", "check"),
        ("bulk_", "check"),
        ("lead_", "leads"),
        ("contact_", "contacts"),
        ("crm_fields", "crm_fields"),
        ("crm_", "crm"),
        ("dashboard", "dashboard"),
        ("help", "help"),
        ("reports", "reports"),
        ("profile", "profile"),
    ):
        if name.startswith(prefix):
            return section
    return ""
