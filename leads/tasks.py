"""Background work of leads/ (django.tasks; `manage.py db_worker`): retries of submissions the CRM
could not take, and refreshes of the CRM's options.

The only module of leads/ that knows tasks: the others announce work by a signal (leads/signals.py)
and the receivers here enqueue it. Connected when the app is ready (apps.py).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.tasks import task

from mycrm_portal.crm.signals import crm_account_connected

from .crm_options import crm_options_refresh
from .models import SUBMISSION_MODELS, Status
from .sending import submission_sync
from .signals import crm_options_stale, submission_retry_due


@task()
def sync_submission(kind: str, pk: int) -> str:
    submission = SUBMISSION_MODELS[kind].objects.filter(pk=pk).first()
    if submission is None or submission.status not in (Status.QUEUED, Status.PENDING):
        return "nothing to do"  # synced or rejected meanwhile, or deleted
    return submission_sync(submission=submission, actor="retry worker")


@task()
def refresh_crm_options(user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        crm_options_refresh(user=user)
    return "refreshed"


@receiver(submission_retry_due)
def enqueue_retry(sender, kind, pk, run_after, **kwargs):
    sync_submission.using(run_after=run_after).enqueue(kind, pk)


@receiver(crm_options_stale)
def enqueue_options_refresh(sender, user, **kwargs):
    refresh_crm_options.enqueue(user.pk)


@receiver(crm_account_connected)
def send_queued_submissions(sender, user, **kwargs):
    """When a rep connects their CRM account: MyCRM's fields and options are read again, and what
    was queued for want of the account goes now."""
    transaction.on_commit(lambda: refresh_crm_options.enqueue(user.pk))
    for kind, model in SUBMISSION_MODELS.items():
        for pk in model.objects.filter(submitted_by=user, status=Status.QUEUED).values_list("pk", flat=True):
            transaction.on_commit(lambda kind=kind, pk=pk: sync_submission.enqueue(kind, pk))
