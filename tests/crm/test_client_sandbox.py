"""Every client operation and error path against the sandbox CRM, over real HTTP (live_server)."""

import time

import pytest

from mycrm_portal.crm.client import (
    CrmAccessDenied,
    CrmAuthFailed,
    CrmClient,
    CrmQueryError,
    CrmRejected,
    CrmSessionInvalid,
    CrmTimeout,
    CrmUnavailable,
    picklist_values,
)


@pytest.fixture
def crm_user(sandbox):
    return sandbox.sandbox_user_create(user_name="rep1", first_name="Rita", last_name="Rep")


@pytest.fixture
def client(sandbox, settings):
    return CrmClient(settings.MYCRM_URL, connect_timeout=1, read_timeout=2)


@pytest.fixture
def crm(client, crm_user):
    client.login(crm_user.user_name, crm_user.access_key)
    return client


def lead(**extra):
    return {"firstname": "Ann", "lastname": "Smith", "assigned_user_id": "19x1", **extra}


def test_getchallenge_gives_a_token_that_lives_300_seconds(client, crm_user):
    challenge = client.getchallenge("rep1")
    assert challenge.token
    assert challenge.expire_time - challenge.server_time == 300


def test_login_gives_a_session_and_the_crm_user_id(client, crm_user):
    result = client.login("REP1", crm_user.access_key)  # usernames match case-insensitively
    assert result.session_name and client.session_name == result.session_name
    assert result.user_id == crm_user.ws_id
    assert (result.first_name, result.last_name, result.is_admin) == ("Rita", "Rep", False)


def test_a_wrong_access_key_is_an_auth_failure(client, crm_user):
    with pytest.raises(CrmAuthFailed) as caught:
        client.login("rep1", "wrong-key")
    assert caught.value.code == "INVALID_USER_CREDENTIALS"
    assert "wrong-key" not in str(caught.value)
    assert not client.session_name


def test_an_unknown_username_is_an_auth_failure_naming_it(client, sandbox):
    with pytest.raises(CrmAuthFailed) as caught:
        client.login("nobody", "whatever")
    assert "no user named 'nobody'" in str(caught.value)


def test_create_update_revise_retrieve_delete_a_lead(crm, crm_user):
    created = crm.create("Leads", lead(assigned_user_id=crm_user.ws_id, city="Atlanta", phone="(404) 555-0123"))
    assert created["id"].startswith("10x") and created["city"] == "Atlanta"

    updated = crm.update({**created, "city": "Decatur"})
    assert updated["city"] == "Decatur" and updated["phone"] == "(404) 555-0123"

    revised = crm.revise({"id": created["id"], "phone": "(404) 555-0199"})
    assert revised["phone"] == "(404) 555-0199" and revised["city"] == "Decatur"

    assert crm.retrieve(created["id"])["phone"] == "(404) 555-0199"
    assert crm.delete(created["id"]) == {"status": "successful"}
    with pytest.raises(CrmAccessDenied):
        crm.retrieve(created["id"])


@pytest.mark.mycrm_profile
def test_a_contact_is_created_with_its_custom_fields(crm, crm_user):
    created = crm.create(
        "Contacts",
        {
            "lastname": "Jones",
            "assigned_user_id": crm_user.ws_id,
            "ssn": "123-45-6789",
            "birthday": "1980-05-17",
            "is_customer": "1",
        },
    )
    assert created["id"].startswith("12x")
    assert (created["ssn"], created["birthday"], created["is_customer"]) == ("123-45-6789", "1980-05-17", "1")


def test_a_missing_lastname_is_rejected_at_that_field(crm):
    with pytest.raises(CrmRejected) as caught:
        crm.create("Leads", {"firstname": "Ann", "assigned_user_id": "19x1"})
    assert (caught.value.code, caught.value.field) == ("MANDATORY_FIELDS_MISSING", "lastname")


def test_update_without_the_mandatory_fields_is_rejected(crm, crm_user):
    created = crm.create("Leads", lead(assigned_user_id=crm_user.ws_id))
    with pytest.raises(CrmRejected) as caught:
        crm.update({"id": created["id"], "city": "Peoria"})
    assert caught.value.field == "lastname"


def test_assigning_to_an_unknown_user_is_refused_for_a_rep(crm):
    with pytest.raises(CrmAccessDenied) as caught:
        crm.create("Leads", lead(assigned_user_id="19x999"))
    assert caught.value.field == "assigned_user_id"


def test_a_wrong_module_prefix_is_invalid(crm, crm_user):
    created = crm.create("Leads", lead(assigned_user_id=crm_user.ws_id))
    with pytest.raises(CrmRejected) as caught:
        crm.retrieve(created["id"].replace("10x", "12x"))
    assert caught.value.code == "INVALID_ID_ATTRIBUTE"


def test_describe_gives_the_lead_source_picklist(crm):
    values = [v.value for v in picklist_values(crm.describe("Leads"), "leadsource")]
    assert "Cold Call" in values and "Web Site" in values
    with pytest.raises(CrmAccessDenied):
        crm.describe("Lead")


def test_query_finds_records_and_a_bad_query_is_a_portal_bug(crm, crm_user):
    crm.create("Leads", lead(assigned_user_id=crm_user.ws_id, email="q@example.com"))
    rows = crm.query("select id, lastname from Leads where email = 'q@example.com'")
    assert [r["lastname"] for r in rows] == ["Smith"]
    assert crm.query("select count(*) from Leads;") == [{"count": "1"}]
    with pytest.raises(CrmQueryError):
        crm.query("selec * from Leads;")


def test_listtypes_lists_leads_and_contacts(crm):
    types = crm.listtypes()["types"]
    assert "Leads" in types and "Contacts" in types


def test_extendsession_goes_by_post_first(crm, sandbox):
    before = crm.session_name
    sandbox.counters_reset()
    assert crm.extendsession() == before
    assert crm.refused == []
    assert sandbox.counters("crm")["extendsession"] == 1


def test_the_seeds_get_is_the_fallback_when_post_is_refused(crm, sandbox):
    sandbox.sessions_invalidate()
    with pytest.raises(CrmSessionInvalid):
        crm.extendsession()
    assert crm.refused == ["POST", "GET"]


def test_logout_never_raises_and_its_http_500_is_not_logged_as_an_error(crm, caplog):
    caplog.set_level("DEBUG")
    crm.logout()
    assert crm.session_name == ""
    # (django.request's line is the emulated MyCRM's own 500, not the portal's.)
    portal = [r for r in caplog.records if r.name.startswith("mycrm_portal")]
    assert portal and not [r for r in portal if r.levelname in ("ERROR", "WARNING")]


def test_a_dead_session_is_session_invalid(crm, sandbox):
    sandbox.sessions_invalidate()
    with pytest.raises(CrmSessionInvalid):
        crm.listtypes()


def test_an_idle_session_dies_after_the_crm_idle_limit(crm, settings):
    settings.SANDBOX_SESSION_IDLE_SECONDS = 1
    time.sleep(1.2)
    with pytest.raises(CrmSessionInvalid):
        crm.listtypes()


def test_a_crm_that_is_down_is_transient(crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    with pytest.raises(CrmUnavailable) as caught:
        crm.create("Leads", lead())
    assert caught.value.retryable and "HTTP 503" in str(caught.value)


def test_a_slow_crm_times_out_within_the_read_timeout(crm, sandbox):
    sandbox.fault_set(target="crm", mode="slow", seconds=3)
    started = time.monotonic()
    with pytest.raises(CrmTimeout):
        crm.listtypes()
    assert time.monotonic() - started < 2.9  # the read timeout (2 s), not the CRM, decides


def test_an_html_error_page_is_transient(crm, sandbox):
    sandbox.fault_set(target="crm", mode="html_error")
    with pytest.raises(CrmUnavailable) as caught:
        crm.listtypes()
    assert caught.value.excerpt


def test_php_warnings_before_the_json_are_read_through(crm, sandbox, crm_user):
    sandbox.fault_set(target="crm", mode="php_notice")
    assert crm.create("Leads", lead(assigned_user_id=crm_user.ws_id))["id"].startswith("10x")


def test_duplicate_prevention_is_a_rejection_with_code_0(crm, sandbox, crm_user):
    sandbox.fault_set(target="crm", mode="duplicates")
    crm.create("Leads", lead(assigned_user_id=crm_user.ws_id, email="dup@example.com"))
    with pytest.raises(CrmRejected) as caught:
        crm.create("Leads", lead(assigned_user_id=crm_user.ws_id, email="dup@example.com"))
    assert caught.value.code == 0
    assert str(caught.value) == "Duplicate(s) detected!"
