"""Part 5, growth: /leads/, a record page and the admin changelist with 1,000 and with 100,000
submissions (all of one rep, the worst case for that rep's list; the admin sees all).

In-process through django.test.Client (the whole middleware stack, no network): the database
queries of one request (CaptureQueriesContext; they must not grow with the rows), then the median
time of REPEATS requests without query capture. Each query's SQL and time go to results.json, so
that a page that slows down shows which query does it.
"""

from __future__ import annotations

import re
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from leads.models import Lead
from reports.rollups import rebuild_report_figures
from serviceability.models import AddressCheck

from . import data
from .report import Figure, Goal, percentile, rounded

PART = "5 Growth"
SMALL, LARGE = 1_000, 100_000
REPEATS = 15
TIME_LIMIT = 15.0  # seconds per page and size
_SESSION_KEY = re.compile(r"(\"session_key\" = )'[^']*'")


def run(bench) -> list[Figure]:
    data.submissions_delete_all()
    rep = data.rep_create("bench-growth", crm=False)
    admin = data.rep_create("bench-admin", staff=True, crm=False)
    pks = data.leads_bulk_create(user=rep, count=SMALL)
    record = Lead.objects.get(pk=pks[len(pks) // 2])
    data.sync_attempts_create(record)
    AddressCheck.objects.all().delete()
    data.checks_bulk_create(user=rep, count=SMALL)
    rebuild_report_figures()  # bulk inserts send no signals: count them as the command would
    pages = [
        ("leads", "/leads/", "/leads/ (rep's list)", rep),
        ("record", f"/leads/{record.pk}/", "record page /leads/<pk>/", rep),
        ("admin", "/admin/leads/lead/", "admin changelist", admin),
        # Staff: everyone's figures, the default eight weeks.
        ("reports", "/reports/", "reports (submissions and checks)", admin),
    ]
    small = {key: _measure(url, user) for key, url, _, user in pages}
    data.leads_bulk_create(user=rep, count=LARGE - SMALL, start=SMALL)
    data.checks_bulk_create(user=rep, count=LARGE - SMALL)
    rebuild_report_figures()
    large = {key: _measure(url, user) for key, url, _, user in pages}

    figures = []
    for key, _, label, _ in pages:
        s, big = small[key], large[key]
        figures += [
            Figure(
                f"growth_{key}_queries_1k",
                PART,
                f"{label}: queries, 1k",
                s["queries"],
                "queries",
                detail={"sql": s["sql"]},
            ),
            Figure(
                f"growth_{key}_queries_100k",
                PART,
                f"{label}: queries, 100k",
                big["queries"],
                "queries",
                Goal("<=", 12 if key == "reports" else s["queries"]),
                detail={"sql": big["sql"]},
            ),
            Figure(f"growth_{key}_ms_1k", PART, f"{label}: time, 1k", s["ms"], "ms", detail={"runs": s["runs"]}),
            Figure(
                f"growth_{key}_ms_100k", PART, f"{label}: time, 100k", big["ms"], "ms", detail={"runs": big["runs"]}
            ),
            Figure(
                f"growth_{key}_time_ratio",
                PART,
                f"{label}: time 100k ÷ 1k",
                rounded(big["ms"] / s["ms"], 2) if s["ms"] else None,
                "×",
                Goal("<=", 1.5) if key in ("admin", "reports") else None,
                note=_slowest(label, big["sql"]),
            ),
        ]
    return figures


def _slowest(label: str, sql: list[dict]) -> str:
    """The slowest query of a page at 100k, when it takes a measurable time."""
    slowest = max(sql, key=lambda q: q["ms"] or 0, default=None)
    if slowest is None or (slowest["ms"] or 0) < 2:
        return ""
    return f"{label} at 100k: slowest query {slowest['ms']:.0f} ms: {slowest['sql'][:110]}"


def _measure(url: str, user) -> dict:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    _get(client, url)  # templates compiled, caches warm
    with CaptureQueriesContext(connection) as captured:
        _get(client, url)
    sql = [
        {"ms": rounded(float(q["time"]) * 1000, 2), "sql": _redact(q["sql"])[:400]} for q in captured.captured_queries
    ]
    times = []
    deadline = time.monotonic() + TIME_LIMIT
    while len(times) < REPEATS and time.monotonic() < deadline:
        started = time.perf_counter()
        _get(client, url)
        times.append((time.perf_counter() - started) * 1000)
    return {"queries": len(sql), "sql": sql, "ms": rounded(percentile(times, 50), 2), "runs": len(times)}


def _redact(sql: str) -> str:
    """Session keys stay out of results.json, even a throwaway run's."""
    return _SESSION_KEY.sub(r"\1'…'", sql)


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered HTTP {response.status_code}")
