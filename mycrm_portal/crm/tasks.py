"""Background work of crm/ (django.tasks): pruning the audit trail of CRM writes.

The only module of crm/ that knows tasks: audit.py announces by a signal once a day, and the
receiver here enqueues the prune. Connected when the app is ready (apps.py).
"""

from django.db import transaction
from django.dispatch import receiver
from django.tasks import task

from .audit import crm_writes_prune
from .signals import crm_writes_prune_due


@task()
def prune_crm_writes() -> str:
    return f"{crm_writes_prune()} pruned"


@receiver(crm_writes_prune_due)
def enqueue_prune(sender, **kwargs):
    transaction.on_commit(prune_crm_writes.enqueue)
