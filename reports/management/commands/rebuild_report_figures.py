"""`manage.py rebuild_report_figures`: count the reports' daily figures anew from the records
(after a bulk import or deletions in the admin; safe to run any time)."""

from django.core.management.base import BaseCommand

from reports.rollups import rebuild_report_figures


class Command(BaseCommand):
    help = "Rebuild the daily counts the reports read, from the submissions and address checks."

    def handle(self, *args, **options):
        rows = rebuild_report_figures()
        self.stdout.write(f"{rows} daily figures written.")
