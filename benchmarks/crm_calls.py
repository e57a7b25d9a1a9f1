"""Part 1, CRM round trips per create: HTTP calls to the CRM per lead the portal creates.

In-process `submission_create` (what the lead form calls) against the sandbox CRM served by
gunicorn; the sandbox's request counters count every call, whatever its operation.

- steady state: a rep whose session exists (one create first logs in), then N creates;
- no session: a rep who never logged in creates one lead (challenge, login, create);
- naive client: a raw CrmClient that logs in for every operation (challenge, login, create).
"""

from __future__ import annotations

import statistics
import time
import uuid

from django.conf import settings

from leads.saving import submission_create
from mycrm_portal.crm.client import CrmClient
from mycrm_portal.crm.models import CrmAccount
from mycrm_portal.sandbox import services as sandbox

from . import data
from .report import Figure, Goal, rounded

PART = "1 CRM calls"
CREATES = 50
TIME_LIMIT = 60.0  # seconds per loop


def run(bench) -> list[Figure]:
    steady_rep = data.rep_create("bench-calls")
    cold_rep = data.rep_create("bench-calls-cold")

    # Steady state: the first create logs in; count the calls of the N after it.
    _create(steady_rep, "Warmup")
    sandbox.counters_reset()
    steady_ms = _create_many(steady_rep, "Steady")
    steady_calls = sandbox.counters("crm")
    steady = sum(steady_calls.values()) / len(steady_ms)

    # A rep with no session: their first create.
    sandbox.counters_reset()
    _create(cold_rep, "Cold")
    cold_calls = sandbox.counters("crm")
    cold = sum(cold_calls.values())

    # A naive client: challenge + login + create for every lead.
    sandbox.counters_reset()
    naive_ms = _naive_creates(cold_rep)
    naive_calls = sandbox.counters("crm")
    naive = sum(naive_calls.values()) / len(naive_ms)

    return [
        Figure(
            "crm_calls_per_create_steady",
            PART,
            "CRM calls per create, steady state",
            rounded(steady),
            "calls",
            Goal("<=", 1),
            detail={"creates": len(steady_ms), "calls": steady_calls, "create_ms_p50": _p50(steady_ms)},
        ),
        Figure(
            "crm_calls_per_create_no_session",
            PART,
            "CRM calls per create, rep with no session",
            cold,
            "calls",
            Goal("<=", 3),
            detail={"calls": cold_calls},
        ),
        Figure(
            "crm_calls_per_create_naive",
            PART,
            "CRM calls per create, naive client (login each time)",
            rounded(naive),
            "calls",
            detail={"creates": len(naive_ms), "calls": naive_calls, "create_ms_p50": _p50(naive_ms)},
        ),
        Figure(
            "crm_calls_naive_over_steady",
            PART,
            "naive ÷ steady state",
            rounded(naive / steady if steady else None, 2),
            "×",
        ),
    ]


def _create(user, lastname: str) -> float:
    started = time.perf_counter()
    submission, _ = submission_create(kind="lead", user=user, data=data.lead_data(lastname), token=uuid.uuid4())
    elapsed = (time.perf_counter() - started) * 1000
    if not submission.in_mycrm:
        raise RuntimeError(f"lead {lastname} ended {submission.status}: {submission.last_error_message}")
    return elapsed


def _create_many(user, prefix: str) -> list[float]:
    deadline = time.monotonic() + TIME_LIMIT
    times = []
    for i in range(CREATES):
        if time.monotonic() > deadline:
            break
        times.append(_create(user, f"{prefix}{i:03d}"))
    return times


def _naive_creates(user) -> list[float]:
    account = CrmAccount.objects.get(user=user)
    client = CrmClient(
        settings.MYCRM_URL, connect_timeout=settings.CRM_CONNECT_TIMEOUT, read_timeout=settings.CRM_READ_TIMEOUT
    )
    deadline = time.monotonic() + TIME_LIMIT
    times = []
    for i in range(CREATES):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        login = client.login(account.crm_username, account.access_key)
        client.create("Leads", {"firstname": "Bench", "lastname": f"Naive{i:03d}", "assigned_user_id": login.user_id})
        times.append((time.perf_counter() - started) * 1000)
    return times


def _p50(values: list[float]) -> float | None:
    return round(statistics.median(values), 1) if values else None
