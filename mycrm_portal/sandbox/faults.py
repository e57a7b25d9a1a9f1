"""Fault switches and request counters of the sandbox, shared by every process through the database.

A fault makes a target (`crm`, the MyCRM emulator; `fcc`, the serviceability emulator) misbehave
the way real servers do: down, slow, an HTML error page from a proxy, PHP warnings before the
JSON, a write that commits but answers too late, duplicate prevention, a failure envelope. Tests,
benchmarks and the staff page switch them; the portal server and the task worker see the same
state. Counters are incremented with F() so that concurrent requests never lose a count.

It must never touch anything but the sandbox's own tables.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.http import HttpResponse

from .models import SandboxCounter, SandboxFault

TARGETS = ("crm", "fcc", "sharing")
CRM_MODES = ("down", "slow", "html_error", "php_notice", "commit_then_timeout", "duplicates", "query_denied")
FCC_MODES = ("down", "slow", "html_error", "failed")
# Not faults but settings of the emulated CRM, switched the same way: Leads and Contacts sharing
# "private" (a non-admin sees and changes only its own records, captures 385-385l).
SHARING_MODES = ("private",)
MODES = {"crm": CRM_MODES, "fcc": FCC_MODES, "sharing": SHARING_MODES}
# The modes whose `seconds` mean something.
DELAY_MODES = frozenset({"slow", "commit_then_timeout"})

FCC_DIR = Path(__file__).resolve().parent / "data" / "fcc"
SERVICE_UNAVAILABLE_PAGE = (
    "<html>\n<head><title>503 Service Temporarily Unavailable</title></head>\n<body>\n"
    "<center><h1>503 Service Temporarily Unavailable</h1></center>\n<hr><center>nginx</center>\n"
    "</body>\n</html>\n"
)


@dataclass(frozen=True)
class Fault:
    mode: str = ""
    seconds: float = 0.0


NO_FAULT = Fault()


def active(target: str) -> Fault:
    row = SandboxFault.objects.filter(target=target).values_list("mode", "seconds").first()
    return Fault(*row) if row else NO_FAULT


def fault_set(*, target: str, mode: str, seconds: float = 0) -> None:
    if target not in MODES:
        raise ValueError(f"Unknown target {target!r}: one of {', '.join(TARGETS)}.")
    if mode not in MODES[target]:
        raise ValueError(f"Unknown {target} fault {mode!r}: one of {', '.join(MODES[target])}.")
    if seconds < 0:
        raise ValueError("seconds cannot be negative.")
    seconds = float(seconds) if mode in DELAY_MODES else 0.0
    SandboxFault.objects.update_or_create(target=target, defaults={"mode": mode, "seconds": seconds})


def faults_clear(*, target: str | None = None) -> None:
    found = SandboxFault.objects.all()
    found = found.filter(target=target) if target else found
    if found.exists():  # a read is far cheaper than a write transaction, and usually enough
        found.delete()


def faults() -> dict[str, dict]:
    """The active faults by target, e.g. {"crm": {"mode": "slow", "seconds": 1.5}}; {} when none."""
    return {row.target: {"mode": row.mode, "seconds": row.seconds} for row in SandboxFault.objects.order_by("target")}


def count(target: str, operation: str) -> None:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A count may be lost if the database crashes, never double-counted: don't make every
            # request wait for a WAL flush just for it.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        if SandboxCounter.objects.filter(target=target, operation=operation).update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                SandboxCounter.objects.create(target=target, operation=operation, count=1)
        except IntegrityError:  # a concurrent request created the row first
            SandboxCounter.objects.filter(target=target, operation=operation).update(count=F("count") + 1)


def counters(target: str = "crm") -> dict[str, int]:
    return dict(SandboxCounter.objects.filter(target=target).values_list("operation", "count"))


def counters_reset() -> None:
    if SandboxCounter.objects.exists():
        SandboxCounter.objects.all().delete()


def delay(seconds: float) -> None:
    if seconds > 0:
        time.sleep(seconds)


def bad_gateway() -> HttpResponse:
    return HttpResponse((FCC_DIR / "upstream-502.html").read_bytes(), status=502, content_type="text/html")


def transport_fault(fault: Fault) -> HttpResponse | None:
    """The answer of a fault that stops the request before the service sees it (None: go on).
    `slow` waits here and then lets the request through."""
    if fault.mode == "down":
        return HttpResponse(SERVICE_UNAVAILABLE_PAGE, status=503, content_type="text/html")
    if fault.mode == "html_error":
        return bad_gateway()
    if fault.mode == "slow":
        delay(fault.seconds)
    return None
