"""Reads of address checks, for the pages (keyword-only, named <noun>_list)."""

from mycrm_portal import access
from serviceability.models import AddressCheck


def address_check_list(*, user):
    """The checks this user may see (access.py: their own, their teams' for a lead, all for staff),
    newest first (for the history page)."""
    qs = access.visible(AddressCheck.objects.select_related("user"), user, "user")
    return qs.order_by("-created_at", "-id")


def address_check_recent_list(*, user, limit: int = 5) -> list[AddressCheck]:
    """The rep's own latest checks, newest first (for the dashboard)."""
    return list(AddressCheck.objects.filter(user=user).order_by("-created_at", "-id")[:limit])
