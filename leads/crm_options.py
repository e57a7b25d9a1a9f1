"""Choices the forms take from MyCRM: the Lead Source picklist (describe) and the CRM users a record
can be assigned to (a Users query).

A form page never waits for the CRM: it shows what the cache holds (even past its freshness) or a
built-in fallback (the stock picklist; the rep alone as assignee), and a background task refreshes
the cache when it is missing or older than CRM_DESCRIBE_CACHE_SECONDS (announced by the
crm_options_stale signal; leads/tasks.py enqueues the refresh).
"""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from mycrm_portal import once
from mycrm_portal.crm.client import CrmError, picklist_values
from mycrm_portal.crm.fieldfit import describe_store, plan_key
from mycrm_portal.crm.schema import DEFAULT_LEADSOURCES
from mycrm_portal.crm.selectors import crm_account_for
from mycrm_portal.crm.sessions import crm_session_for

from .signals import crm_options_stale

logger = logging.getLogger(__name__)

SELF = "self"  # "assign to me" before the rep's CRM user id is known
MODULES = ("Leads", "Contacts")
_KEEP_SECONDS = 7 * 24 * 3600  # how long a refreshed list may be shown while the CRM cannot answer
_USERS = "crm:options:users"
_REFRESHING = "crm:options:refreshing"


def _picklist_key(module: str) -> str:
    return f"crm:options:{module}:leadsource"


def form_reads(module: str) -> dict:
    """What a lead or contact form reads from the cache (its two lists and the send plan) in one
    round trip: hand it to leadsource_choices, assignee_choices and send_plan as `found`."""
    return cache.get_many([_picklist_key(module), _USERS, plan_key(module)])


def leadsource_choices(*, user, module: str, found: dict | None = None) -> list[str]:
    return _cached(_picklist_key(module), user, found) or list(DEFAULT_LEADSOURCES)


def assignee_choices(*, user, account, found: dict | None = None) -> list[tuple[str, str]]:
    """(CRM user id, name) pairs, the rep first; other CRM users when the CRM has listed them.
    `account`: the rep's CrmAccount (crm_account_for), or None; `found`: form_reads()."""
    own_id = account.crm_user_id if account and account.crm_user_id else SELF
    own_name = (account.crm_name if account else "") or user.get_full_name() or user.username
    choices = [(own_id, f"Me ({own_name})")]
    others = _cached(_USERS, user, found) if account else None
    choices += [(crm_id, name) for crm_id, name in others or [] if crm_id != own_id]
    return choices


def assignee_label(submission) -> str:
    """Who a submission is assigned to, by name when the portal knows it (never asks the CRM)."""
    value = submission.assigned_user_id
    if value == SELF:
        return "The rep who submitted it"
    known = crm_user_names(user=submission.submitted_by).known
    return f"{known[value]} ({value})" if value in known else value


def crm_user_names(*, user):
    """name(crm_id): a CRM user's name as far as the portal knows it (the rep's own account, or the
    cached user list), read once for a whole page; never asks the CRM while a page waits."""
    entry = cache.get(_USERS)
    known = dict(entry["values"]) if entry else {}
    account = crm_account_for(user=user)
    if account and account.crm_user_id:
        known[account.crm_user_id] = account.crm_name or user.get_full_name() or user.get_username()

    def name(crm_id: str) -> str:
        # A rep's CRM user may not list MyCRM's users (capture 393): then the id is all there is.
        return known.get(crm_id) or (f"MyCRM user {crm_id}" if crm_id else "")

    name.known = known
    return name


def _cached(key: str, user, found: dict | None = None):
    """What the cache holds for `key` (None when nothing), asking for a refresh when it is stale.
    `found`: what the cache held for this and other keys a moment ago (form_reads)."""
    entry = found.get(key) if found is not None else cache.get(key)
    # One refresh (of every list) at a time, and at most one a minute while the CRM cannot answer;
    # a process that asked in the last minute does not ask the shared cache again.
    stale = entry is None or entry["fresh_until"] < time.time()
    if stale and not once.recently(_REFRESHING, 60) and cache.add(_REFRESHING, 1, timeout=60):
        transaction.on_commit(lambda: crm_options_stale.send(sender=None, user=user))
    return entry["values"] if entry else None


def _display_name(row: dict) -> str:
    return " ".join(p for p in (row.get("first_name"), row.get("last_name")) if p) or row.get("user_name", "")


def crm_options_refresh(*, user) -> None:
    """Ask the CRM (as `user`) for the picklists, the fields (kept for the field fit) and the user
    list, and cache what it answers.
    A failure keeps what the cache had: the forms go on with it or with the fallback."""
    fresh_until = time.time() + settings.CRM_DESCRIBE_CACHE_SECONDS
    try:
        crm = crm_session_for(user)
        for module in MODULES:
            description = crm.describe(module)
            describe_store(module, description)  # the field fit (crm/fieldfit.py) reads the same answer
            values = [v.value for v in picklist_values(description, "leadsource")]
            if values:
                cache.set(_picklist_key(module), {"values": values, "fresh_until": fresh_until}, _KEEP_SECONDS)
    except CrmError as exc:
        logger.info("Lead Source picklists not refreshed (%s)", exc.code or type(exc).__name__)
    try:
        rows = crm_session_for(user).query(
            "select id, user_name, first_name, last_name from Users where status = 'Active' limit 100;"
        )
    except CrmError as exc:
        # A rep without permission to list users (or a CRM outage): reps assign to themselves.
        logger.info("CRM users not refreshed (%s)", exc.code or type(exc).__name__)
        return
    users = sorted(((str(row["id"]), _display_name(row)) for row in rows if row.get("id")), key=lambda u: u[1].lower())
    cache.set(_USERS, {"values": users, "fresh_until": fresh_until}, _KEEP_SECONDS)
