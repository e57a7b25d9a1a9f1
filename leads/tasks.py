"""Background retries of submissions the CRM could not take (django.tasks; `manage.py db_worker`)."""

from django.tasks import task

from .models import Status


@task()
def sync_submission(kind: str, pk: int) -> str:
    from .services import MODELS, submission_sync

    submission = MODELS[kind].objects.filter(pk=pk).first()
    if submission is None or submission.status not in (Status.QUEUED, Status.PENDING):
        return "nothing to do"  # synced or rejected meanwhile, or deleted
    return submission_sync(submission=submission, actor="retry worker")


@task()
def refresh_crm_options(user_id: int) -> str:
    from django.contrib.auth import get_user_model

    from .crm_options import crm_options_refresh

    user = get_user_model().objects.filter(pk=user_id).first()
    if user is not None:
        crm_options_refresh(user=user)
    return "refreshed"
