"""The webservice's transport rules: where parameters are read from, the empty HTTP 500s, the
headers of JSON answers, operation names in any case."""

import requests

from .conftest import SANDBOX_TABLES_ONLY, parse

NO_CACHE = {
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
}

pytestmark = SANDBOX_TABLES_ONLY


def test_json_answers_carry_vtigers_headers(crm, admin_session):
    response = crm.get(operation="listtypes", sessionName=admin_session)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    for name, value in NO_CACHE.items():
        assert response.headers[name] == value


def test_an_unknown_or_missing_operation_is_an_empty_500(crm, admin_session):
    for params in ({"operation": "nosuchop", "sessionName": admin_session}, {"sessionName": admin_session}):
        response = crm.get(**params)
        assert response.status_code == 500
        assert response.content == b""
        assert response.headers["Content-Type"] == "text/html; charset=UTF-8"
        assert "Expires" not in response.headers


def test_a_format_other_than_json_is_an_empty_500(crm, admin_session):
    response = crm.get(operation="listtypes", sessionName=admin_session, format="xml")
    assert (response.status_code, response.content) == (500, b"")


def test_a_json_request_body_is_an_empty_500(crm):
    response = requests.post(crm.url, json={"operation": "login", "username": "admin"}, timeout=10)
    assert (response.status_code, response.content) == (500, b"")


def test_operation_names_are_case_insensitive(crm, admin_session):
    assert parse(crm.get(operation="LISTTYPES", sessionName=admin_session))["success"] is True


def test_a_get_operation_sent_by_post_reads_the_session_from_the_body(crm, admin_session):
    assert parse(crm.post(query={"operation": "listtypes"}, sessionName=admin_session))["success"] is True
    assert parse(crm.post(operation="listtypes", sessionName=admin_session))["success"] is True


def test_getchallenge_ignores_a_session(crm, admin_session):
    assert parse(crm.get(operation="getchallenge", username="admin", sessionName=admin_session))["success"] is True


def test_the_body_wins_over_the_query_string(crm, admin_session):
    response = crm.post(query={"operation": "nosuchop"}, operation="listtypes", sessionName=admin_session)
    assert parse(response)["success"] is True


def test_the_webservice_needs_no_portal_login_nor_csrf_token(crm):
    response = requests.post(crm.url, data={"operation": "listtypes"}, timeout=10, allow_redirects=False)
    assert response.status_code == 200
    assert parse(response)["error"]["code"] == "AUTHENTICATION_REQUIRED"
