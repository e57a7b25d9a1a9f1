"""Part 2, one login under a crowd: 2 processes x 20 threads create leads for one rep who has no
CRM session, all released at once; the sandbox counts the logins (the goal is 1).

The parent (`run`) starts the processes (`python -m benchmarks.crowd ...`, this module's `main`),
waits until every thread of both has its database connection and is waiting, then creates the
start file they all poll for. Each process prints its threads' outcomes as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

from .environment import PROJECT, PYTHON, WORK, HarnessError, tail
from .report import Figure, Goal

PART = "2 Crowd"
PROCESSES = 2
THREADS = 20
READY_TIMEOUT = 60.0
RUN_TIMEOUT = 120.0


def run(bench) -> list[Figure]:
    # Django is set up in the parent only when run() is called (main() sets it up in a child).
    from mycrm_portal.crm.models import CrmAccount
    from mycrm_portal.sandbox import services as sandbox

    from . import data

    rep = data.rep_create("bench-crowd")
    sandbox.counters_reset()
    outcomes, wall = _crowd(bench, rep)
    calls = sandbox.counters("crm")
    synced = sum(1 for o in outcomes if o["status"] == "synced")
    times = [o["ms"] for o in outcomes if o.get("ms") is not None]
    errors = sorted({o["error"] for o in outcomes if o.get("error")})
    return [
        Figure(
            "crowd_logins",
            PART,
            f"logins, {PROCESSES}×{THREADS} threads creating at once, rep with no session",
            calls.get("login", 0),
            "logins",
            Goal("==", 1),
            detail={
                "crm_calls": calls,
                "account_logins": CrmAccount.objects.get(user=rep).logins,
                "wall_seconds": round(wall, 2),
                "create_ms_p50": round(statistics.median(times), 1) if times else None,
                "create_ms_max": round(max(times), 1) if times else None,
                "errors": errors,
            },
        ),
        Figure(
            "crowd_leads_synced",
            PART,
            "of which leads created in MyCRM",
            synced,
            "leads",
            Goal("==", PROCESSES * THREADS),
        ),
    ]


def _crowd(bench, rep) -> tuple[list[dict], float]:
    """Run the processes for `rep`; every thread's outcome, and the wall time from the start."""
    start = WORK / "crowd.start"
    start.unlink(missing_ok=True)
    log_path = WORK / "crowd.log"
    procs: list[tuple[subprocess.Popen, Path]] = []
    with open(log_path, "a", encoding="utf-8") as log:
        try:
            for i in range(PROCESSES):
                ready = WORK / f"crowd.ready.{i}"
                ready.unlink(missing_ok=True)
                args = [
                    PYTHON, "-m", "benchmarks.crowd", "--user-id", str(rep.pk), "--threads", str(THREADS),
                    "--ready-file", str(ready), "--start-file", str(start),
                ]  # fmt: skip
                proc = subprocess.Popen(args, cwd=PROJECT, env=bench.env, stdout=subprocess.PIPE, stderr=log, text=True)
                procs.append((proc, ready))
            deadline = time.monotonic() + READY_TIMEOUT
            while not all(ready.exists() for _, ready in procs):
                if any(proc.poll() is not None for proc, _ in procs) or time.monotonic() > deadline:
                    raise HarnessError(f"the crowd's processes did not get ready:\n{tail(log_path)}")
                time.sleep(0.01)
            started = time.monotonic()
            start.touch()
            outcomes = []
            for proc, _ in procs:
                out, _ = proc.communicate(timeout=RUN_TIMEOUT)
                if proc.returncode != 0:
                    raise HarnessError(f"a crowd process failed:\n{tail(log_path)}")
                outcomes.extend(json.loads(out))
            return outcomes, time.monotonic() - started
        finally:
            for proc, _ in procs:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()


# --- One process of the crowd ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One process of the crowd (benchmarks part 2).")
    parser.add_argument("--user-id", type=int, required=True)
    parser.add_argument("--threads", type=int, default=THREADS)
    parser.add_argument("--ready-file", type=Path, required=True)
    parser.add_argument("--start-file", type=Path, required=True)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from leads.saving import submission_create

    from .data import lead_data

    user = get_user_model().objects.get(pk=args.user_id)
    connection.close()
    results: list[dict] = [{"status": "not run"} for _ in range(args.threads)]
    ready = threading.Barrier(args.threads + 1)
    go = threading.Event()

    def thread(i: int) -> None:
        try:
            get_user_model().objects.filter(pk=user.pk).exists()  # this thread's connection, opened now
            ready.wait(timeout=READY_TIMEOUT)
            if not go.wait(timeout=READY_TIMEOUT):
                results[i] = {"status": "error", "error": "never started"}
                return
            started = time.perf_counter()
            submission, _ = submission_create(
                kind="lead", user=user, data=lead_data(f"Crowd{uuid.uuid4().hex[:8]}"), token=uuid.uuid4()
            )
            results[i] = {
                "status": submission.status,
                "ms": (time.perf_counter() - started) * 1000,
                "error": submission.last_error_code,
            }
        except Exception as exc:
            results[i] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:200]}
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, args=(i,), daemon=True) for i in range(args.threads)]
    for t in threads:
        t.start()
    ready.wait(timeout=READY_TIMEOUT)
    args.ready_file.touch()
    deadline = time.monotonic() + READY_TIMEOUT
    while not args.start_file.exists() and time.monotonic() < deadline:
        time.sleep(0.001)
    go.set()
    for t in threads:
        t.join(timeout=RUN_TIMEOUT)
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
