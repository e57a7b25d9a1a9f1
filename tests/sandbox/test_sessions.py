"""getchallenge, login, session life, extendsession and logout of the sandbox CRM."""

import hashlib
from datetime import timedelta

import pytest
import requests
from django.conf import settings
from django.utils import timezone

from mycrm_portal.sandbox.models import SandboxChallenge, SandboxSession

from .conftest import SANDBOX_TABLES_ONLY, parse

pytestmark = SANDBOX_TABLES_ONLY


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_it_gives_a_challenge_that_lives_the_configured_time(crm):
    answer = parse(crm.get(operation="getchallenge", username="admin"))
    result = answer["result"]
    assert answer["success"] is True
    assert len(result["token"]) == 13
    assert result["expireTime"] - result["serverTime"] == settings.SANDBOX_CHALLENGE_TTL_SECONDS


def test_it_matches_user_names_case_insensitively(crm):
    assert parse(crm.get(operation="getchallenge", username="ADMIN"))["success"] is True
    result = crm.login("ADMIN", settings.SANDBOX_ACCESS_KEY)
    assert result["username"] == "admin"


def test_it_refuses_a_challenge_without_a_known_user(crm):
    assert parse(crm.get(operation="getchallenge"))["error"] == {
        "message": "No username given",
        "code": "ACCESS_DENIED",
    }
    assert parse(crm.get(operation="getchallenge", username="nosuchuser"))["error"] == {
        "message": "username does not exists",
        "code": "ACCESS_DENIED",
    }


def test_it_reads_getchallenge_parameters_from_the_query_string_only(crm):
    answer = parse(crm.post(operation="getchallenge", username="admin"))
    assert answer["error"]["message"] == "No username given"


def test_login_answers_the_fourteen_keys_of_vtiger_8(crm, apiuser):
    result = crm.login("apiuser", apiuser.access_key)
    assert list(result) == [
        "username", "first_name", "last_name", "email", "time_zone", "hour_format", "date_format", "is_admin",
        "call_duration", "other_event_duration", "sessionName", "userId", "version", "vtigerVersion",
    ]  # fmt: skip
    assert result["userId"] == "19x5"
    assert result["is_admin"] == "off"
    assert result["date_format"] == "mm-dd-yyyy"
    assert crm.login("admin", settings.SANDBOX_ACCESS_KEY)["is_admin"] == "on"


def test_a_token_logs_in_again_until_it_expires_and_each_login_is_a_new_session(crm):
    token = crm.challenge("admin")
    key = _md5(token + settings.SANDBOX_ACCESS_KEY)
    first = parse(crm.post(operation="login", username="admin", accessKey=key))["result"]["sessionName"]
    second = parse(crm.post(operation="login", username="admin", accessKey=key))["result"]["sessionName"]
    assert first != second


def test_a_newer_challenge_replaces_the_old_token(crm):
    old = crm.challenge("admin")
    crm.challenge("admin")
    answer = parse(crm.post(operation="login", username="admin", accessKey=_md5(old + settings.SANDBOX_ACCESS_KEY)))
    assert answer["error"]["code"] == "INVALID_USER_CREDENTIALS"


def test_a_token_expires_after_the_configured_time(crm, settings):
    settings.SANDBOX_CHALLENGE_TTL_SECONDS = 60
    token = crm.challenge("admin")
    SandboxChallenge.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    answer = parse(crm.post(operation="login", username="admin", accessKey=_md5(token + settings.SANDBOX_ACCESS_KEY)))
    assert answer["error"] == {"message": "Specified token is invalid or expired", "code": "INVALID_AUTH_TOKEN"}


def test_a_short_challenge_ttl_setting_is_read_at_request_time(crm, settings):
    settings.SANDBOX_CHALLENGE_TTL_SECONDS = 7
    result = parse(crm.get(operation="getchallenge", username="admin"))["result"]
    assert result["expireTime"] - result["serverTime"] == 7


def test_login_refuses_wrong_raw_and_missing_keys(crm):
    crm.challenge("admin")
    for key in (_md5("x"), settings.SANDBOX_ACCESS_KEY, None):
        data = {"operation": "login", "username": "admin"} | ({"accessKey": key} if key else {})
        answer = parse(crm.post(**data))
        assert answer["error"] == {"message": "Invalid username or password", "code": "INVALID_USER_CREDENTIALS"}


def test_login_without_a_challenge_or_by_get_is_an_invalid_token(crm):
    assert (
        parse(crm.post(operation="login", username="admin", accessKey=_md5("x")))["error"]["code"]
        == "INVALID_AUTH_TOKEN"
    )
    token = crm.challenge("admin")
    key = _md5(token + settings.SANDBOX_ACCESS_KEY)
    assert parse(crm.get(operation="login", username="admin", accessKey=key))["error"]["code"] == "INVALID_AUTH_TOKEN"


def test_login_takes_the_operation_from_the_query_string_and_the_credentials_from_the_body(crm):
    token = crm.challenge("admin")
    key = _md5(token + settings.SANDBOX_ACCESS_KEY)
    answer = parse(crm.post(query={"operation": "login"}, username="admin", accessKey=key))
    assert answer["success"] is True


def test_a_user_without_access_key_cannot_log_in(crm, apiuser):
    crm.challenge("apiuser")
    apiuser.access_key = ""
    apiuser.save()
    answer = parse(crm.post(operation="login", username="apiuser", accessKey=_md5("x")))
    assert answer["error"]["code"] == "ACCESSKEY_UNDEFINED"


def test_the_admin_key_follows_the_setting(crm, settings):
    settings.SANDBOX_ACCESS_KEY = "aNewAdminKey0000"
    assert crm.login("admin", "aNewAdminKey0000")["userId"] == "19x1"


def test_no_session_or_the_null_string_asks_for_authentication(crm):
    for params in ({}, {"sessionName": "null"}, {"sessionName": "NULL"}):
        answer = parse(crm.get(operation="listtypes", **params))
        assert answer["error"] == {"message": "Authencation required", "code": "AUTHENTICATION_REQUIRED"}


def test_a_session_cookie_alone_is_not_a_session(crm, admin_session):
    response = requests.get(
        crm.url, params={"operation": "listtypes"}, cookies={"PHPSESSID": admin_session}, timeout=10
    )
    assert parse(response)["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_an_unknown_session_is_invalid(crm):
    answer = parse(crm.get(operation="listtypes", sessionName="garbage123"))
    assert answer["error"] == {"message": "Session Identifier provided is Invalid", "code": "INVALID_SESSIONID"}


def test_a_session_id_with_characters_php_refuses_is_invalid_without_cache_headers(crm):
    response = crm.get(operation="listtypes", sessionName="bad/../chars!")
    assert parse(response)["error"]["code"] == "INVALID_SESSIONID"
    assert "Expires" not in response.headers


def test_a_session_dies_after_the_configured_idle_time(crm, admin_session, settings):
    settings.SANDBOX_SESSION_IDLE_SECONDS = 60
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["success"] is True
    SandboxSession.objects.update(last_used_at=timezone.now() - timedelta(seconds=61))
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["error"]["code"] == "INVALID_SESSIONID"


def test_using_a_session_keeps_it_alive(crm, admin_session, settings):
    settings.SANDBOX_SESSION_IDLE_SECONDS = 60
    SandboxSession.objects.update(last_used_at=timezone.now() - timedelta(seconds=50))
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["success"] is True
    SandboxSession.objects.update(last_used_at=timezone.now() - timedelta(seconds=50))
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["success"] is True


def test_extendsession_by_post_returns_the_same_live_session(crm, admin_session):
    answer = parse(crm.post(operation="extendsession", sessionName=admin_session))
    assert answer["result"] == {
        "sessionName": admin_session,
        "userId": "19x1",
        "version": "0.22",
        "vtigerVersion": "8.0.0",
    }


def test_extendsession_by_get_asks_for_authentication_without_cache_headers(crm, admin_session):
    response = crm.get(operation="extendsession", sessionName=admin_session)
    assert parse(response)["error"]["code"] == "AUTHENTICATION_REQUIRED"
    assert "Expires" not in response.headers
    response = crm.post(query={"operation": "extendsession"}, sessionName=admin_session)
    assert parse(response)["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_extendsession_of_a_dead_or_missing_session_fails(crm):
    for data in ({}, {"sessionName": "garbage123"}, {"PHPSESSID": "abc"}):
        answer = parse(crm.post(operation="extendsession", **data))
        assert answer["error"] == {"message": "Authencation Failed", "code": "AUTHENTICATION_FAILURE"}


def test_logout_fails_with_an_empty_500_and_the_session_lives_on(crm, admin_session):
    for response in (
        crm.post(operation="logout", sessionName=admin_session),
        crm.get(operation="logout", sessionName=admin_session),
    ):
        assert response.status_code == 500
        assert response.content == b""
        assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["success"] is True


def test_logout_without_a_session_asks_for_authentication(crm):
    assert parse(crm.post(operation="logout"))["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_invalidating_sessions_ends_every_live_session(crm, admin_session, sandbox):
    assert sandbox.sessions_invalidate() == 1
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["error"]["code"] == "INVALID_SESSIONID"


def test_a_deleted_users_sessions_end(crm, sandbox, user_session):
    sandbox.sandbox_user_delete(user_name="apiuser")
    assert parse(crm.get(operation="listtypes", sessionName=user_session))["error"]["code"] == "INVALID_SESSIONID"


def test_the_admin_cannot_be_deleted(sandbox):
    sandbox.ensure_admin()
    with pytest.raises(ValueError):
        sandbox.sandbox_user_delete(user_name="admin")
