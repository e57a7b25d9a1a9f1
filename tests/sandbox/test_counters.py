"""Request counters of the sandbox, and its behaviour under concurrent requests."""

import json
from concurrent.futures import ThreadPoolExecutor

import requests
from django.db import connection

from .conftest import LEAD, SANDBOX_TABLES_ONLY, parse

pytestmark = SANDBOX_TABLES_ONLY


def test_every_request_is_counted_by_operation(crm, sandbox, admin_session):
    crm.get(operation="listtypes", sessionName=admin_session)
    crm.get(operation="LISTTYPES", sessionName=admin_session)
    crm.get(operation="nosuchop")
    crm.get()
    counts = sandbox.counters("crm")
    assert counts["listtypes"] == 2
    assert counts["unknown"] == 2
    assert counts["getchallenge"] == counts["login"] == 1


def test_faulted_requests_are_counted_too(crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    crm.get(operation="getchallenge", username="admin")
    assert sandbox.counters("crm") == {"getchallenge": 1}


def test_fcc_checks_are_counted_apart(sandbox, live_server):
    requests.get(f"{live_server.url}/sandbox/fcc", params={"address": "1 Main St Springfield, IL"}, timeout=10)
    assert sandbox.counters("fcc") == {"check": 1}
    assert sandbox.counters("crm") == {}


def test_counters_reset(crm, sandbox, admin_session):
    sandbox.counters_reset()
    assert sandbox.counters() == {}


def test_concurrent_creates_get_distinct_ids_and_numbers(crm, sandbox, admin_session):
    def create(number):
        element = json.dumps({**LEAD, "lastname": f"Concurrent-{number}"})
        response = crm.post(operation="create", sessionName=admin_session, elementType="Leads", element=element)
        return parse(response)["result"]

    with ThreadPoolExecutor(max_workers=10) as pool:
        created = list(pool.map(create, range(10)))
    assert len({r["id"] for r in created}) == 10
    assert len({r["lead_no"] for r in created}) == 10
    assert sandbox.counters("crm")["create"] == 10
    assert len(sandbox.records("Leads")) == 10


def test_concurrent_requests_lose_no_count(crm, sandbox, admin_session):
    with ThreadPoolExecutor(max_workers=10) as pool:
        list(pool.map(lambda _: crm.get(operation="listtypes", sessionName=admin_session), range(30)))
    assert sandbox.counters("crm")["listtypes"] == 30


def test_concurrent_user_creation_gives_distinct_ids(sandbox):
    sandbox.ensure_admin()

    def create(number):
        try:
            return sandbox.sandbox_user_create(user_name=f"rep{number}")
        finally:
            connection.close()  # each thread has its own connection; don't leave it open

    with ThreadPoolExecutor(max_workers=5) as pool:
        users = list(pool.map(create, range(5)))
    assert sorted(u.ws_id for u in users) == ["19x5", "19x6", "19x7", "19x8", "19x9"]
