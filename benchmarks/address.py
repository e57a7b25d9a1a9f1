"""Part 3, address check cost: in-process `address_check` against the sandbox's address service
(served by gunicorn, no added delay).

- cold: an address never checked before, so the service is asked (one HTTP call upstream);
- warm: the same addresses again, answered from the shared cache;
- crowd: 50 threads check one new address at the same moment; the sandbox counts the upstream
  calls (the goal is 1: single flight).
"""

from __future__ import annotations

import threading
import time

from django.db import connection

from mycrm_portal.sandbox import services as sandbox
from serviceability.models import AddressCheck
from serviceability.services import address_check

from . import data
from .report import Figure, Goal, percentile, rounded

PART = "3 Address check"
CALLS = 40
CROWD = 50
TIME_LIMIT = 60.0


def run(bench) -> list[Figure]:
    rep = data.rep_create("bench-address", crm=False)
    addresses = [(f"{100 + i} Benchmark Ave", "Springfield", "IL") for i in range(CALLS)]
    _check(rep, ("1 Warmup Rd", "Springfield", "IL"))  # imports and connections of the code path

    sandbox.counters_reset()
    cold = _timed_checks(rep, addresses)
    cold_upstream = sandbox.counters("fcc").get("check", 0)
    sandbox.counters_reset()
    warm = _timed_checks(rep, addresses)
    warm_upstream = sandbox.counters("fcc").get("check", 0)

    sandbox.counters_reset()
    crowd = _crowd(rep, ("77 Crowded Way", "Springfield", "IL"))
    crowd_upstream = sandbox.counters("fcc").get("check", 0)

    return [
        Figure(
            "address_cold_p50_ms",
            PART,
            "address_check cold (upstream), p50",
            _pct(cold, 50),
            "ms",
            detail={"calls": len(cold), "upstream_calls": cold_upstream},
        ),
        Figure("address_cold_p95_ms", PART, "address_check cold (upstream), p95", _pct(cold, 95), "ms"),
        Figure(
            "address_warm_p50_ms",
            PART,
            "address_check warm (cache), p50",
            _pct(warm, 50),
            "ms",
            detail={"calls": len(warm), "upstream_calls": warm_upstream},
        ),
        Figure("address_warm_p95_ms", PART, "address_check warm (cache), p95", _pct(warm, 95), "ms"),
        Figure(
            "address_cold_over_warm",
            PART,
            "cold ÷ warm (p50)",
            rounded(_pct(cold, 50) / _pct(warm, 50), 2) if warm else None,
            "×",
        ),
        Figure(
            "address_crowd_upstream_calls",
            PART,
            f"upstream calls, {CROWD} concurrent checks of one new address",
            crowd_upstream,
            "calls",
            Goal("==", 1),
            detail=crowd,
        ),
    ]


def _check(user, address) -> AddressCheck:
    street, city, state = address
    check = address_check(user=user, street=street, city=city, state=state)
    if check.outcome not in (AddressCheck.Outcome.FOUND, AddressCheck.Outcome.NO_MATCH):
        raise RuntimeError(f"address check ended {check.outcome}: {check.error_message}")
    return check


def _timed_checks(user, addresses) -> list[float]:
    deadline = time.monotonic() + TIME_LIMIT
    times = []
    for address in addresses:
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        _check(user, address)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _crowd(user, address) -> dict:
    barrier = threading.Barrier(CROWD)
    outcomes: list[str] = []
    times: list[float] = []
    lock = threading.Lock()

    def thread() -> None:
        try:
            barrier.wait(timeout=30)
            started = time.perf_counter()
            check = _check(user, address)
            with lock:
                outcomes.append("cache" if check.from_cache else "upstream")
                times.append((time.perf_counter() - started) * 1000)
        except Exception as exc:
            with lock:
                outcomes.append(f"error: {type(exc).__name__}: {exc}"[:200])
        finally:
            connection.close()

    threads = [threading.Thread(target=thread, daemon=True) for _ in range(CROWD)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=TIME_LIMIT)
    counted = {name: outcomes.count(name) for name in sorted(set(outcomes))}
    return {"outcomes": counted, "ms_p50": _pct(times, 50), "ms_max": rounded(max(times), 1) if times else None}


def _pct(values: list[float], pct: int) -> float | None:
    return rounded(percentile(values, pct), 2)
