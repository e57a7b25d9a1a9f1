"""Saving what a rep typed, before MyCRM is called: nothing is lost whatever the CRM does.

A submission row exists before the CRM is called, so a CRM that is down, slow or answering garbage
leaves it queued for the retry task. A double click or a reloaded POST finds the same row (its form
token) instead of saving a second one.
"""

import uuid

from django.db import IntegrityError, transaction

from mycrm_portal.crm.fieldfit import Plan
from mycrm_portal.crm.models import CrmAccount
from serviceability.models import AddressCheck

from .models import SUBMISSION_MODELS, Status, Submission
from .payload import assign, pending_value
from .sending import submission_sync


def submission_create(
    *,
    kind: str,
    user,
    data: dict,
    token,
    converted_from_lead: str = "",
    from_check: int | None = None,
    plan: Plan | None = None,
    account: CrmAccount | None = None,
) -> tuple[Submission, bool]:
    """Save a new submission and send it. The same form token gives back the same submission
    (a double click, a reloaded POST): (submission, created). A contact `converted_from_lead` (a
    MyCRM Lead id) is sent as that lead's conversion (leads/converting.py). `plan`: the field plan
    the form was checked against, and `account` the rep's CrmAccount with its secrets, when the
    caller has read them.

    The token is unique: the insert itself finds a submission already saved with it (no read first).
    """
    model = SUBMISSION_MODELS[kind]
    submission = model(token=token, submitted_by=user)
    if converted_from_lead:
        submission.converted_from_lead = converted_from_lead
    if from_check is not None and AddressCheck.objects.filter(pk=from_check).exists():
        submission.from_check_id = from_check
    assign(submission, data)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # This token is saved already: the other click of a double click, or a reloaded POST.
        existing = model.objects.filter(token=token, submitted_by=user).first()
        if existing is not None:
            if existing.status == Status.PENDING:
                # Wait for (or take over) the send the first click started.
                submission_sync(submission=existing, actor=user.get_username(), plan=plan)
                existing.refresh_from_db()
            return existing, False
        # Another user's token (never handed to this rep): a new submission after all.
        submission.token = uuid.uuid4()
        submission.save()
    status = submission_sync(
        submission=submission, actor=user.get_username(), plan=plan, account=account, just_saved=True
    )
    if status != submission.status:  # another process's send (the flight timed out): read its outcome
        submission.refresh_from_db()
    return submission, True


def submission_edit(*, submission: Submission, user, data: dict, plan: Plan | None = None) -> bool:
    """Apply the rep's changes and send them. Returns False when nothing changed.

    The changes are applied to the row as it is now, under its lock: the retry worker may have
    synced it (and stored its CRM id) since the rep opened the form.
    """
    with transaction.atomic():
        current = type(submission).objects.select_for_update().get(pk=submission.pk)
        changed = assign(current, data, editing=True)
        if not changed:
            return False
        current.pending_changes = {
            **current.pending_changes,
            **{name: pending_value(current, name) for name in changed},
        }
        current.status = Status.PENDING
        current.last_error_code = current.last_error_message = current.last_error_field = ""
        current.save()
    submission_sync(submission=current, actor=user.get_username(), plan=plan)
    submission.refresh_from_db()
    return True
