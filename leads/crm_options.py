"""Choices the forms take from MyCRM: the Lead Source picklist (describe) and the CRM users a record
can be assigned to (a Users query).

Both are cached for CRM_DESCRIBE_CACHE_SECONDS; when the CRM cannot answer, a built-in fallback is
used (and remembered for a few minutes, so that a CRM outage slows one form render, not every one).
"""

import logging

from django.conf import settings
from django.core.cache import cache

from mycrm_portal.crm.client import CrmError, picklist_values
from mycrm_portal.crm.models import CrmAccount
from mycrm_portal.crm.schema import DEFAULT_LEADSOURCES
from mycrm_portal.crm.sessions import crm_session_for

logger = logging.getLogger(__name__)

_FALLBACK_SECONDS = 300
SELF = "self"  # "assign to me" before the rep's CRM user id is known


def leadsource_choices(*, user, module: str) -> list[str]:
    key = f"crm:picklist:{module}:leadsource"
    values = cache.get(key)
    if values is None:
        try:
            values = [v.value for v in picklist_values(crm_session_for(user).describe(module), "leadsource")]
            timeout = settings.CRM_DESCRIBE_CACHE_SECONDS
        except CrmError as exc:
            logger.info(
                "Lead Source picklist unavailable (%s); using the built-in list", exc.code or type(exc).__name__
            )
            values, timeout = [], _FALLBACK_SECONDS
        values = values or list(DEFAULT_LEADSOURCES)
        cache.set(key, values, timeout)
    return values


def assignee_choices(*, user) -> list[tuple[str, str]]:
    """(CRM user id, name) pairs, the rep first. Other CRM users when the CRM lists them."""
    account = CrmAccount.objects.filter(user=user).first()
    own_id = account.crm_user_id if account and account.crm_user_id else SELF
    own_name = (account.crm_name if account and account.crm_name else None) or user.get_full_name() or user.username
    choices = [(own_id, f"Me ({own_name})")]
    for crm_id, name in _crm_users(user) if account else []:
        if crm_id != own_id:
            choices.append((crm_id, name))
    return choices


def assignee_label(submission) -> str:
    """Who a submission is assigned to, by name when the portal knows it (never asks the CRM)."""
    value = submission.assigned_user_id
    if value == SELF:
        return "The rep who submitted it"
    account = CrmAccount.objects.filter(user_id=submission.submitted_by_id).only("crm_user_id", "crm_name").first()
    if account and value == account.crm_user_id:
        return f"{account.crm_name or submission.submitted_by.get_username()} ({value})"
    names = dict(cache.get("crm:users") or [])
    return f"{names[value]} ({value})" if value in names else value


def _crm_users(user) -> list[tuple[str, str]]:
    key = "crm:users"
    users = cache.get(key)
    if users is None:
        try:
            rows = crm_session_for(user).query(
                "select id, user_name, first_name, last_name from Users where status = 'Active' limit 100;"
            )
            users = sorted(
                (
                    (
                        str(r.get("id", "")),
                        " ".join(p for p in (r.get("first_name"), r.get("last_name")) if p) or r.get("user_name", ""),
                    )
                    for r in rows
                    if r.get("id")
                ),
                key=lambda pair: pair[1].lower(),
            )
            cache.set(key, users, settings.CRM_DESCRIBE_CACHE_SECONDS)
        except CrmError as exc:
            # A rep without permission to list users (or a CRM outage) assigns to themselves.
            logger.info("CRM users unavailable (%s); offering the rep only", exc.code or type(exc).__name__)
            cache.set(key, [], _FALLBACK_SECONDS)
            users = []
    return users
