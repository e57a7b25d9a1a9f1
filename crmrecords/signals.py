"""Announced by crmrecords/editing.py; crmrecords/tasks.py (the only module that knows tasks) enqueues."""

from django.dispatch import Signal

# A record edit to send again at `run_after` (pk, run_after).
record_edit_retry_due = Signal()
