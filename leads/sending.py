"""Sending a submission to MyCRM as the rep who submitted it, and recording how it went.

One sync runs at a time per submission (single flight across processes); a create that timed out
is looked for in the CRM (leads/reconciling.py), no sooner than CRM_REQUEST_MAX_SECONDS after it was
sent, before it is ever sent again; an update goes by revise with only the fields the rep changed,
so nothing else in the CRM is blanked. Only the fields MyCRM has (or that staff mapped) are sent
(crm/fieldfit.py), and MyCRM's answer is compared with what was sent the way MyCRM stores values
(crm/storage.py): any difference makes the submission "In MyCRM, with differences", and a
sensitive value is deleted locally only once MyCRM's answer shows it holds it. What the CRM
could not take stays queued and is retried with backoff: the retry is announced by a signal, which
leads/tasks.py turns into a task (this module never imports the task module).

Sensitive values never leave the encrypted columns except in the create/revise body sent to the
CRM: not into pending_changes, logs, sync history or error messages.
"""

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mycrm_portal.crm import audit
from mycrm_portal.crm.client import CrmError, CrmUnavailable
from mycrm_portal.crm.fieldfit import Plan, send_plan
from mycrm_portal.crm.models import CrmAccount
from mycrm_portal.crm.schema import dropped_after_sync, sensitive_names
from mycrm_portal.crm.sessions import crm_session_for
from mycrm_portal.singleflight import FlightTimeout, single_flight

from .converting import conversion_send
from .crm_options import SELF
from .models import SUBMISSION_MODELS, Status, Submission, SyncAttempt
from .outcome import Outcome, verify
from .payload import HIDDEN, crm_payload
from .reconciling import submission_find_in_crm
from .signals import submission_retry_due

logger = logging.getLogger(__name__)


def submission_sync(
    *,
    submission: Submission,
    actor: str = "",
    plan: Plan | None = None,
    account: CrmAccount | None = None,
    just_saved: bool = False,
) -> str:
    """Send a submission's state to MyCRM now; returns its status afterwards. `plan` is the field
    plan the rep's form was checked against in this request (read anew when not given); `account`
    the submitter's CrmAccount with its secrets, read in this request (read anew when not given).
    `just_saved`: the caller inserted `submission` a moment ago, so the row is what the instance
    holds: it is sent as it is (not read again) and takes the outcome's columns (no refresh needed
    when the returned status is its status).

    A concurrent caller waits for the sync under way and shares its outcome instead of sending again.
    """
    key = f"sync:{submission.kind}:{submission.pk}"
    wait = settings.CRM_CONNECT_TIMEOUT + 4 * settings.CRM_READ_TIMEOUT + 5
    saved = submission if just_saved else None
    try:
        return single_flight(key, lambda: _sync(submission.kind, submission.pk, actor, plan, saved, account), wait=wait)
    except FlightTimeout:
        return type(submission).objects.values_list("status", flat=True).get(pk=submission.pk)


def submission_resend(*, submission: Submission, actor: str) -> str:
    """Staff's resend: try again now, whatever the status (a synced record is sent nothing)."""
    return submission_sync(submission=submission, actor=actor)


def _sync(
    kind: str, pk: int, actor: str, plan: Plan | None, saved: Submission | None, account: CrmAccount | None
) -> str:
    if saved is not None:
        submission = saved
    else:
        submission = SUBMISSION_MODELS[kind].objects.select_related("submitted_by").get(pk=pk)
    if submission.in_mycrm and not submission.pending_changes:
        return submission.status
    wait_until = submission.looked_for_after
    if wait_until is not None and timezone.now() < wait_until:
        # MyCRM may still be working on the create that timed out: looking now could miss it and
        # create a second record. The retry is already scheduled for then.
        return submission.status
    submission.first_attempt_at = submission.first_attempt_at or timezone.now()
    submission.attempts += 1
    outcome = Outcome("revise" if submission.crm_id else "create")
    # The audit rows of the writes are saved with the outcome, in its transaction.
    with audit.held() as writes:
        try:
            session = crm_session_for(submission.submitted_by, account=account)
            plan = plan or send_plan(submission.module)
            if submission.crm_id:
                _send_changes(session, submission, outcome, plan)
            else:
                _send_new(session, submission, outcome, plan)
        except CrmError as exc:
            outcome.failed(exc)
            if exc.unexpected:
                logger.error("Sync of %s %s failed unexpectedly: %s %s", kind, pk, exc.code, exc)
        except Exception:
            # Never leave a submission stuck in "sending": queue it and let the worker retry.
            logger.exception("Sync of %s %s crashed", kind, pk)
            outcome.failed(CrmUnavailable("The portal failed while sending; it will retry."))
    try:
        return _record(submission, outcome, actor, writes)
    finally:
        audit.save_held(writes)  # still here when _record's transaction did not commit


def _unconfirmed(submission: Submission) -> None:
    """The CRM may have done what was asked: look for it before it is ever sent again, once the
    CRM can no longer be working on it."""
    submission.create_unconfirmed = True
    submission.unconfirmed_since = submission.unconfirmed_since or timezone.now()


def _send_new(session, submission: Submission, outcome: Outcome, plan: Plan) -> None:
    record = None
    payload = crm_payload(submission)
    if payload.get("assigned_user_id") in ("", SELF):
        payload["assigned_user_id"] = session.user_id
    if getattr(submission, "converted_from_lead", ""):
        record = conversion_send(
            session=session,
            submission=submission,
            outcome=outcome,
            plan=plan,
            payload=payload,
            on_unconfirmed=lambda exc: _unconfirmed(submission),
        )
    elif submission.create_unconfirmed:
        outcome.operation = "reconcile"
        record = submission_find_in_crm(session=session, submission=submission, plan=plan)
    if record is not None:
        if outcome.operation == "reconcile":
            outcome.result = SyncAttempt.Outcome.FOUND
    else:
        outcome.operation = "create"
        try:
            record = session.create(submission.module, plan.crm_values(payload))
        except CrmError as exc:
            if exc.maybe_applied:
                _unconfirmed(submission)
            raise
    submission.crm_id = str(record["id"])
    submission.create_unconfirmed = False
    submission.unconfirmed_since = None
    verify(submission, outcome, plan, payload, record)


def _send_changes(session, submission: Submission, outcome: Outcome, plan: Plan) -> None:
    if not submission.pending_changes:
        return
    values = crm_payload(submission, list(submission.pending_changes))
    if values.get("assigned_user_id") == SELF:
        values["assigned_user_id"] = session.user_id
    to_send = plan.crm_values(values)
    # Changes only to fields kept in the portal: nothing to send, nothing MyCRM could lose.
    record = session.revise({"id": submission.crm_id, **to_send}) if to_send else {}
    verify(submission, outcome, plan, values, record)


def _record(submission: Submission, outcome: Outcome, actor: str, writes: list) -> str:
    """Store the outcome on the row as it is now (under its lock), in the sync history and, with
    them, the audit rows of the writes it took (`writes`, emptied once they are committed)."""
    model = type(submission)
    with transaction.atomic():
        audit.save_held(writes)
        # Only what the rep may have changed while the send was under way (the rest is written).
        current = model.objects.select_for_update().only(*_CURRENT).filter(pk=submission.pk).first()
        if current is None:
            # Deleted (in the admin) while it was being sent: nothing to store the outcome on.
            transaction.set_rollback(True)
            logger.warning("%s %s was deleted while it was being sent", submission.kind, submission.pk)
            return submission.status
        fields = _state_fields(submission, current, outcome)
        for name, value in fields.items():
            setattr(current, name, value)
            setattr(submission, name, value)
        current.save(update_fields=[*fields, "updated_at"])
        submission.updated_at = current.updated_at
        SyncAttempt.objects.create(
            **{current.kind: current},
            operation=outcome.operation,
            outcome=outcome.result,
            error_code=fields.get("last_error_code", ""),
            error_message=fields.get("last_error_message", ""),
            crm_id=current.crm_id,
            triggered_by=actor[:150],
            duration_ms=outcome.duration_ms,
        )
        if current.status == Status.QUEUED or (current.status == Status.PENDING and outcome.error is None):
            # Queued: try again after the backoff. Pending after a success: the rep changed
            # something while it was being sent; send that now.
            run_after = current.next_attempt_at or timezone.now()
            transaction.on_commit(
                lambda: submission_retry_due.send(
                    sender=type(current), kind=current.kind, pk=current.pk, run_after=run_after
                )
            )
    writes.clear()  # committed with the outcome
    error = outcome.error
    log = logger.info if error is None else logger.warning
    code = f" ({error.code})" if error else ""
    log("%s %s %s → %s%s", current.kind, current.pk, outcome.operation, current.status, code)
    return current.status


# The columns of the row as it is now that _state_fields reads (`current`).
_CURRENT = ("pending_changes", "assigned_user_id", "crm_differences")


def _state_fields(submission: Submission, current: Submission, outcome: Outcome) -> dict:
    """The columns this outcome changes. `submission` is the copy that was sent, `current` the
    row as it is now: changes the rep made while the send was under way are kept."""
    now = timezone.now()
    sent = outcome.sent
    fields = {
        "attempts": submission.attempts,
        "first_attempt_at": submission.first_attempt_at,
        "crm_id": submission.crm_id,
        "create_unconfirmed": submission.create_unconfirmed,
        # "Me" becomes the rep's CRM user id once the CRM has told it.
        "assigned_user_id": sent.get("assigned_user_id", submission.assigned_user_id)
        if sent and submission.assigned_user_id == SELF
        else current.assigned_user_id,
    }
    fields["unconfirmed_since"] = submission.unconfirmed_since
    if hasattr(type(current), "lead_contact_id"):  # a Contact (on the class: never a deferred read)
        fields["lead_contact_id"] = submission.lead_contact_id
    error = outcome.error
    if error is None:
        remaining = {
            name: value
            for name, value in current.pending_changes.items()
            if name not in sent or (value != HIDDEN and value != sent[name])
        }
        differences = outcome.differences
        if outcome.operation == "revise":
            # What was not sent this time differs as before.
            differences = {**{k: v for k, v in current.crm_differences.items() if k not in sent}, **differences}
        fields.update(
            status=Status.PENDING if remaining else Status.DIFFERS if differences else Status.SYNCED,
            pending_changes=remaining,
            crm_differences=differences,
            synced_at=now,
            next_attempt_at=None,
            last_error_code="",
            last_error_message="",
            last_error_field="",
        )
        # A sensitive value goes only once MyCRM's answer shows it holds it, exactly as sent.
        for name in dropped_after_sync(current.module):
            if name in outcome.held and name not in remaining:
                fields[name] = ""
        return fields
    rejected = outcome.result == SyncAttempt.Outcome.REJECTED
    fields.update(
        last_error_code=str(error.code if error.code is not None else ""),
        last_error_message=scrub(submission, error.message),
        last_error_field=error.field if rejected else "",
        status=Status.REJECTED if rejected else Status.QUEUED,
        next_attempt_at=None if rejected else _next_try(submission, now),
    )
    return fields


def _next_try(submission: Submission, now):
    at = now + backoff(submission.attempts)
    if submission.create_unconfirmed and submission.unconfirmed_since is not None:
        at = max(at, submission.unconfirmed_since + timedelta(seconds=settings.CRM_REQUEST_MAX_SECONDS))
    return at


def backoff(attempts: int) -> timedelta:
    base = settings.SYNC_RETRY_BASE_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), settings.SYNC_RETRY_MAX_SECONDS)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))  # jitter: outage retries don't stampede


def scrub(submission: Submission, text: str) -> str:
    """A CRM message may quote what it refused: sensitive values never reach storage or pages."""
    for name in sensitive_names(submission.module):
        value = getattr(submission, name)
        if value:
            text = text.replace(value, "[hidden]")
            digits = "".join(c for c in value if c.isalnum())
            if digits != value and len(digits) >= 4:
                text = text.replace(digits, "[hidden]")
    return text
