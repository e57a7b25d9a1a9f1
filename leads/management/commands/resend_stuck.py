"""`manage.py resend_stuck`: queue again the submissions no retry task is looking after.

A submission stays *Sending* when the process sending it stopped halfway (a deploy, a crash), and a
*Queued* one waits for ever if its retry task was lost. Run this every few minutes (cron or a
systemd timer beside the task worker); it only enqueues tasks, and a submission that is already
being sent or is in MyCRM is not sent twice.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from leads.models import SUBMISSION_MODELS, Status
from leads.tasks import sync_submission


class Command(BaseCommand):
    help = "Queue again submissions left Sending by a stopped process, or Queued past their next try."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=10, help="how long past due counts as stuck (default 10)")

    def handle(self, *args, minutes, **options):
        due = timezone.now() - timedelta(minutes=minutes)
        total = 0
        for kind, model in SUBMISSION_MODELS.items():
            stuck = model.objects.filter(
                Q(status=Status.PENDING, updated_at__lt=due) | Q(status=Status.QUEUED, next_attempt_at__lt=due)
            ).values_list("pk", flat=True)
            for pk in stuck:
                sync_submission.enqueue(kind, pk)
                total += 1
        self.stdout.write(f"{total} submission(s) queued again.")
