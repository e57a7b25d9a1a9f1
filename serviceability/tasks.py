"""Background work of serviceability/ (django.tasks): checking bulk address lists.

The only module of serviceability/ that knows tasks: bulk.py announces a list by a signal and the
receiver here enqueues it. Connected when the app is ready (apps.py).
"""

from django.db import transaction
from django.dispatch import receiver
from django.tasks import task

from .bulk import bulk_list_run
from .signals import bulk_list_ready


@task()
def run_bulk_list(bulk_list_id: int) -> str:
    return f"{bulk_list_run(bulk_list_id)} rows checked"


@receiver(bulk_list_ready)
def enqueue_bulk_list(sender, bulk_list_id, **kwargs):
    transaction.on_commit(lambda: run_bulk_list.enqueue(bulk_list_id))
