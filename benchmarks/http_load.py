"""Part 4, HTTP throughput under gunicorn (production settings, 2 workers x 8 threads): requests per
second and p95 latency of /healthz (the framework's floor), /help/ (a signed-in page with no data:
the floor of a page), a warm address check, the dashboard and /leads/ with 10,000 submissions, each
also as a cost ratio to /healthz.

The load generator: CONCURRENCY threads, each with one keep-alive connection (http.client: far less
client CPU per request than requests, which matters when client and server share two cores),
requesting one URL back to back for DURATION seconds or MAX_REQUESTS requests, whichever comes
first, after an unmeasured warm-up; ROUNDS rounds over the endpoints, added up. Loopback only. The
client runs on the same machine as the server, so absolute figures are lower than on a dedicated
host; the ratios are what compare.
"""

from __future__ import annotations

import http.client
import itertools
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from . import data
from .environment import HarnessError
from .report import Figure, Goal, percentile, rounded
from .web import cookie_header, sign_in

PART = "4 HTTP"
CONCURRENCY = 8
ROUNDS = 3
DURATION = 2.5  # seconds per endpoint and round (3 rounds, interleaved: 7.5 s per endpoint)
WARMUP = 1.0
MAX_REQUESTS = 20_000
SEEDED_LEADS = 10_000
PAGES_WITH_GOAL = ("check", "dashboard", "leads")
CHECK_QUERY = urlencode({"street": "55 Trinity Ave SW", "city": "Atlanta", "state": "GA"})


@dataclass
class LoadResult:
    seconds: float
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def ok(self) -> int:
        return self.statuses.get(200, 0)

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def add(self, other: LoadResult) -> None:
        self.seconds += other.seconds
        self.latencies_ms.extend(other.latencies_ms)
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n


def run(bench) -> list[Figure]:
    rep = data.rep_create("bench-http")
    data.leads_bulk_create(user=rep, count=SEEDED_LEADS)
    http = sign_in(bench.base_url, rep.username)
    cookie = cookie_header(http)
    endpoints = [
        ("healthz", "/healthz", "/healthz", ""),
        # A signed-in page with no data of its own (session, user, layout): the floor of every page.
        ("help", "/help/ (signed in, static)", "/help/", cookie),
        ("check", "/check/ (warm)", f"/check/?{CHECK_QUERY}", cookie),
        ("dashboard", "dashboard /", "/", cookie),
        ("leads", f"/leads/ ({SEEDED_LEADS:,} submissions)", "/leads/", cookie),
    ]
    # Every URL must answer 200 before it is measured (a redirect to sign-in would measure nothing);
    # this also puts the address in the cache.
    for _, _, path, _ in endpoints:
        answer = http.get(f"{bench.base_url}{path}", allow_redirects=False, timeout=30)
        if answer.status_code != 200:
            raise HarnessError(f"{path} answered HTTP {answer.status_code} before the load")

    # Rounds interleave the endpoints, so that a slow spell of a shared machine hits them alike.
    results = {key: LoadResult(seconds=0.0) for key, *_ in endpoints}
    for _ in range(ROUNDS):
        for key, _, path, cookie_value in endpoints:
            load(bench.port, path, cookie=cookie_value, duration=WARMUP)
            results[key].add(load(bench.port, path, cookie=cookie_value, duration=DURATION))

    figures: list[Figure] = []
    floor = results["healthz"]
    for key, label, _, _ in endpoints:
        result = results[key]
        detail = {
            "requests": sum(result.statuses.values()),
            "statuses": {str(k): v for k, v in sorted(result.statuses.items())},
            "p50_ms": rounded(percentile(result.latencies_ms, 50), 2),
            "seconds": rounded(result.seconds, 2),
            "concurrency": CONCURRENCY,
        }
        figures.append(
            Figure(f"http_{key}_rps", PART, f"{label}: throughput", rounded(result.rps, 1), "req/s", detail=detail)
        )
        figures.append(
            Figure(
                f"http_{key}_p95_ms",
                PART,
                f"{label}: p95 latency",
                rounded(percentile(result.latencies_ms, 95), 2),
                "ms",
            )
        )
        if result is not floor:
            cost = floor.rps / result.rps if result.rps else None
            # The goal for the pages (2× the liveness floor); /help/ is shown as the floor of a page.
            goal = Goal("<=", 2) if key in PAGES_WITH_GOAL else None
            figures.append(
                Figure(
                    f"http_{key}_cost_vs_healthz",
                    PART,
                    f"{label}: cost per request ÷ /healthz",
                    rounded(cost, 2),
                    "×",
                    goal,
                )
            )
    return figures


def load(
    port: int,
    path: str,
    *,
    cookie: str = "",
    duration: float = DURATION,
    max_requests: int = MAX_REQUESTS,
    concurrency: int = CONCURRENCY,
) -> LoadResult:
    """GET `path` from CONCURRENCY keep-alive connections for `duration` s or `max_requests`."""
    headers = {"Cookie": cookie} if cookie else {}
    issued = itertools.count()  # next() on it is atomic in CPython: a shared request budget
    per_thread: list[tuple[list[float], dict[int, int]]] = []
    started = time.perf_counter()
    deadline = time.monotonic() + duration

    def client() -> None:
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        per_thread.append((latencies, statuses))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            while time.monotonic() < deadline and next(issued) < max_requests:
                began = time.perf_counter()
                try:
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (http.client.HTTPException, OSError):
                    conn.close()  # reconnects on the next request
                    status = 0
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            conn.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=duration + 60)
    result = LoadResult(seconds=time.perf_counter() - started)
    for latencies, statuses in per_thread:
        result.latencies_ms.extend(latencies)
        for status, n in statuses.items():
            result.statuses[status] = result.statuses.get(status, 0) + n
    return result
