"""When a rep fixes their CRM account, what was queued for want of it goes now."""

from django.db import transaction
from django.dispatch import receiver

from mycrm_portal.crm.signals import crm_account_connected

from .models import Status


@receiver(crm_account_connected)
def send_queued_submissions(sender, user, **kwargs):
    from .services import MODELS
    from .tasks import sync_submission

    for kind, model in MODELS.items():
        for pk in model.objects.filter(submitted_by=user, status=Status.QUEUED).values_list("pk", flat=True):
            transaction.on_commit(lambda kind=kind, pk=pk: sync_submission.enqueue(kind, pk))
