"""Background retries of record edits MyCRM could not take (django.tasks); the only module of
crmrecords/ that knows tasks (connected in apps.py)."""

from django.dispatch import receiver
from django.tasks import task

from .editing import record_edit_send
from .models import RecordEdit
from .signals import record_edit_retry_due


@task()
def send_record_edit(pk: int) -> str:
    edit = RecordEdit.objects.filter(pk=pk).first()
    if edit is None or edit.status not in (RecordEdit.Status.PENDING, RecordEdit.Status.QUEUED):
        return "nothing to do"
    return record_edit_send(edit=edit, actor="retry worker")


@receiver(record_edit_retry_due)
def enqueue_record_edit_retry(sender, pk, run_after, **kwargs):
    send_record_edit.using(run_after=run_after).enqueue(pk)
