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
