"""The audit trail of CRM writes: one CrmWrite row per create, update, revise and convert the
portal sends to MyCRM, written by CrmSession (sessions.py) around the call, whatever its outcome.

It records who, when, which record, which fields by name (never a value: some are sensitive),
the outcome and the duration. Writing the row must never break the write it records: a failure
to save it is logged, and the CRM's answer (or error) goes to the caller unchanged.

A caller that stores the outcome of its writes in a transaction of its own (a submission's send,
leads/sending.py) holds the rows (`held()`) and saves them in that transaction (`save_held`):
one commit instead of two, and the rows are saved alone if that transaction fails (it empties
the list only once it has committed).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone

from mycrm_portal import once

from .client import CrmError
from .models import CrmAccount, CrmWrite
from .signals import crm_writes_prune_due

logger = logging.getLogger(__name__)

_held: ContextVar[list[CrmWrite] | None] = ContextVar("crm_audit_held", default=None)

_MODULE_PREFIXES = {"10": "Leads", "12": "Contacts"}


def module_of(crm_id: str) -> str:
    """ "10x7" -> "Leads"; an unknown prefix -> ""."""
    return _MODULE_PREFIXES.get(crm_id.partition("x")[0], "")


def field_names(element: dict) -> list[str]:
    """The names of the fields sent (the record id is the target, not a field)."""
    return sorted(name for name in element if name not in ("id", "leadId", "entities"))


def _outcome(exc: CrmError) -> str:
    if exc.maybe_applied:
        return CrmWrite.Outcome.IN_DOUBT
    if exc.retryable:
        return CrmWrite.Outcome.UNAVAILABLE
    return CrmWrite.Outcome.REFUSED


def audited[T](
    account: CrmAccount, *, operation: str, module: str, crm_id: str, fields: list[str], call: Callable[[], T]
) -> T:
    """Make the CRM write `call` and record it. The new record's id is read from the answer."""
    started = time.monotonic()
    outcome, code, result = CrmWrite.Outcome.DONE, "", None
    try:
        result = call()
        return result
    except CrmError as exc:
        outcome, code = _outcome(exc), "" if exc.code is None else str(exc.code)
        raise
    except Exception:
        outcome, code = CrmWrite.Outcome.IN_DOUBT, "portal-error"
        raise
    finally:
        if isinstance(result, dict):
            crm_id = crm_id or str(result.get("id") or result.get("Contacts") or "")
        _record(
            account,
            operation=operation,
            module=module or module_of(crm_id),
            crm_id=crm_id,
            fields=fields,
            outcome=outcome,
            code=code,
            duration_ms=round((time.monotonic() - started) * 1000),
        )


def _record(account: CrmAccount, *, operation, module, crm_id, fields, outcome, code, duration_ms) -> None:
    row = CrmWrite(
        user_id=account.user_id,
        crm_username=account.crm_username,
        at=timezone.now(),
        operation=operation,
        module=module,
        crm_id=crm_id[:32],
        fields=fields,
        outcome=outcome,
        error_code=code[:64],
        duration_ms=duration_ms,
    )
    held_rows = _held.get()
    if held_rows is not None:
        held_rows.append(row)
    else:
        _save([row])


@contextmanager
def held() -> Iterator[list[CrmWrite]]:
    """Keep the audit rows of the writes made inside, for `save_held` in the caller's transaction."""
    rows: list[CrmWrite] = []
    token = _held.set(rows)
    try:
        yield rows
    finally:
        _held.reset(token)


def save_held(rows: list[CrmWrite]) -> None:
    """Save held rows, inside the caller's transaction or alone. The caller empties the list once
    its transaction has committed: rows saved in a transaction that then failed were not kept, and
    a second call saves them alone."""
    if rows:
        _save(list(rows))


def _save(rows: list[CrmWrite]) -> None:
    try:
        # A savepoint: a failed insert must not break a transaction the caller holds (PostgreSQL).
        with transaction.atomic():
            CrmWrite.objects.bulk_create(rows)
    except DatabaseError:
        logger.exception("Could not record a CRM %s in the audit trail", rows[0].operation)
        return
    # Once a day at most (across processes), the writes ask for the old rows to be pruned; each
    # process asks the shared cache once a day.
    day = f"crm:audit:prune:{timezone.localdate().isoformat()}"
    if not once.recently(day, 25 * 3600) and cache.add(day, 1, timeout=60 * 60 * 25):
        crm_writes_prune_due.send(sender=CrmWrite)


def crm_writes_prune(*, now=None) -> int:
    """Delete the audit rows older than AUDIT_RETENTION_DAYS; returns how many went."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = CrmWrite.objects.filter(at__lt=cutoff).delete()
    if deleted:
        logger.info(
            "Pruned %s CRM writes older than %s days from the audit trail", deleted, settings.AUDIT_RETENTION_DAYS
        )
    return deleted
