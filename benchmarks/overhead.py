"""Part 9, the portal's own cost per create: MyCRM (the sandbox in its own gunicorn) answers every
call after a fixed 80 ms, like a real vtiger on loopback; 30 interleaved pairs of (a raw webservice
create with a reused session, the portal's POST /leads/new/ until its redirect). The ratio of the
medians is the portal's overhead (goal <= 1.15). The same for a contact, and the rep's whole round
(form, post, record page) as a figure.

The posts carry no phone or e-mail: on a rep's form those were checked for duplicates while typed,
so the submit asks MyCRM nothing but the create (see leads/duplicates.py).
"""

from __future__ import annotations

import re
import statistics
import time
import uuid

from mycrm_portal.crm.client import CrmClient
from mycrm_portal.sandbox import services as sandbox

from . import data
from .report import Figure, Goal, rounded
from .web import TIMEOUT, sign_in

PART = "9 Create overhead"
PAIRS = 30
LATENCY_SECONDS = 0.080
_INPUT = re.compile(r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"')
_ASSIGNED = re.compile(r'<select name="assigned_user_id"[^>]*>\s*<option value="([^"]+)"')


def run(bench) -> list[Figure]:
    rep = data.rep_create("bench-overhead")
    crm_user = sandbox.sandbox_user_get_or_create(user_name="bench-overhead")
    http = sign_in(bench.base_url, rep.username)
    raw = CrmClient(bench.env["MYCRM_URL"], connect_timeout=3.05, read_timeout=10)
    raw.login(crm_user.user_name, crm_user.access_key)
    _portal_create(http, bench.base_url, "leads", "Warm")  # the portal's CRM session exists
    sandbox.fault_set(target="crm", mode="slow", seconds=LATENCY_SECONDS)
    try:
        figures = []
        for kind in ("leads", "contacts"):
            raw_ms, portal_ms = [], []
            for i in range(PAIRS):
                started = time.perf_counter()
                raw.create(kind.capitalize(), {"lastname": f"Raw{i}", "assigned_user_id": crm_user.ws_id})
                raw_ms.append((time.perf_counter() - started) * 1000)
                portal_ms.append(_portal_create(http, bench.base_url, kind, f"Portal{kind}{i}"))
            raw_median, portal_median = statistics.median(raw_ms), statistics.median(portal_ms)
            key = "create_overhead_ratio" if kind == "leads" else "create_overhead_ratio_contact"
            figures += [
                Figure(f"{key}_crm_ms", PART, f"{kind}: MyCRM's own create, median", rounded(raw_median, 1), "ms"),
                Figure(f"{key}_portal_ms", PART, f"{kind}: POST /{kind}/new/, median", rounded(portal_median, 1), "ms"),
                Figure(
                    key,
                    PART,
                    f"{kind}: portal ÷ MyCRM (medians)",
                    rounded(portal_median / raw_median, 2),
                    "×",
                    Goal("<=", 1.15),
                    detail={"pairs": PAIRS, "latency_ms": LATENCY_SECONDS * 1000},
                ),
            ]
        rounds = [_rep_round(http, bench.base_url, i) for i in range(10)]
        figures.append(
            Figure(
                "create_rep_round_ms",
                PART,
                "rep's round (form, post, record page), median",
                rounded(statistics.median(rounds), 1),
                "ms",
            )
        )
        return figures
    finally:
        sandbox.faults_clear()


def _form(http, base_url: str, kind: str) -> dict:
    page = http.get(f"{base_url}/{kind}/new/", timeout=TIMEOUT).text
    values = dict(_INPUT.findall(page))
    values["assigned_user_id"] = _ASSIGNED.search(page).group(1)
    return values


def _portal_create(http, base_url: str, kind: str, lastname: str) -> float:
    body = {**_form(http, base_url, kind), "firstname": "Bench", "lastname": f"{lastname}{uuid.uuid4().hex[:6]}"}
    started = time.perf_counter()
    answer = http.post(f"{base_url}/{kind}/new/", data=body, allow_redirects=False, timeout=TIMEOUT)
    elapsed = (time.perf_counter() - started) * 1000
    if answer.status_code != 302:
        raise RuntimeError(f"POST /{kind}/new/ answered HTTP {answer.status_code}")
    return elapsed


def _rep_round(http, base_url: str, i: int) -> float:
    started = time.perf_counter()
    body = {**_form(http, base_url, "leads"), "firstname": "Round", "lastname": f"Round{i}{uuid.uuid4().hex[:6]}"}
    answer = http.post(f"{base_url}/leads/new/", data=body, allow_redirects=False, timeout=TIMEOUT)
    http.get(f"{base_url}{answer.headers['Location']}", timeout=TIMEOUT)
    return (time.perf_counter() - started) * 1000
