"""Part B (`make bench BENCH_BREAKDOWN=1`, or `--parts B`): where the time of one request goes, for
the create, the warm check, the dashboard and the lists. In-process (django.test.Client: every
middleware, no network to the portal) against the sandbox's gunicorn as MyCRM and address service.

For each page, the median over REPEATS requests of: the total; the SQL (count and time, the
`commit`s counted apart); template rendering; outbound HTTP (the CRM call, the address service);
and the rest (middleware, view code, forms, sessions). Printed as figures and kept in results.json.
Requests go through Django's test client as gunicorn would serve them (`_AsServed`): the CSRF
check on, and the connection housekeeping of Django's request signals before and after each one.

Then the floors, in process too (the best of ROUNDS rounds of FLOOR_REQUESTS requests each):
/healthz, a signed-in response that renders nothing (benchmarks/floor_urls.py: every middleware,
the session and the user) and /help/ (that, and the layout), each also ÷ /healthz. They show what
part 4's goal for pages (2× /healthz) leaves a page: less than the session and the user alone.
"""

from __future__ import annotations

import re
import statistics
import time
import uuid
from contextlib import contextmanager

import requests
from django.db import close_old_connections, connection
from django.template.base import Template
from django.test import Client, override_settings

from . import data
from .report import Figure, rounded

PART = "B Breakdown"
REPEATS = 15
FLOOR_REQUESTS = 300
FLOOR_ROUNDS = 5
_TOKEN = re.compile(r'name="token" value="([0-9a-f-]+)"')
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ASSIGNEE = re.compile(r'<select name="assigned_user_id"[^>]*>\s*<option value="([^"]+)"')


class _Clock:
    def __init__(self):
        self.sql_ms = self.commit_ms = self.template_ms = self.http_ms = 0.0
        self.queries = 0
        self._depth = 0


@contextmanager
def _instrumented(clock: _Clock):
    """Time SQL (a wrapper on the connection), templates (the outermost Template.render) and
    outbound HTTP (requests.Session.send) for the duration."""

    def sql(execute, sql_text, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql_text, params, many, context)
        finally:
            spent = (time.perf_counter() - started) * 1000
            clock.queries += 1
            clock.sql_ms += spent

    real_render, real_send, real_commit = Template.render, requests.Session.send, connection.commit

    def render(self, context):
        clock._depth += 1
        started = time.perf_counter()
        try:
            return real_render(self, context)
        finally:
            clock._depth -= 1
            if clock._depth == 0:
                clock.template_ms += (time.perf_counter() - started) * 1000

    def send(self, request, **kwargs):
        started = time.perf_counter()
        try:
            return real_send(self, request, **kwargs)
        finally:
            clock.http_ms += (time.perf_counter() - started) * 1000

    def commit():
        started = time.perf_counter()
        try:
            return real_commit()
        finally:
            clock.commit_ms += (time.perf_counter() - started) * 1000

    Template.render, requests.Session.send = render, send
    connection.commit = commit
    try:
        with connection.execute_wrapper(sql):
            yield
    finally:
        Template.render, requests.Session.send = real_render, real_send
        connection.commit = real_commit


class _AsServed(Client):
    """The test client leaves out two things a served request does: the CSRF check, and the request
    signals' connection housekeeping (a connection past CONN_MAX_AGE is closed at the end, a kept
    one is checked at its first use in the next request). With CONN_MAX_AGE=0, a served page opens
    a connection; the plain test client would hide that."""

    def __init__(self, **defaults):
        super().__init__(enforce_csrf_checks=True, **defaults)

    def request(self, **request):
        close_old_connections()  # as on request_started
        try:
            return super().request(**request)
        finally:
            close_old_connections()  # as on request_finished


def _measure(request) -> dict:
    runs = []
    for _ in range(REPEATS):
        clock = _Clock()
        with _instrumented(clock):
            started = time.perf_counter()
            request()
            total = (time.perf_counter() - started) * 1000
        template = clock.template_ms
        runs.append(
            {
                "total": total,
                "sql": clock.sql_ms,
                "queries": clock.queries,
                "commit": clock.commit_ms,
                "template": template,
                "http": clock.http_ms,
                "rest": max(total - clock.sql_ms - template - clock.http_ms - clock.commit_ms, 0.0),
            }
        )
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run(bench) -> list[Figure]:
    rep = data.rep_create("bench-breakdown")
    data.leads_bulk_create(user=rep, count=200)
    client = _AsServed(HTTP_HOST="127.0.0.1")
    client.force_login(rep)
    check = {"street": "1 Breakdown Way", "city": "Springfield", "state": "IL"}
    client.get("/check/", check)  # warm: cached from now on
    client.get("/leads/new/")  # the CRM's options and session

    def create():
        form = client.get("/leads/new/").content.decode()
        token, assignee = _TOKEN.search(form).group(1), _ASSIGNEE.search(form).group(1)
        body = {"token": token, "firstname": "Break", "lastname": f"Down{uuid.uuid4().hex[:6]}"}
        body["csrfmiddlewaretoken"] = _CSRF.search(form).group(1)
        body["assigned_user_id"] = assignee
        answer = client.post("/leads/new/", {**body, "duplicates": "create"})
        if answer.status_code != 302:
            raise RuntimeError(f"the create answered HTTP {answer.status_code}")

    pages = {
        "create": ("POST /leads/new/ (with its form GET)", create),
        "check": ("warm /check/", lambda: client.get("/check/", check)),
        "dashboard": ("dashboard /", lambda: client.get("/")),
        "leads": ("/leads/", lambda: client.get("/leads/")),
    }
    figures = []
    for key, (label, request) in pages.items():
        parts = _measure(request)
        detail = {name: rounded(value, 2) for name, value in parts.items()}
        figures.append(
            Figure(
                f"breakdown_{key}_ms",
                PART,
                f"{label}: total (SQL {parts['queries']:.0f} q {parts['sql']:.1f} ms, commit {parts['commit']:.1f}, "
                f"templates {parts['template']:.1f}, HTTP out {parts['http']:.1f}, rest {parts['rest']:.1f})",
                rounded(parts["total"], 1),
                "ms",
                detail=detail,
            )
        )
    return figures + _floors(client)


def _floors(client: Client) -> list[Figure]:
    floors = {
        "healthz": ("/healthz", "/healthz in process (liveness: from memory)"),
        "signed_in": ("/bench/signed-in-nothing/", "signed in, nothing rendered (middleware, session, user)"),
        "help": ("/help/", "/help/ in process (that and the layout)"),
    }
    times = {}
    with override_settings(ROOT_URLCONF="benchmarks.floor_urls"):
        for key, (path, _) in floors.items():
            answer = client.get(path)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered HTTP {answer.status_code}")
            for _ in range(FLOOR_REQUESTS // 3):  # warm-up
                client.get(path)
            rounds = []
            for _ in range(FLOOR_ROUNDS):
                started = time.perf_counter()
                for _ in range(FLOOR_REQUESTS):
                    client.get(path)
                rounds.append((time.perf_counter() - started) * 1000 / FLOOR_REQUESTS)
            times[key] = min(rounds)
    figures = []
    for key, (_, label) in floors.items():
        figures.append(Figure(f"breakdown_floor_{key}_ms", PART, label, rounded(times[key], 3), "ms"))
        if key != "healthz":
            ratio = times[key] / times["healthz"]
            figures.append(
                Figure(f"breakdown_floor_{key}_vs_healthz", PART, f"{label} ÷ /healthz", rounded(ratio, 2), "×")
            )
    return figures
