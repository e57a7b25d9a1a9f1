"""crm_session_for(user): one stored session per rep, reused; one login however many ask at once;
one re-login when the CRM drops the session; idle sessions extended first."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from mycrm_portal.crm.client import CrmAuthFailed, CrmUnavailable
from mycrm_portal.crm.models import CrmAccount
from mycrm_portal.crm.sessions import CrmNotConnected, crm_session_for


def test_it_logs_in_once_and_reuses_the_stored_session(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    crm_session_for(owner).listtypes()
    crm_session_for(owner).describe("Leads")
    counts = sandbox.counters("crm")
    assert counts["login"] == 1 and counts["getchallenge"] == 1
    owner_crm.refresh_from_db()
    assert owner_crm.session_name and owner_crm.crm_user_id.startswith("19x")
    assert owner_crm.last_verified_at is not None


def test_twenty_concurrent_requests_make_one_login(owner, owner_crm, sandbox):
    errors = []

    def work():
        try:
            crm_session_for(owner).listtypes()
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    counts = sandbox.counters("crm")
    assert counts["login"] == 1
    assert counts["listtypes"] == 20


def test_a_dropped_session_is_replaced_by_one_login_and_the_call_repeated(owner, owner_crm, sandbox):
    crm = crm_session_for(owner)
    crm.listtypes()
    old = CrmAccount.objects.get(pk=owner_crm.pk).session_name
    sandbox.sessions_invalidate()
    sandbox.counters_reset()

    assert "Leads" in crm.listtypes()["types"]

    counts = sandbox.counters("crm")
    assert counts["login"] == 1
    assert counts["listtypes"] == 2  # the failed call, and the repeat
    assert CrmAccount.objects.get(pk=owner_crm.pk).session_name != old


def test_an_idle_session_is_extended_before_use(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    CrmAccount.objects.filter(pk=owner_crm.pk).update(session_used_at=timezone.now() - timedelta(minutes=16))
    sandbox.counters_reset()

    crm_session_for(owner).listtypes()

    counts = sandbox.counters("crm")
    assert counts["extendsession"] == 1  # by POST, as vtiger 8 wants it
    assert not counts.get("login")


def test_once_post_worked_a_dead_session_is_never_extended_by_get(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    CrmAccount.objects.filter(pk=owner_crm.pk).update(session_used_at=timezone.now() - timedelta(minutes=16))
    crm_session_for(owner).listtypes()  # extended by POST
    CrmAccount.objects.filter(pk=owner_crm.pk).update(session_used_at=timezone.now() - timedelta(minutes=40))
    sandbox.sessions_invalidate()
    sandbox.counters_reset()

    crm_session_for(owner).listtypes()

    counts = sandbox.counters("crm")
    assert counts["extendsession"] == 1  # POST refused: no GET with the session id in its URL
    assert counts["login"] == 1


def test_an_idle_session_that_cannot_be_extended_is_replaced(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    CrmAccount.objects.filter(pk=owner_crm.pk).update(session_used_at=timezone.now() - timedelta(minutes=40))
    sandbox.sessions_invalidate()
    sandbox.counters_reset()

    crm_session_for(owner).listtypes()

    counts = sandbox.counters("crm")
    assert counts["login"] == 1 and counts["listtypes"] == 1


def test_an_expired_session_is_replaced_without_asking_the_crm(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    CrmAccount.objects.filter(pk=owner_crm.pk).update(session_expires_at=timezone.now() - timedelta(seconds=1))
    sandbox.counters_reset()
    crm_session_for(owner).listtypes()
    assert sandbox.counters("crm") == {"getchallenge": 1, "login": 1, "listtypes": 1}


def test_a_wrong_access_key_stores_no_session_and_says_so(owner, sandbox):
    sandbox.sandbox_user_create(user_name="owner")
    account = CrmAccount.objects.create(user=owner, crm_username="owner", access_key="not-the-key")
    with pytest.raises(CrmAuthFailed):
        crm_session_for(owner).listtypes()
    account.refresh_from_db()
    assert account.session_name == ""
    assert "did not accept" in account.last_error


def test_a_rep_without_an_account_is_told_to_connect(owner, sandbox):
    with pytest.raises(CrmNotConnected) as caught:
        crm_session_for(owner)
    assert "Connect your MyCRM account" in str(caught.value)


def test_a_crm_that_is_down_fails_fast_with_a_plain_message(owner, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    with pytest.raises(CrmUnavailable) as caught:
        crm_session_for(owner).listtypes()
    assert str(caught.value) == "MyCRM answered with an error (HTTP 503)."
    owner_crm.refresh_from_db()
    assert owner_crm.session_name == ""  # nothing half-stored


def test_the_session_id_is_unreadable_in_the_database(owner, owner_crm, sandbox):
    crm_session_for(owner).listtypes()
    session = CrmAccount.objects.get(pk=owner_crm.pk).session_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT session_name, access_key FROM crm_crmaccount WHERE id = %s", [owner_crm.pk])
        stored_session, stored_key = cursor.fetchone()
    assert session not in stored_session
    assert owner_crm.access_key not in stored_key
