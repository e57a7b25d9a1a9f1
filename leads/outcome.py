"""The outcome of one send to MyCRM, and what MyCRM's answer says it holds.

MyCRM's answer to a create or revise is the stored record (read back from its database): compared
with what was sent the way MyCRM stores values (crm/storage.py), it tells which fields differ and
why, and which MyCRM holds exactly as sent (only those sensitive values may be deleted locally).
"""

import time
from dataclasses import dataclass, field

from mycrm_portal.crm.client import CrmError
from mycrm_portal.crm.fieldfit import Plan, stored_differences

from .models import Submission, SyncAttempt


@dataclass
class Outcome:
    """How one send went: what was tried, what was sent, and the CRM's error if it failed."""

    operation: str  # create, revise, reconcile
    result: str = SyncAttempt.Outcome.SYNCED
    error: CrmError | None = None
    sent: dict = field(default_factory=dict)  # the values sent (or matched, for a reconcile), portal names
    differences: dict = field(default_factory=dict)  # {field: {"why", "stored"}} of what MyCRM holds
    held: frozenset = frozenset()  # the sent fields MyCRM holds exactly as sent
    started: float = field(default_factory=time.monotonic)

    def failed(self, error: CrmError) -> "Outcome":
        self.error = error
        self.result = SyncAttempt.Outcome.QUEUED if error.retryable else SyncAttempt.Outcome.REJECTED
        return self

    @property
    def duration_ms(self) -> int:
        return int((time.monotonic() - self.started) * 1000)


def verify(submission: Submission, outcome: Outcome, plan: Plan, values: dict, record: dict) -> None:
    """Compare what MyCRM answered (the stored record) with what was sent."""
    outcome.sent = values
    outcome.differences = stored_differences(submission.module, plan, values, record)
    outcome.held = frozenset(name for name in values if name in plan.outgoing and name not in outcome.differences)
