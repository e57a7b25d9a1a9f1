"""Share links: a public, expiring, revocable link to the public part of a stored check.

``share_link_create`` makes a random token (192 bits), stores only its SHA-256 hash and its first
characters, and hands the token back once, to be shown to the rep who made it. ``share_link_resolve``
finds the link for a token from a public URL; ``share_page_for`` builds what the public page shows,
from the stored snapshot (no upstream call) and through ``public.public_result``'s allow-list.

It must never store or log a token (the prefix at most), never give the public page anything but
``SharePage``, and never tell the public more of the rep than their work contact: name, e-mail
and the phone they put on their profile for customers (all left out once the rep is deactivated).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from mycrm_portal import access
from mycrm_portal.models import rep_phone
from serviceability.models import AddressCheck, ShareLink
from serviceability.public import PublicResult, public_result

# The FCC's own map, where a customer can look up their address themselves.
FCC_MAP_URL = "https://broadbandmap.fcc.gov/location-summary/fixed"

__all__ = [
    "ShareLinkGone",
    "ShareLinkNotFound",
    "ShareNotAllowed",
    "SharePage",
    "check_is_shareable",
    "share_link_can_revoke",
    "share_link_create",
    "share_link_resolve",
    "share_link_revoke",
    "share_links_active",
    "share_page_for",
    "token_digest",
]

logger = logging.getLogger(__name__)

TOKEN_BYTES = 24  # 192 bits; token_urlsafe makes 32 characters of them
PREFIX_LENGTH = 6
# Longer than any token we make; anything longer is not worth hashing.
_MAX_TOKEN_CHARS = 64

MSG_NOT_SHAREABLE = "This check has no result to share: only a check that found the address can be shared."


class ShareNotAllowed(Exception):
    """The check cannot be shared (no result, or no location found). ``str()`` is for the rep."""


class ShareLinkNotFound(Exception):
    """No link has this token."""


class ShareLinkGone(Exception):
    """The link existed but has expired or was revoked."""


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_is_shareable(check: AddressCheck) -> bool:
    """A check can be shared when its snapshot found a location (found, or stale with a result)."""
    return public_result(check.result) is not None


def share_link_create(*, check: AddressCheck, user) -> tuple[ShareLink, str]:
    """A new link to ``check``, valid for SHARE_LINK_DAYS; returns (link, token).

    The token is returned only here: the database keeps its hash.
    """
    if not check_is_shareable(check):
        raise ShareNotAllowed(MSG_NOT_SHAREABLE)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    created = timezone.now()
    link = ShareLink.objects.create(
        address_check=check,
        token_hash=token_digest(token),
        token_prefix=token[:PREFIX_LENGTH],
        created_by=user,
        created_at=created,
        expires_at=created + timedelta(days=settings.SHARE_LINK_DAYS),
    )
    logger.info("Share link %s… created for check %s by user %s", link.token_prefix, check.pk, user.pk)
    return link, token


def share_link_can_revoke(*, link: ShareLink, user) -> bool:
    """The link's maker, the leads of the maker's teams, and staff may revoke it (access.py)."""
    if not user.is_authenticated:
        return False
    return access.may_act_for(user, link.created_by_id)


def share_link_revoke(*, link: ShareLink, user) -> bool:
    """Revoke ``link`` at once; True if this call revoked it, False if it was already revoked.

    Raises ``PermissionDenied`` for anyone but its maker and staff (the view checks first).
    """
    if not share_link_can_revoke(link=link, user=user):
        raise PermissionDenied("Only the rep who made a share link, or staff, may revoke it.")
    # The first revocation is the one on record; one UPDATE, so two at once cannot both win.
    updated = ShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=user
    )
    link.refresh_from_db(fields=["revoked_at", "revoked_by"])
    if updated:
        logger.info("Share link %s… revoked by user %s", link.token_prefix, user.pk)
    return bool(updated)


def share_link_resolve(*, token: str) -> ShareLink:
    """The active link for ``token``; raises ``ShareLinkNotFound`` or ``ShareLinkGone``."""
    if not token or len(token) > _MAX_TOKEN_CHARS:
        raise ShareLinkNotFound
    try:
        link = ShareLink.objects.select_related("address_check", "created_by").get(token_hash=token_digest(token))
    except ShareLink.DoesNotExist:
        raise ShareLinkNotFound from None
    if not link.is_active:
        raise ShareLinkGone
    return link


def share_links_active(*, check: AddressCheck) -> list[ShareLink]:
    """The check's links that still open, newest first (for the permalink page)."""
    return list(check.share_links.active().select_related("created_by"))


@dataclass(frozen=True)
class SharePage:
    """Everything the public page shows, and nothing more."""

    street: str
    city: str
    state: str
    company_name: str
    data_date: date | None
    result: PublicResult
    rep_name: str = ""
    rep_phone: str = ""
    rep_email: str = ""

    @property
    def rep_phone_uri(self) -> str:
        """tel: link of the rep's phone ("(404) 555-0134 ext. 12" -> "tel:+14045550134;ext=12")."""
        number, _, extension = self.rep_phone.partition("ext")
        digits = "".join(ch for ch in number if ch.isdigit())
        ext = "".join(ch for ch in extension if ch.isdigit())
        if len(digits) == 10:
            digits = "1" + digits
        return f"tel:+{digits}" + (f";ext={ext}" if ext else "")

    @property
    def fcc_map_url(self) -> str:
        """The FCC National Broadband Map's search for this address (by address only: the
        customer's own look-up, nothing from the licensed location data)."""
        address = f"{self.street}, {self.city}, {self.state}"
        return f"{FCC_MAP_URL}?{urlencode({'addr': address})}"


def share_page_for(*, link: ShareLink) -> SharePage:
    """The public page of an active link, from the stored snapshot only (no upstream call)."""
    check = link.address_check
    result = public_result(check.result)
    if result is None:
        # Not made by share_link_create (which refuses such checks); nothing public to show.
        raise ShareLinkGone
    maker = link.created_by
    active = maker is not None and maker.is_active
    return SharePage(
        street=check.street,
        city=check.city,
        state=check.state,
        company_name=settings.COMPANY_NAME,
        rep_name=" ".join(maker.get_full_name().split()) if active else "",
        rep_phone=rep_phone(maker) if active else "",
        rep_email=maker.email if active else "",
        data_date=timezone.localdate(check.fetched_at) if check.fetched_at else None,
        result=result,
    )
