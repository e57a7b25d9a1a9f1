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

from .crm_options import crm_user_names

logger = logging.getLogger(__name__)

PHONE_FIELDS = ("phone", "mobile", "homephone", "pager")
CHECKED_FIELDS = (*PHONE_FIELDS, "email")
_KEEP_SECONDS = 300


def _key(user, kind: str, value: str) -> str:
    text = "|".join([str(user.pk), kind, value])
    return "dupes:" + hashlib.sha256(text.encode()).hexdigest()


def duplicate_matches(*, user, email: str = "", phones=()) -> list[Hit]:
    """MyCRM's Leads and Contacts with this e-mail (any case) or one of these phones (any format).

    Each value is checked once and remembered on its own, so the check made while the rep typed a
    field answers the one made on submit without a CRM call.
    """
    wanted = []
    if email.strip() and "\\" not in email:
        wanted.append(("email", email.strip().lower()))
    wanted += sorted({("phone", d) for d in (vtql.phone_digits(p) for p in phones if p) if d})
    hits: dict[str, Hit] = {}
    owner_name = None
    for kind, value in wanted:
        key = _key(user, kind, value)
        found = cache.get(key)
        if found is None:

            def condition_for(module: str, kind=kind, value=value) -> str:
                return vtql.email_condition(value) if kind == "email" else vtql.phone_condition(module, value)

            owner_name = owner_name or crm_user_names(user=user)
            try:
                found = matching_records(user=user, condition_for=condition_for, owner_name=owner_name)
            except CrmError as exc:
                logger.info("Duplicate check skipped: %s", exc.code or type(exc).__name__)
                continue
            cache.set(key, found, _KEEP_SECONDS)
        for hit in found:
            hits.setdefault(hit.crm_id, hit)
    return list(hits.values())


def duplicates_for_form(*, user, cleaned: dict) -> list[Hit]:
    return duplicate_matches(
        user=user, email=cleaned.get("email") or "", phones=[cleaned.get(n) or "" for n in PHONE_FIELDS]
    )
