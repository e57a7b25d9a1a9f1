"""Changing a record that lives in MyCRM, as the rep, without overwriting anyone.

The change is saved locally first (RecordEdit): MyCRM down means queued and retried, never lost;
one send runs at a time per edit and an edit that is in MyCRM is never sent again. Before sending,
the record is read again (one retrieve): a field the rep changed that someone else also changed
since the rep opened the form is a conflict, shown side by side for the rep to choose; others'
changes to other fields are kept because revise sends only the fields the rep changed (one
revise). MyCRM has no concurrency check of its own (captures 348-351d), so a small race remains
between that read and the write.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from leads.sending import backoff
from mycrm_portal.crm import storage
from mycrm_portal.crm.client import CrmError
from mycrm_portal.crm.fieldfit import send_plan, stored_differences
from mycrm_portal.crm.schema import sensitive_names
from mycrm_portal.crm.sessions import crm_session_for
from mycrm_portal.singleflight import FlightTimeout, single_flight

from .models import RecordEdit
from .signals import record_edit_retry_due

logger = logging.getLogger(__name__)
Status = RecordEdit.Status
ACCEPT = "__overwrite__"  # a base that says: the rep chose their value over MyCRM's


def fingerprint(module: str, name: str, value: str) -> str:
    """What the portal keeps of a value as loaded: the value itself, or for a sensitive field an
    HMAC (a page and the edit row never hold the full value as MyCRM had it)."""
    value = value or ""
    if name not in sensitive_names(module):
        return value
    return "hmac:" + salted_hmac("crmrecords.edit-base", value, algorithm="sha256").hexdigest()


def record_edit_save(*, user, module: str, crm_id: str, record_name: str, changes: dict, base: dict, token):
    """Keep the rep's change, then send it. The same form token gives back the same edit."""
    existing = RecordEdit.objects.filter(token=token, user=user).first()
    if existing is not None:
        return existing
    edit = RecordEdit(token=token, user=user, module=module, crm_id=crm_id, record_name=record_name[:200])
    edit.changes = changes
    edit.base = {name: base.get(name, "") for name in changes}
    edit.fields = sorted(changes)
    edit.save()
    record_edit_send(edit=edit)
    edit.refresh_from_db()
    return edit


def record_edit_resolve(*, edit: RecordEdit, choices: dict[str, str]) -> RecordEdit:
    """The rep's choice per conflicting field: "mine" overwrites MyCRM's value, "theirs" keeps it."""
    with transaction.atomic():
        current = RecordEdit.objects.select_for_update().get(pk=edit.pk)
        changes, base = current.changes, current.base
        for name in list(current.conflicts):
            if choices.get(name) == "theirs":
                changes.pop(name, None)
            else:
                base[name] = ACCEPT
        current.changes, current.base = changes, base
        current.conflicts = {}
        current.status = Status.PENDING if changes else Status.SAVED
        current.save()
    if changes:
        record_edit_send(edit=current)
    current.refresh_from_db()
    return current


def record_edit_send(*, edit: RecordEdit, actor: str = "") -> str:
    wait = settings.CRM_CONNECT_TIMEOUT + 3 * settings.CRM_READ_TIMEOUT + 5
    try:
        return single_flight(f"record-edit:{edit.pk}", lambda: _send(edit.pk), wait=wait)
    except FlightTimeout:
        return RecordEdit.objects.values_list("status", flat=True).get(pk=edit.pk)


def _send(pk: int) -> str:
    edit = RecordEdit.objects.select_related("user").get(pk=pk)
    if edit.status not in (Status.PENDING, Status.QUEUED):
        return edit.status  # in MyCRM, refused, or waiting for the rep's choice
    edit.attempts += 1
    plan = send_plan(edit.module)
    try:
        session = crm_session_for(edit.user)
        current = plan.portal_values(session.retrieve(edit.crm_id))
        conflicts = {}
        for name, mine in edit.changes.items():
            held = storage.decoded(str(current.get(name, "")))
            base = edit.base.get(name, "")
            if base != ACCEPT and fingerprint(edit.module, name, held) != base and held != mine:
                conflicts[name] = None if name in sensitive_names(edit.module) else held
        if conflicts:
            return _finish(edit, status=Status.CONFLICT, conflicts=conflicts)
        values = {name: value for name, value in edit.changes.items() if name in plan.outgoing}
        answer = session.revise({"id": edit.crm_id, **plan.crm_values(values)}) if values else {}
    except CrmError as exc:
        if exc.retryable:
            at = timezone.now() + backoff(edit.attempts)
            transaction.on_commit(lambda: record_edit_retry_due.send(sender=RecordEdit, pk=edit.pk, run_after=at))
            return _finish(edit, status=Status.QUEUED, error=exc, next_attempt_at=at)
        return _finish(edit, status=Status.REJECTED, error=exc)
    differences = stored_differences(edit.module, plan, edit.changes, answer)
    return _finish(edit, status=Status.DIFFERS if differences else Status.SAVED, differences=differences)


def _finish(edit: RecordEdit, *, status, error=None, conflicts=None, differences=None, next_attempt_at=None) -> str:
    edit.status = status
    edit.conflicts = conflicts or {}
    edit.crm_differences = differences or {}
    edit.next_attempt_at = next_attempt_at
    edit.last_error_code = str(error.code) if error is not None and error.code is not None else ""
    edit.last_error_message = _message(error) if error is not None else ""
    if status in (Status.SAVED, Status.DIFFERS):
        edit.sent_at = timezone.now()
    edit.save()
    logger.info("record edit %s of %s → %s", edit.pk, edit.crm_id, status)
    return status


def _message(error: CrmError) -> str:
    if error.code == "ACCESS_DENIED":
        return "MyCRM does not let you change this record."
    return error.message
