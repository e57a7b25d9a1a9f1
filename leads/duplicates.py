"""Leads and Contacts already in MyCRM with the phone or e-mail a rep is typing: shown under the
field while they type, asked about once on submit, and offered when MyCRM's own duplicate
prevention refuses a create ("Duplicate(s) detected!", code 0), so that a refusal leads somewhere.

A value already checked is answered from the cache (no CRM call); a CRM that cannot answer means
no warning, never a blocked form (the submission is kept either way).
"""

import hashlib
import logging

from django.core.cache import cache

from mycrm_portal.crm import vtql
from mycrm_portal.crm.client import CrmError
from mycrm_portal.crm.records import Hit, matching_records

from .crm_options import crm_user_name

logger = logging.getLogger(__name__)

PHONE_FIELDS = ("phone", "mobile", "homephone", "pager")
CHECKED_FIELDS = (*PHONE_FIELDS, "email")
_KEEP_SECONDS = 300


def _key(user, email: str, digits: tuple[str, ...]) -> str:
    text = "|".join([str(user.pk), email.lower(), *digits])
    return "dupes:" + hashlib.sha256(text.encode()).hexdigest()


def duplicate_matches(*, user, email: str = "", phones=()) -> list[Hit]:
    """MyCRM's Leads and Contacts with this e-mail (any case) or one of these phones (any format)."""
    email = email.strip()
    digits = tuple(sorted({d for d in (vtql.phone_digits(p) for p in phones if p) if d}))
    if not email and not digits:
        return []
    key = _key(user, email, digits)
    cached = cache.get(key)
    if cached is not None:
        return cached

    def condition_for(module: str) -> str:
        parts = [vtql.email_condition(email)] if email and "\\" not in email else []
        parts += [vtql.phone_condition(module, d) for d in digits]
        return " or ".join(parts)

    try:
        hits = matching_records(
            user=user, condition_for=condition_for, owner_name=lambda crm_id: crm_user_name(crm_id, user=user)
        )
    except CrmError as exc:
        logger.info("Duplicate check skipped: %s", exc.code or type(exc).__name__)
        return []
    cache.set(key, hits, _KEEP_SECONDS)
    return hits


def duplicates_for_form(*, user, cleaned: dict) -> list[Hit]:
    return duplicate_matches(
        user=user, email=cleaned.get("email") or "", phones=[cleaned.get(n) or "" for n in PHONE_FIELDS]
    )
