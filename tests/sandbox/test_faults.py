"""The sandbox's fault switches, seen through real HTTP like the portal sees them."""

import json
import time

import pytest
import requests

from mycrm_portal.sandbox import faults

from .conftest import LEAD, SANDBOX_TABLES_ONLY, parse

DELAY = 0.8
CLIENT_TIMEOUT = 0.3  # shorter than DELAY: the client gives up, like the portal's read timeout

pytestmark = SANDBOX_TABLES_ONLY


def _finish(started: float) -> None:
    # Let the delayed request end before the test does, so that it cannot write into the next
    # test's database.
    time.sleep(max(0.0, started + DELAY + 0.1 - time.monotonic()))


def test_down_answers_503_with_a_small_html_page(crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    response = crm.get(operation="getchallenge", username="admin")
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert "503" in response.text


def test_html_error_answers_an_nginx_502_page(crm, sandbox):
    sandbox.fault_set(target="crm", mode="html_error")
    response = crm.post(operation="login", username="admin")
    assert response.status_code == 502
    assert "<center>nginx</center>" in response.text


def test_slow_answers_normally_after_the_delay(crm, sandbox, admin_session):
    sandbox.fault_set(target="crm", mode="slow", seconds=DELAY)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        crm.get(operation="listtypes", sessionName=admin_session, timeout=CLIENT_TIMEOUT)
    answer = parse(crm.get(operation="listtypes", sessionName=admin_session, timeout=5))
    assert answer["success"] is True
    assert time.monotonic() - started >= DELAY
    _finish(started)


def test_commit_then_timeout_keeps_the_record_the_client_gave_up_on(crm, sandbox, admin_session):
    sandbox.fault_set(target="crm", mode="commit_then_timeout", seconds=DELAY)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        crm.create(admin_session, "Leads", {**LEAD, "lastname": "Timed-Out"}, timeout=CLIENT_TIMEOUT)
    assert [r["lastname"] for r in sandbox.records("Leads")] == ["Timed-Out"]
    # Reads are not delayed: a client can look the record up at once.
    rows = crm.query(admin_session, "select id from Leads where lastname='Timed-Out';")["result"]
    assert len(rows) == 1
    _finish(started)


def test_commit_then_timeout_delays_updates_too(crm, sandbox, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    sandbox.fault_set(target="crm", mode="commit_then_timeout", seconds=DELAY)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        element = json.dumps({"id": lead["id"], "city": "Late"})
        crm.post(operation="revise", sessionName=admin_session, element=element, timeout=CLIENT_TIMEOUT)
    assert sandbox.record(lead["id"])["city"] == "Late"
    _finish(started)


def test_php_notice_prints_warnings_before_the_json(crm, sandbox, admin_session):
    sandbox.fault_set(target="crm", mode="php_notice")
    element = '{"lastname": "W", "assigned_user_id": "19x1"}'
    response = crm.post(operation="create", sessionName=admin_session, elementType="Leads", element=element)
    assert response.text.startswith("<br />\n<b>Warning</b>:")
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert parse(response)["result"]["lastname"] == "W"
    challenge = crm.get(operation="getchallenge", username="admin")
    assert challenge.text.startswith("<br />") and challenge.headers["Content-Type"] == "application/json"
    assert parse(challenge)["success"] is True


def test_duplicates_refuses_an_email_another_record_has(crm, sandbox, admin_session):
    first = crm.create(admin_session, "Leads", LEAD)["result"]
    other = crm.create(admin_session, "Leads", {**LEAD, "email": "other@example.com"})["result"]
    sandbox.fault_set(target="crm", mode="duplicates")
    duplicate_error = {"message": "Duplicate(s) detected!", "code": 0}
    element = json.dumps({"lastname": "Dup", "assigned_user_id": "19x1", "email": LEAD["email"].upper()})
    response = crm.post(operation="create", sessionName=admin_session, elementType="Leads", element=element)
    assert response.text.endswith('"code":0}}')  # the integer 0, not "0"
    assert parse(response)["error"] == duplicate_error
    assert crm.write("revise", admin_session, {"id": other["id"], "email": LEAD["email"]})["error"] == duplicate_error
    assert crm.write("revise", admin_session, {"id": first["id"], "email": LEAD["email"]})["success"] is True
    contact = {"lastname": "C", "assigned_user_id": "19x1", "email": LEAD["email"]}
    assert crm.create(admin_session, "Contacts", contact)["success"] is True  # unique per module


def test_faults_are_per_target_and_clear(sandbox):
    sandbox.fault_set(target="crm", mode="slow", seconds=2)
    sandbox.fault_set(target="fcc", mode="failed")
    assert sandbox.faults() == {"crm": {"mode": "slow", "seconds": 2.0}, "fcc": {"mode": "failed", "seconds": 0.0}}
    sandbox.faults_clear(target="crm")
    assert list(sandbox.faults()) == ["fcc"]
    sandbox.faults_clear()
    assert sandbox.faults() == {}


def test_unknown_targets_and_modes_are_refused(sandbox):
    with pytest.raises(ValueError):
        sandbox.fault_set(target="crm", mode="failed")
    with pytest.raises(ValueError):
        sandbox.fault_set(target="mail", mode="down")
    assert sandbox.CRM_MODES == faults.CRM_MODES
    assert set(sandbox.FCC_MODES) == {"down", "slow", "html_error", "failed"}
