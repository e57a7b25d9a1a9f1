"""Reads of a rep's address checks, for the pages (keyword-only, named <noun>_list)."""

from serviceability.models import AddressCheck


def address_check_list(*, user):
    """All of the rep's own checks, newest first (for the history page)."""
    return AddressCheck.objects.filter(user=user).order_by("-created_at", "-id")


def address_check_recent_list(*, user, limit: int = 5) -> list[AddressCheck]:
    """The rep's latest checks, newest first (for the dashboard)."""
    return list(address_check_list(user=user)[:limit])
