"""Part 8, load: 50 concurrent clients for 60 s against gunicorn (production settings) and the
sandbox, each a rep who signs in, then checks addresses and creates leads through the real form,
back to back. Counted: errors (any answer >= 500 or no answer), leads lost (a 302 answer but no
local row and no CRM record), leads duplicated (CRM records beyond one per last name), and the p95
of each page. Loopback only; the clients share the machine's two cores with the server.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import Counter

import requests

from leads.models import Lead
from mycrm_portal.sandbox import services as sandbox

from . import data
from .environment import Worker
from .report import Figure, Goal, percentile, rounded
from .web import lead_form, sign_in

PART = "8 Load"
CLIENTS = 50
DURATION = 60.0
ADDRESSES = [
    {"street": "55 Trinity Ave SW", "city": "Atlanta", "state": "GA"},
    {"street": "39 Main St", "city": "Montpelier", "state": "VT"},
    {"street": "101 S Tryon St", "city": "Charlotte", "state": "NC"},
]


def run(bench) -> list[Figure]:
    tag = f"Load{secrets.token_hex(3)}"
    reps = [data.rep_create(f"bench-load-{i:02d}") for i in range(CLIENTS)]
    timings: dict[str, list[float]] = {"sign-in": [], "check": [], "lead form": [], "lead post": []}
    errors: Counter = Counter()
    submitted: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + DURATION

    def client(i: int, username: str) -> None:
        started = time.perf_counter()
        try:
            http = sign_in(bench.base_url, username)
        except Exception as exc:  # counted, and the client stops
            with lock:
                errors[f"sign-in: {type(exc).__name__}"] += 1
            return
        _record("sign-in", started)
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            address = ADDRESSES[n % len(ADDRESSES)]
            _get(http, f"{bench.base_url}/check/", address, "check")
            lastname = f"{tag}C{i:02d}N{n:04d}"
            try:
                started = time.perf_counter()
                form = lead_form(http, bench.base_url)
                _record("lead form", started)
                body = {**form, "firstname": "Load", "lastname": lastname, "email": f"{lastname.lower()}@example.com"}
                started = time.perf_counter()
                answer = http.post(f"{bench.base_url}/leads/new/", data=body, allow_redirects=False, timeout=60)
                _record("lead post", started)
                if answer.status_code >= 500:
                    _error(f"lead post: HTTP {answer.status_code}")
                elif answer.status_code == 302:
                    with lock:
                        submitted.append(lastname)
            except (requests.RequestException, OSError) as exc:
                _error(f"lead: {type(exc).__name__}")
            except Exception as exc:  # a form without its token (a 5xx page, say)
                _error(f"lead form: {type(exc).__name__}")

    def _get(http, url, params, name):
        started = time.perf_counter()
        try:
            answer = http.get(url, params=params, timeout=60)
        except (requests.RequestException, OSError) as exc:
            _error(f"{name}: {type(exc).__name__}")
            return
        _record(name, started)
        if answer.status_code >= 500:
            _error(f"{name}: HTTP {answer.status_code}")

    def _record(name, started):
        with lock:
            timings[name].append((time.perf_counter() - started) * 1000)

    def _error(what):
        with lock:
            errors[what] += 1

    with Worker(bench):
        threads = [threading.Thread(target=client, args=(i, rep.username), daemon=True) for i, rep in enumerate(reps)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=DURATION + 120)
        deadline = time.monotonic() + 60
        while (
            time.monotonic() < deadline
            and Lead.objects.filter(lastname__startswith=tag, status__in=["pending", "queued"]).exists()
        ):
            time.sleep(0.5)

    local = set(Lead.objects.filter(lastname__startswith=tag).values_list("lastname", flat=True))
    crm = Counter(r.get("lastname", "") for r in sandbox.records("Leads") if r.get("lastname", "").startswith(tag))
    lost = [name for name in submitted if name not in local and name not in crm]
    figures = [
        Figure(
            "load_errors",
            PART,
            f"{CLIENTS} clients for {DURATION:.0f} s: errors",
            sum(errors.values()),
            "errors",
            Goal("==", 0),
            detail=dict(errors),
        ),
        Figure("load_leads_created", PART, "leads created (HTTP 302)", len(submitted), "leads"),
        Figure("load_lost", PART, "lost", len(lost), "leads", Goal("==", 0), detail={"lastnames": lost[:10]}),
        Figure(
            "load_duplicated",
            PART,
            "duplicated in MyCRM",
            sum(n - 1 for n in crm.values() if n > 1),
            "records",
            Goal("==", 0),
        ),
    ]
    for name, values in timings.items():
        key = "load_p95_" + name.replace(" ", "_").replace("-", "_") + "_ms"
        figures.append(
            Figure(
                key, PART, f"{name}: p95", rounded(percentile(values, 95), 1), "ms", detail={"requests": len(values)}
            )
        )
    return figures
