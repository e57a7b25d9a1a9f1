"""Leads and Contacts: saved locally first, then sent to MyCRM as the rep who submitted them.

Nothing is lost: the submission row exists before the CRM is called, and a CRM that is down, slow
or answering garbage leaves it *queued* for the retry task. Nothing is doubled: a double click or a
reloaded POST finds the same row (its form token); one sync runs at a time per submission (single
flight across processes); and a create that timed out is looked for in the CRM before it is ever
sent again. Updates go to the record the submission created, by revise, with only the fields the
rep changed, so nothing else in the CRM is blanked or overwritten.

Sensitive values never leave the encrypted columns except in the create/revise body sent to the
CRM: not into pending_changes, logs, sync history or error messages.
"""

import logging
import random
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from mycrm_portal.crm.client import (
    CrmAuthFailed,
    CrmError,
    CrmQueryError,
    CrmRejected,
    CrmUnavailable,
    quote_literal,
)
from mycrm_portal.crm.schema import FIELDS_BY_MODULE
from mycrm_portal.crm.sessions import crm_session_for
from mycrm_portal.singleflight import FlightTimeout, single_flight

from .crm_options import SELF
from .models import Contact, Lead, Status, Submission, SyncAttempt

logger = logging.getLogger(__name__)

MODELS: dict[str, type[Submission]] = {"lead": Lead, "contact": Contact}
SENSITIVE = ("ssn", "dl_license", "birthday")
# Dropped locally once the CRM has them (the birthday stays, encrypted, for the record page).
DROPPED_AFTER_SYNC = ("ssn", "dl_license")
_HIDDEN = "__sensitive__"  # stands for a sensitive value in pending_changes


def crm_fields(kind: str) -> list[str]:
    return [f.name for f in FIELDS_BY_MODULE[MODELS[kind].module]]


# --- Saving what the rep typed ----------------------------------------------------------------------


def submission_create(*, kind: str, user, data: dict, token) -> tuple[Submission, bool]:
    """Save a new submission and send it. The same form token gives back the same submission
    (a double click, a reloaded POST): (submission, created)."""
    model = MODELS[kind]
    existing = model.objects.filter(token=token, submitted_by=user).first()
    if existing is None:
        submission = model(token=token, submitted_by=user)
        _assign(submission, data)
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            # The other click of a double click saved it a moment ago.
            existing = model.objects.filter(token=token, submitted_by=user).first()
            if existing is None:
                # Another user's token (never handed to this rep): a new submission after all.
                submission.token = uuid.uuid4()
                submission.save()
        if existing is None:
            submission_sync(submission=submission, actor=user.get_username())
            submission.refresh_from_db()
            return submission, True
    if existing.status == Status.PENDING:
        # Wait for (or take over) the send the first click started.
        submission_sync(submission=existing, actor=user.get_username())
        existing.refresh_from_db()
    return existing, False


def submission_edit(*, submission: Submission, user, data: dict) -> bool:
    """Apply the rep's changes and send them. Returns False when nothing changed.

    The changes are applied to the row as it is now, under its lock: the retry worker may have
    synced it (and stored its CRM id) since the rep opened the form.
    """
    with transaction.atomic():
        current = type(submission).objects.select_for_update().get(pk=submission.pk)
        changed = _assign(current, data, editing=True)
        if not changed:
            return False
        pending = dict(current.pending_changes)
        for name in changed:
            pending[name] = _HIDDEN if name in SENSITIVE else _crm_value(current, name)
        current.pending_changes = pending
        current.status = Status.PENDING
        current.last_error_code = current.last_error_message = current.last_error_field = ""
        current.save()
    submission_sync(submission=current, actor=user.get_username())
    submission.refresh_from_db()
    return True


def _assign(submission: Submission, data: dict, *, editing: bool = False) -> list[str]:
    """Copy cleaned form values onto the submission; the names of the fields that changed."""
    changed = []
    for name in crm_fields(submission.kind):
        if name not in data:
            continue
        value = data[name]
        if name in SENSITIVE and editing and not value:
            continue  # left empty on the edit form: keep what is stored
        if name == "birthday":
            value = value.isoformat() if isinstance(value, date) else (value or "")
        elif value is None and name not in ("service_dt", "dl_expdate"):
            value = ""
        if getattr(submission, name) != value:
            setattr(submission, name, value)
            changed.append(name)
    if isinstance(submission, Contact):
        if "ssn" in changed:
            submission.ssn_last4 = submission.ssn[-4:] if submission.ssn else ""
        if "dl_license" in changed:
            submission.dl_license_last4 = submission.dl_license[-4:] if submission.dl_license else ""
    return changed


def _crm_value(submission: Submission, name: str) -> str:
    """A field as the CRM takes it: strings, dates as YYYY-MM-DD, checkboxes as "1"/"0"."""
    value = getattr(submission, name)
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def crm_payload(submission: Submission, names=None) -> dict[str, str]:
    return {name: _crm_value(submission, name) for name in (names or crm_fields(submission.kind))}


# --- Sending to the CRM ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Sent:
    operation: str
    values: dict


def submission_sync(*, submission: Submission, actor: str = "") -> str:
    """Send a submission's state to MyCRM now; returns its status afterwards.

    One sync runs at a time per submission, across processes: a concurrent caller waits for it
    and shares its outcome instead of sending again.
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
    model = MODELS[kind]
    submission = model.objects.select_related("submitted_by").get(pk=pk)
    if submission.status == Status.SYNCED and not submission.pending_changes:
        return submission.status
    started = time.monotonic()
    now = timezone.now()
    submission.first_attempt_at = submission.first_attempt_at or now
    submission.attempts += 1
    operation = "revise" if submission.crm_id else "create"
    sent: _Sent | None = None
    outcome = SyncAttempt.Outcome.SYNCED
    error: CrmError | None = None
    try:
        session = crm_session_for(submission.submitted_by)
        if not submission.crm_id:
            record = None
            if submission.create_unconfirmed:
                operation = "reconcile"
                record = _find_in_crm(session, submission)
            if record is not None:
                outcome = SyncAttempt.Outcome.FOUND
                sent = _Sent("reconcile", crm_payload(submission))
            else:
                operation = "create"
                payload = crm_payload(submission)
                if payload.get("assigned_user_id") in ("", SELF):
                    payload["assigned_user_id"] = session.user_id
                sent = _Sent("create", payload)
                try:
                    record = session.create(submission.module, payload)
                except CrmUnavailable as exc:
                    if exc.maybe_applied:
                        submission.create_unconfirmed = True
                    raise
            submission.crm_id = str(record["id"])
            submission.create_unconfirmed = False
        elif submission.pending_changes:
            names = list(submission.pending_changes)
            values = crm_payload(submission, names)
            if values.get("assigned_user_id") == SELF:
                values["assigned_user_id"] = session.user_id
            sent = _Sent("revise", values)
            session.revise({"id": submission.crm_id, **values})
    except CrmRejected as exc:
        outcome, error = SyncAttempt.Outcome.REJECTED, exc
    except CrmAuthFailed as exc:
        # The rep's CRM account is wrong or missing: the data is fine, keep it until they fix it.
        outcome, error = SyncAttempt.Outcome.QUEUED, exc
    except CrmError as exc:  # unavailable, time-out, session lost twice, a query the CRM refused
        outcome, error = SyncAttempt.Outcome.QUEUED, exc
        if not isinstance(exc, CrmUnavailable):
            logger.error("Sync of %s %s failed unexpectedly: %s %s", kind, pk, exc.code, exc)
    except Exception:
        # Never leave a submission stuck in "sending": queue it and let the worker retry.
        logger.exception("Sync of %s %s crashed", kind, pk)
        outcome, error = SyncAttempt.Outcome.QUEUED, CrmUnavailable("The portal failed while sending; it will retry.")
    return _record_outcome(model, submission, operation, outcome, error, sent, actor, started)


def _record_outcome(model, submission, operation, outcome, error, sent, actor, started) -> str:
    now = timezone.now()
    with transaction.atomic():
        current = model.objects.select_for_update().get(pk=submission.pk)
        fields = {
            "attempts": submission.attempts,
            "first_attempt_at": submission.first_attempt_at,
            "crm_id": submission.crm_id,
            "create_unconfirmed": submission.create_unconfirmed,
            # "Me" becomes the rep's CRM user id once the CRM has told it.
            "assigned_user_id": sent.values.get("assigned_user_id", submission.assigned_user_id)
            if sent and submission.assigned_user_id == SELF
            else current.assigned_user_id,
        }
        if error is None:
            # Changes made while this send was under way are kept for the next one.
            remaining = {
                name: value
                for name, value in current.pending_changes.items()
                if sent is None or name not in sent.values or (value != _HIDDEN and value != sent.values[name])
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
            if isinstance(current, Contact) and not remaining:
                fields.update(dict.fromkeys(DROPPED_AFTER_SYNC, ""))
        else:
            message = _scrub(submission, error.message)
            fields.update(
                last_error_code=str(error.code if error.code is not None else ""),
                last_error_message=message,
                last_error_field=error.field if outcome == SyncAttempt.Outcome.REJECTED else "",
            )
            if outcome == SyncAttempt.Outcome.REJECTED:
                fields.update(status=Status.REJECTED, next_attempt_at=None)
            else:
                fields.update(status=Status.QUEUED, next_attempt_at=now + _backoff(submission.attempts))
        for name, value in fields.items():
            setattr(current, name, value)
        current.save(update_fields=[*fields, "updated_at"])
        SyncAttempt.objects.create(
            **{current.kind: current},
            operation=operation,
            outcome=outcome,
            error_code=fields.get("last_error_code", ""),
            error_message=fields.get("last_error_message", ""),
            crm_id=current.crm_id,
            triggered_by=actor[:150],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        if current.status == Status.QUEUED or (current.status == Status.PENDING and error is None):
            # Queued: try again after the backoff. Pending after a success: the rep changed
            # something while it was being sent; send that now.
            _enqueue_retry(current)
    log = logger.info if error is None else logger.warning
    log("%s %s %s → %s%s", current.kind, current.pk, operation, current.status, f" ({error.code})" if error else "")
    return current.status


def _backoff(attempts: int) -> timedelta:
    base = settings.SYNC_RETRY_BASE_SECONDS
    delay = min(base * 2 ** max(attempts - 1, 0), settings.SYNC_RETRY_MAX_SECONDS)
    return timedelta(seconds=delay * random.uniform(0.8, 1.2))  # jitter: outage retries don't stampede


def _enqueue_retry(submission: Submission) -> None:
    from .tasks import sync_submission

    run_after = submission.next_attempt_at or timezone.now()
    transaction.on_commit(lambda: sync_submission.using(run_after=run_after).enqueue(submission.kind, submission.pk))


def _find_in_crm(session, submission: Submission) -> dict | None:
    """The record an unconfirmed create left in the CRM, if it did: created since the first
    attempt (with a day's margin for the CRM's clock and time zone), with every value sent."""
    payload = crm_payload(submission)
    since = (submission.first_attempt_at - timedelta(days=1)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    where = ""
    # Narrow by a field the CRM can search for: a quote cannot be escaped in a query (capture 122).
    for name in ("email", "phone", "mobile", "lastname", "firstname"):
        try:
            where = f"{name} = {quote_literal(payload[name])} and " if payload.get(name) else ""
        except ValueError:
            continue
        if where:
            break
    # VTQL, not SQL: the module is ours, the values went through quote_literal, `since` is a timestamp.
    vtql = f"select * from {submission.module} where {where}createdtime >= '{since}' limit 100;"  # noqa: S608
    try:
        rows = session.query(vtql)
    except CrmRejected as exc:
        # Without the search the portal cannot tell whether the CRM has it: never create it again
        # blindly; keep it queued (and logged) for the next try or a staff member.
        raise CrmQueryError(f"MyCRM could not be searched for an earlier copy: {exc.message}", exc.code) from None
    for row in rows:
        if all(
            str(row.get(name, "")).strip() == value
            for name, value in payload.items()
            if value and name in row and name not in SENSITIVE and name != "assigned_user_id"
        ):
            return row
    return None


def _scrub(submission: Submission, text: str) -> str:
    """A CRM message may quote what it refused: sensitive values never reach storage or pages."""
    if isinstance(submission, Contact):
        for name in SENSITIVE:
            value = getattr(submission, name)
            if value:
                text = text.replace(value, "[hidden]")
                if name == "ssn":
                    text = text.replace(value.replace("-", ""), "[hidden]")
    return text


# --- Reading ----------------------------------------------------------------------------------------


def submissions_for(*, kind: str, user, search: str = "", status: str = ""):
    """A rep's submissions (every submission for staff), newest first, searchable."""
    qs = MODELS[kind].objects.select_related("submitted_by")
    if not user.is_staff:
        qs = qs.filter(submitted_by=user)
    if status in Status.values:
        qs = qs.filter(status=status)
    for term in search.split()[:5]:
        qs = qs.filter(
            Q(firstname__icontains=term)
            | Q(lastname__icontains=term)
            | Q(email__icontains=term)
            | Q(phone__icontains=term)
            | Q(mobile__icontains=term)
            | Q(crm_id__iexact=term)
        )
    return qs.order_by("-created_at", "-pk")


def submission_for_user(*, kind: str, user, pk: int) -> Submission | None:
    """The submission if this user may see it: its submitter, or staff."""
    qs = MODELS[kind].objects.select_related("submitted_by")
    if not user.is_staff:
        qs = qs.filter(submitted_by=user)
    return qs.filter(pk=pk).first()


def dashboard_submissions(*, user, limit: int = 8) -> dict:
    recent, attention = [], []
    for model in MODELS.values():
        mine = model.objects.filter(submitted_by=user)
        recent.extend(mine.order_by("-created_at")[:limit])
        attention.extend(mine.filter(status__in=[Status.QUEUED, Status.REJECTED]).order_by("-created_at")[:limit])
    by_newest = lambda s: s.created_at  # noqa: E731
    return {
        "recent_submissions": sorted(recent, key=by_newest, reverse=True)[:limit],
        "attention_submissions": sorted(attention, key=by_newest, reverse=True)[:limit],
    }
