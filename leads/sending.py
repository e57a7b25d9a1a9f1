"""Sending a submission to MyCRM as the rep who submitted it, and recording how it went.

One sync runs at a time per submission (single flight across processes); a create that timed out
is looked for in the CRM (leads/reconciling.py) before it is ever sent again; an update goes by
revise with only the fields the rep changed, so nothing else in the CRM is blanked. What the CRM
could not take stays queued and is retried with backoff: the retry is announced by a signal, which
leads/tasks.py turns into a task (this module never imports the task module).

Sensitive values never leave the encrypted columns except in the create/revise body sent to the
CRM: not into pending_changes, logs, sync history or error messages.
"""

import logging
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mycrm_portal.crm.client import CrmError, CrmUnavailable
from mycrm_portal.crm.schema import dropped_after_sync, sensitive_names
from mycrm_portal.crm.sessions import crm_session_for
from mycrm_portal.singleflight import FlightTimeout, single_flight

from .crm_options import SELF
from .models import SUBMISSION_MODELS, Status, Submission, SyncAttempt
from .payload import HIDDEN, crm_payload
from .reconciling import submission_find_in_crm
from .signals import submission_retry_due

logger = logging.getLogger(__name__)


@dataclass
class Outcome:
    """How one send went: what was tried, what was sent, and the CRM's error if it failed."""

    operation: str  # create, revise, reconcile
    result: str = SyncAttempt.Outcome.SYNCED
    error: CrmError | None = None
    sent: dict = field(default_factory=dict)  # the values sent (or matched, for a reconcile)
    started: float = field(default_factory=time.monotonic)

    def failed(self, error: CrmError) -> "Outcome":
        self.error = error
        self.result = SyncAttempt.Outcome.QUEUED if error.retryable else SyncAttempt.Outcome.REJECTED
        return self

    @property
    def duration_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)


def submission_sync(*, submission: Submission, actor: str = "") -> str:
    """Send a submission's state to MyCRM now; returns its status afterwards.

    A concurrent caller waits for the sync under way and shares its outcome instead of sending again.
    """
    key = f"sync:{submission.kind}:{submission.pk}"
    wait = settings.CRM_CONNECT_TIMEOUT + 4 * settings.CRM_READ_TIMEOUT + 5
    try:
        return single_flight(key, lambda: _sync(submission.kind, submission.pk, actor), wait=wait)
    except FlightTimeout:
        return type(submission).objects.values_list("status", flat=True).get(pk=submission.pk)


def submission_resend(*, submission: Submission, actor: str) -> str:
    """Staff's resend: try again now, whatever the status (a synced record is sent nothing)."""
    return submission_sync(submission=submission, actor=actor)


def _sync(kind: str, pk: int, actor: str) -> str:
    submission = SUBMISSION_MODELS[kind].objects.select_related("submitted_by").get(pk=pk)
    if submission.status == Status.SYNCED and not submission.pending_changes:
        return submission.status
    submission.first_attempt_at = submission.first_attempt_at or timezone.now()
    submission.attempts += 1
    outcome = Outcome("revise" if submission.crm_id else "create")
    try:
        session = crm_session_for(submission.submitted_by)
        if submission.crm_id:
            _send_changes(session, submission, outcome)
        else:
            _send_new(session, submission, outcome)
    except CrmError as exc:
        outcome.failed(exc)
        if exc.unexpected:
            logger.error("Sync of %s %s failed unexpectedly: %s %s", kind, pk, exc.code, exc)
    except Exception:
        # Never leave a submission stuck in "sending": queue it and let the worker retry.
        logger.exception("Sync of %s %s crashed", kind, pk)
        outcome.failed(CrmUnavailable("The portal failed while sending; it will retry."))
    return _record(submission, outcome, actor)


def _send_new(session, submission: Submission, outcome: Outcome) -> None:
    record = None
    if submission.create_unconfirmed:
        outcome.operation = "reconcile"
        record = submission_find_in_crm(session=session, submission=submission)
    if record is not None:
        outcome.result = SyncAttempt.Outcome.FOUND
        outcome.sent = crm_payload(submission)
    else:
        outcome.operation = "create"
        outcome.sent = payload = crm_payload(submission)
        if payload.get("assigned_user_id") in ("", SELF):
            payload["assigned_user_id"] = session.user_id
        try:
            record = session.create(submission.module, payload)
        except CrmError as exc:
            if exc.maybe_applied:
                submission.create_unconfirmed = True  # looked for before it is ever sent again
            raise
    submission.crm_id = str(record["id"])
    submission.create_unconfirmed = False


def _send_changes(session, submission: Submission, outcome: Outcome) -> None:
    if not submission.pending_changes:
        return
    outcome.sent = values = crm_payload(submission, list(submission.pending_changes))
    if values.get("assigned_user_id") == SELF:
        values["assigned_user_id"] = session.user_id
    session.revise({"id": submission.crm_id, **values})


def _record(submission: Submission, outcome: Outcome, actor: str) -> str:
    """Store the outcome on the row as it is now (under its lock) and in the sync history."""
    with transaction.atomic():
        current = type(submission).objects.select_for_update().get(pk=submission.pk)
        fields = _state_fields(submission, current, outcome)
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=[*fields, "updated_at"])
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
    error = outcome.error
    log = logger.info if error is None else logger.warning
    code = f" ({error.code})" if error else ""
    log("%s %s %s → %s%s", current.kind, current.pk, outcome.operation, current.status, code)
    return current.status


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
    error = outcome.error
    if error is None:
        remaining = {
            name: value
            for name, value in current.pending_changes.items()
            if name not in sent or (value != HIDDEN and value != sent[name])
        }
        fields.update(
            status=Status.PENDING if remaining else Status.SYNCED,
            pending_changes=remaining,
            synced_at=now,
            next_attempt_at=None,
            last_error_code="",
            last_error_message="",
            last_error_field="",
        )
        if not remaining:
            fields.update(dict.fromkeys(dropped_after_sync(current.module), ""))
        return fields
    rejected = outcome.result == SyncAttempt.Outcome.REJECTED
    fields.update(
        last_error_code=str(error.code if error.code is not None else ""),
        last_error_message=scrub(submission, error.message),
        last_error_field=error.field if rejected else "",
        status=Status.REJECTED if rejected else Status.QUEUED,
        next_attempt_at=None if rejected else now + backoff(submission.attempts),
    )
    return fields


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
