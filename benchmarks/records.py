"""Part 7, MyCRM's own records: what finding, opening and updating a record costs, in CRM calls
(the sandbox's counters) and time, through the portal's gunicorn as a signed-in rep.

- search: one query per search page (one module), its p50/p95 over 30 searches of 300 leads;
- duplicate check while typing: one query per module for a new value, none for one already checked;
- opening a record: one retrieve; saving an edit: one retrieve (the conflict check) and one revise.
"""

from __future__ import annotations

import re
import time

from mycrm_portal.sandbox import services as sandbox

from . import data
from .report import Figure, Goal, percentile, rounded
from .web import TIMEOUT, sign_in

PART = "7 MyCRM records"
RECORDS = 300
SEARCHES = 30
_INPUT = re.compile(r'<input[^>]*name="(token|base|csrfmiddlewaretoken)"[^>]*value="([^"]*)"')


def run(bench) -> list[Figure]:
    rep = data.rep_create("bench-records")
    for i in range(RECORDS):
        sandbox.record_create(
            module="Leads",
            values={
                "firstname": f"Rec{i}",
                "lastname": f"Record{i:04d}",
                "city": "Benchtown",
                "phone": f"404-555-{i:04d}",
                "assigned_user_id": "19x1",
            },
        )
    http = sign_in(bench.base_url, rep.username)
    base = bench.base_url
    http.get(f"{base}/crm/search/?q=warm&kind=lead", timeout=TIMEOUT)  # signs in to MyCRM

    sandbox.counters_reset()
    http.get(f"{base}/crm/search/", params={"q": "Benchtown", "kind": "lead", "page": 3}, timeout=TIMEOUT)
    search_calls = sandbox.counters("crm")
    times = []
    for _ in range(SEARCHES):
        started = time.perf_counter()
        answer = http.get(f"{base}/crm/search/", params={"q": "Benchtown", "kind": "lead"}, timeout=TIMEOUT)
        times.append((time.perf_counter() - started) * 1000)
        answer.raise_for_status()

    form = http.get(f"{base}/leads/new/", timeout=TIMEOUT).text
    csrf = dict(_INPUT.findall(form))["csrfmiddlewaretoken"]
    typed = {"csrfmiddlewaretoken": csrf, "firstname": "New", "lastname": "Lead", "phone": "404-555-0042"}
    headers = {"HX-Request": "true", "HX-Trigger-Name": "phone", "X-CSRFToken": csrf}
    sandbox.counters_reset()
    http.post(f"{base}/leads/validate/?dupes=1", data=typed, headers=headers, timeout=TIMEOUT)
    first_check = sandbox.counters("crm").get("query", 0)
    sandbox.counters_reset()
    http.post(f"{base}/leads/validate/?dupes=1", data=typed, headers=headers, timeout=TIMEOUT)
    second_check = sandbox.counters("crm").get("query", 0)

    crm_id = next(r["id"] for r in sandbox.records("Leads") if r["lastname"] == "Record0000")
    sandbox.counters_reset()
    http.get(f"{base}/crm/leads/{crm_id}/", timeout=TIMEOUT)
    open_calls = sandbox.counters("crm")

    page = http.get(f"{base}/crm/leads/{crm_id}/edit/", timeout=TIMEOUT).text
    hidden = dict(_INPUT.findall(page))
    values = {
        **hidden,
        "firstname": "Rec0",
        "lastname": "Record0000",
        "city": "Elsewhere",
        "phone": "404-555-0000",
        "assigned_user_id": "19x1",
    }
    sandbox.counters_reset()
    saved = http.post(f"{base}/crm/leads/{crm_id}/edit/", data=values, allow_redirects=False, timeout=TIMEOUT)
    save_calls = sandbox.counters("crm")
    return [
        Figure(
            "records_search_queries_per_page",
            PART,
            "search: CRM queries per results page",
            search_calls.get("query", 0),
            "queries",
            Goal("<=", 1),
            detail={"calls": search_calls},
        ),
        Figure(
            "records_search_p50_ms", PART, f"search of {RECORDS} records: p50", rounded(percentile(times, 50), 1), "ms"
        ),
        Figure("records_search_p95_ms", PART, "search: p95", rounded(percentile(times, 95), 1), "ms"),
        Figure(
            "records_duplicate_check_queries_new",
            PART,
            "duplicate check of a new phone: queries (one per module)",
            first_check,
            "queries",
            Goal("<=", 2),
        ),
        Figure(
            "records_duplicate_check_queries_again",
            PART,
            "duplicate check of a value already checked: queries",
            second_check,
            "queries",
            Goal("==", 0),
        ),
        Figure(
            "records_open_calls",
            PART,
            "opening a record: CRM calls",
            sum(open_calls.values()),
            "calls",
            Goal("<=", 1),
            detail={"calls": open_calls},
        ),
        Figure(
            "records_save_edit_calls",
            PART,
            "saving an edit: CRM calls (retrieve + revise)",
            sum(save_calls.values()) if saved.status_code == 302 else None,
            "calls",
            Goal("==", 2),
            detail={"calls": save_calls, "status": saved.status_code},
        ),
    ]
