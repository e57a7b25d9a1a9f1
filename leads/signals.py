"""What leads/ announces so that leads/tasks.py, the only module that knows tasks, can schedule work.

Sending a submission and reading the CRM's options must not import the task module (which imports
them): they send one of these signals instead, and tasks.py connects the enqueueing receivers.
"""

from django.dispatch import Signal

# A submission to send again at `run_after` (kind, pk, run_after).
submission_retry_due = Signal()
# The cached CRM options are missing or stale; refresh them as `user`.
crm_options_stale = Signal()
