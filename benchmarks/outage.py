"""Part 6, outage drill: the sandbox CRM is down (HTTP 503) while 10 reps submit 200 leads through
the real web form over HTTP; then it comes back, and the task worker, which runs throughout as in
production, retries the queued submissions (backoff SYNC_RETRY_BASE_SECONDS=1 doubling to
SYNC_RETRY_MAX_SECONDS=4 for the drill).

Each rep has their own signed-in session and CRM user (and a CRM session: each sent one lead just
before the outage), and posts concurrently with the others. Every lead has a unique last name,
which is how local rows and CRM records are matched: submitted = HTTP 302 answers; saved = local
rows; synced = local rows in MyCRM; lost = submitted but neither saved nor in the CRM; duplicated =
CRM records beyond the first per last name; drain = seconds from the CRM coming back to no
submission left queued or sending.

Then the slow phase: the CRM takes 40 s to answer (past the portal's 10 s read timeout, so each
create is still running when the portal gives up), then recovers. A retry that looked before the
first create had committed would create a second record; the portal looks only after
CRM_REQUEST_MAX_SECONDS (45 s in the drill): 0 duplicates, 0 lost.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter

from django.db import connection

from leads.models import Lead, Status, SyncAttempt
from mycrm_portal.sandbox import services as sandbox

from . import data, environment
from .environment import HarnessError, Worker
from .report import Figure, Goal, percentile, rounded
from .web import lead_form, sign_in

PART = "6 Outage drill"
REPS = 10
LEADS = 200
POST_TIME_LIMIT = 120.0
DRAIN_TIME_LIMIT = 120.0
SLOW_REPS = 5
SLOW_CRM_SECONDS = 40.0


def run(bench) -> list[Figure]:
    tag = f"Drill{secrets.token_hex(3)}"
    reps = [data.rep_create(f"bench-drill-{i:02d}") for i in range(REPS)]
    sessions = _in_threads([lambda rep=rep: sign_in(bench.base_url, rep.username) for rep in reps])
    # The reps were at work before the outage: each has a CRM session (one lead sent).
    before = _in_threads(
        [
            lambda i=i, http=http: _post_leads(bench.base_url, http, f"Before{tag}R{i:02d}N", 1)
            for i, http in enumerate(sessions)
        ]
    )
    if any(status != 302 for rep_answers in before for _, status, _ in rep_answers):
        raise HarnessError("a lead sent before the outage was not accepted")
    sandbox.counters_reset()
    sandbox.fault_set(target="crm", mode="down")
    try:
        with Worker(bench) as worker:
            post_started = time.monotonic()
            per_rep = LEADS // REPS
            answers = _in_threads(
                [
                    lambda i=i, http=http: _post_leads(bench.base_url, http, f"{tag}R{i:02d}N", per_rep)
                    for i, http in enumerate(sessions)
                ]
            )
            posting_seconds = time.monotonic() - post_started
            answers = [a for rep_answers in answers for a in rep_answers]
            outage_calls = sandbox.counters("crm")

            sandbox.counters_reset()
            sandbox.faults_clear()
            cleared = time.monotonic()
            drained = _wait_drained(tag, cleared + DRAIN_TIME_LIMIT)
            drain_seconds = time.monotonic() - cleared
            drain_calls = sandbox.counters("crm")
            if not worker.alive():
                raise HarnessError("the task worker stopped during the drill")
    finally:
        sandbox.faults_clear()

    submitted = {name for name, status, _ in answers if status == 302}
    post_ms = [ms for _, _, ms in answers]
    local = dict(Lead.objects.filter(lastname__startswith=tag).values_list("lastname", "status"))
    crm = Counter(r.get("lastname", "") for r in sandbox.records("Leads") if r.get("lastname", "").startswith(tag))
    synced = sum(1 for status in local.values() if status in (Status.SYNCED, Status.DIFFERS))
    waiting = sum(1 for status in local.values() if status in (Status.QUEUED, Status.PENDING))
    rejected = sum(1 for status in local.values() if status == Status.REJECTED)
    lost = sorted(name for name in submitted if name not in local and name not in crm)
    duplicated = sum(n - 1 for n in crm.values() if n > 1)
    attempts = SyncAttempt.objects.filter(lead__lastname__startswith=tag).count()
    drain_total = sum(drain_calls.values())
    return _slow_phase(bench, sessions[:SLOW_REPS], tag) + [
        Figure(
            "outage_submitted",
            PART,
            f"leads submitted during the outage ({REPS} reps, HTTP 302)",
            len(submitted),
            "leads",
            Goal("==", LEADS),
            detail={
                "answers": dict(Counter(str(s) for _, s, _ in answers)),
                "posting_seconds": rounded(posting_seconds, 2),
                "form_post_ms_p50": rounded(percentile(post_ms, 50), 1),
                "form_post_ms_p95": rounded(percentile(post_ms, 95), 1),
                "crm_calls_during_outage": outage_calls,
            },
        ),
        Figure("outage_saved", PART, "saved locally", len(local), "leads", Goal("==", len(submitted))),
        Figure(
            "outage_synced",
            PART,
            "synced to MyCRM after recovery",
            synced,
            "leads",
            Goal("==", len(submitted)),
            detail={"rejected": rejected, "sync_attempts": attempts},
        ),
        Figure("outage_queued_left", PART, "still queued at the end", waiting, "leads", Goal("==", 0)),
        Figure(
            "outage_lost",
            PART,
            "lost (submitted, neither saved nor in MyCRM)",
            len(lost),
            "leads",
            Goal("==", 0),
            detail={"lastnames": lost[:20]},
        ),
        Figure(
            "outage_duplicated",
            PART,
            "duplicated in MyCRM (extra records)",
            duplicated,
            "records",
            Goal("==", 0),
            detail={"crm_records": sum(crm.values())},
        ),
        Figure(
            "outage_drain_seconds",
            PART,
            "seconds to drain (CRM back → all synced)",
            rounded(drain_seconds, 2),
            "s",
            detail={
                "drained": drained,
                "limit_seconds": DRAIN_TIME_LIMIT,
                "retry_backoff_seconds": "1, doubling, max 4",
            },
        ),
        Figure(
            "outage_crm_calls_per_lead",
            PART,
            "CRM calls per lead while draining",
            rounded(drain_total / synced, 2) if synced else None,
            "calls",
            detail={"calls": drain_calls},
        ),
    ]


def _slow_phase(bench, sessions, tag: str) -> list[Figure]:
    """A CRM that answers only after 40 s, then recovers: no duplicate, nothing lost."""
    slow_tag = f"Slow{tag}"
    sandbox.fault_set(target="crm", mode="slow", seconds=SLOW_CRM_SECONDS)
    try:
        with Worker(bench) as worker:
            started = time.monotonic()
            answers = _in_threads(
                [
                    lambda i=i, http=http: _post_leads(bench.base_url, http, f"{slow_tag}R{i:02d}N", 1)
                    for i, http in enumerate(sessions)
                ]
            )
            sandbox.faults_clear()  # recovered: new requests are answered at once
            limit = started + SLOW_CRM_SECONDS + environment.CRM_REQUEST_MAX_SECONDS + DRAIN_TIME_LIMIT
            drained = _wait_drained(slow_tag, limit)
            seconds = time.monotonic() - started
            if not worker.alive():
                raise HarnessError("the task worker stopped during the slow phase")
    finally:
        sandbox.faults_clear()
    answers = [a for rep_answers in answers for a in rep_answers]
    submitted = {name for name, status, _ in answers if status == 302}
    local = dict(Lead.objects.filter(lastname__startswith=slow_tag).values_list("lastname", "status"))
    crm = Counter(r.get("lastname", "") for r in sandbox.records("Leads") if r.get("lastname", "").startswith(slow_tag))
    in_mycrm = sum(1 for status in local.values() if status in (Status.SYNCED, Status.DIFFERS))
    lost = sorted(name for name in submitted if name not in local and name not in crm)
    return [
        Figure(
            "outage_slow_submitted",
            PART,
            f"slow CRM ({SLOW_CRM_SECONDS:.0f} s per answer): leads submitted",
            len(submitted),
            "leads",
            Goal("==", len(sessions)),
        ),
        Figure(
            "outage_slow_synced", PART, "slow CRM: in MyCRM at the end", in_mycrm, "leads", Goal("==", len(submitted))
        ),
        Figure("outage_slow_lost", PART, "slow CRM: lost", len(lost), "leads", Goal("==", 0)),
        Figure(
            "outage_slow_duplicated",
            PART,
            "slow CRM: duplicated in MyCRM",
            sum(n - 1 for n in crm.values() if n > 1),
            "records",
            Goal("==", 0),
            detail={"crm_records": sum(crm.values()), "drained": drained},
        ),
        Figure("outage_slow_seconds", PART, "slow CRM: seconds until all were in MyCRM", rounded(seconds, 1), "s"),
    ]


def _post_leads(base_url: str, http, prefix: str, count: int) -> list[tuple[str, int, float]]:
    """One rep submits `count` leads through the form: (last name, HTTP status of the POST, 0 for
    no answer; its milliseconds)."""
    answers = []
    deadline = time.monotonic() + POST_TIME_LIMIT
    for i in range(count):
        if time.monotonic() > deadline:
            break
        lastname = f"{prefix}{i:03d}"
        started = time.perf_counter()  # (again below: the POST alone is timed)
        try:
            form = lead_form(http, base_url)
            body = {
                **form,
                "firstname": "Drill",
                "lastname": lastname,
                "email": f"{lastname.lower()}@example.com",
                "city": "Atlanta",
                "state": "GA",
            }
            started = time.perf_counter()
            status = http.post(f"{base_url}/leads/new/", data=body, allow_redirects=False, timeout=60).status_code
        except (OSError, HarnessError):
            status = 0
        answers.append((lastname, status, (time.perf_counter() - started) * 1000))
    return answers


def _wait_drained(tag: str, deadline: float) -> bool:
    waiting = Lead.objects.filter(lastname__startswith=tag, status__in=[Status.QUEUED, Status.PENDING])
    while time.monotonic() < deadline:
        if not waiting.exists():
            return True
        time.sleep(0.2)
    return False


def _in_threads(calls: list) -> list:
    """Run the calls at once, one thread each; their results in order (the first error re-raised)."""
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def run_one(i: int) -> None:
        try:
            results[i] = calls[i]()
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run_one, args=(i,), daemon=True) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=POST_TIME_LIMIT + 60)
    if errors:
        raise errors[0]
    return results
