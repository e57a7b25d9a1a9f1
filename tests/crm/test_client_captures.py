"""The CRM client against every real exchange captured from a vtiger 8 server.

Each captured response is replayed over HTTP by a local server; the client must read it the way
the protocol page says: the right result on success, the right kind of error otherwise, JSON found
after PHP warnings, a 500 with an empty body as a transient failure.
"""

import json

import pytest

from mycrm_portal.crm.client import (
    Challenge,
    CrmAccessDenied,
    CrmAuthFailed,
    CrmClient,
    CrmError,
    CrmQueryError,
    CrmRejected,
    CrmSessionInvalid,
    CrmUnavailable,
    LoginResult,
)

from .replay import ReplayServer, all_capture_names, load_capture

SESSION = "secretSession0123456789"
ACCESS_KEY = "secretAccessKey0123"

# The protocol page's table: what a client does with each code.
EXPECTED_ERROR = {
    "INVALID_SESSIONID": CrmSessionInvalid,
    "AUTHENTICATION_REQUIRED": CrmSessionInvalid,
    "INVALID_AUTH_TOKEN": CrmAuthFailed,
    "INVALID_USER_CREDENTIALS": CrmAuthFailed,
    "ACCESSKEY_UNDEFINED": CrmAuthFailed,
    "AUTHENTICATION_FAILURE": CrmAuthFailed,
    "MANDATORY_FIELDS_MISSING": CrmRejected,
    "REFERENCE_INVALID": CrmRejected,
    "INVALID_ID_ATTRIBUTE": CrmRejected,
    0: CrmRejected,
    "ACCESS_DENIED": CrmAccessDenied,
    "QUERY_SYNTAX_ERROR": CrmQueryError,
}


def _operation(capture) -> str:
    request = capture["request"]
    form = request["form_params"]
    if isinstance(form, str):  # a JSON body (21)
        form = json.loads(form)
    return ((form or {}).get("operation") or (request["query_params"] or {}).get("operation") or "").lower()


def _answer_json(response):
    return response["json"] if response["json"] is not None else response["json_after_leaked_output"]


def _call(client, operation):
    calls = {
        "getchallenge": lambda: client.getchallenge("admin"),
        "login": lambda: client.login("admin", ACCESS_KEY),
        "create": lambda: client.create("Leads", {"lastname": "Smith", "assigned_user_id": "19x1"}),
        "update": lambda: client.update({"id": "10x2", "lastname": "Smith", "assigned_user_id": "19x1"}),
        "revise": lambda: client.revise({"id": "10x2", "city": "Peoria"}),
        "retrieve": lambda: client.retrieve("10x2"),
        "delete": lambda: client.delete("10x28"),
        "describe": lambda: client.describe("Leads"),
        "query": lambda: client.query("select * from Leads;"),
        "listtypes": lambda: client.listtypes(),
        "extendsession": lambda: client.extendsession(),
        "logout": lambda: client.logout(),
    }
    return calls.get(operation, lambda: client._call(operation, {}))()


@pytest.fixture
def server():
    with ReplayServer() as replay:
        yield replay


def _client(server, session=SESSION):
    return CrmClient(server.url, connect_timeout=1, read_timeout=2, session_name=session)


@pytest.mark.parametrize("name", all_capture_names())
def test_the_client_reads_every_captured_answer(server, name):
    capture = load_capture(name)
    response = capture["response"]
    operation = _operation(capture)
    server.answers[operation] = response
    if operation == "login":
        server.answer("getchallenge", "01_getchallenge_GET")
    client = _client(server)
    answer = _answer_json(response)

    if operation == "logout":
        assert _call(client, operation) is None  # best effort, never raises (171: HTTP 500)
        return
    if operation == "extendsession":
        if answer and answer["success"]:
            assert _call(client, operation) == answer["result"]["sessionName"]
        else:
            with pytest.raises(CrmSessionInvalid):
                _call(client, operation)
        return
    if response["status"] >= 400 or answer is None:
        with pytest.raises(CrmUnavailable) as caught:
            _call(client, operation)
        assert caught.value.retryable
        return
    if answer["success"]:
        result = _call(client, operation)
        expected = answer["result"]
        if operation == "login":
            assert isinstance(result, LoginResult)
            assert result.session_name == expected["sessionName"]
            assert result.user_id == expected["userId"]
        elif operation == "getchallenge":
            assert result == Challenge(expected["token"], expected["serverTime"], expected["expireTime"])
        else:
            assert result == expected
        return
    code = answer["error"]["code"]
    expected_class = EXPECTED_ERROR[code]
    if operation == "getchallenge" and code == "ACCESS_DENIED":
        expected_class = CrmAccessDenied
    with pytest.raises(expected_class) as caught:
        _call(client, operation)
    error = caught.value
    assert error.code == code
    assert str(error)  # a sentence to show
    assert SESSION not in str(error) and SESSION not in repr(error.args)
    assert ACCESS_KEY not in repr(error.args)


def test_a_login_answer_with_sessionId_as_the_seed_names_it_is_accepted(server):
    server.answer("getchallenge", "01_getchallenge_GET")
    server.answers["login"] = {
        "status": 200,
        "headers": {"Content-type": "application/json"},
        "raw_body": '{"success": true, "result": {"sessionId": "seedStyle1", "userId": "19x7", "version": "0.22"}}',
    }
    result = _client(server, session="").login("admin", ACCESS_KEY)
    assert result.session_name == "seedStyle1"
    assert result.user_id == "19x7"


def test_the_login_sends_the_md5_of_token_and_key_by_post(server):
    import hashlib

    server.answer("getchallenge", "01_getchallenge_GET")
    server.answer("login", "10_login_OK")
    _client(server, session="").login("admin", ACCESS_KEY)
    challenge, login = server.received
    assert challenge["method"] == "GET"
    assert challenge["query"] == {"operation": "getchallenge", "username": "admin"}
    assert login["method"] == "POST"
    assert login["query"] == {}
    assert login["form"] == {
        "operation": "login",
        "username": "admin",
        "accessKey": hashlib.md5(("6b0a388f9556e" + ACCESS_KEY).encode()).hexdigest(),
    }


def test_a_superseded_challenge_is_fetched_once_more(server):
    """Another process's newer challenge replaces ours: the right key then looks wrong (14)."""
    server.answer("getchallenge", "01_getchallenge_GET")
    server.answer("login", "14_login_superseded_token")
    with pytest.raises(CrmAuthFailed):
        _client(server, session="").login("admin", ACCESS_KEY)
    operations = [r["query"].get("operation") or r["form"].get("operation") for r in server.received]
    assert operations == ["getchallenge", "login", "getchallenge", "login"]


@pytest.mark.parametrize(
    ("operation", "call", "params"),
    [
        ("create", lambda c: c.create("Leads", {"lastname": "X"}), {"elementType", "element"}),
        ("update", lambda c: c.update({"id": "10x2"}), {"element"}),
        ("revise", lambda c: c.revise({"id": "10x2"}), {"element"}),
        ("delete", lambda c: c.delete("10x2"), {"id"}),
    ],
)
def test_post_operations_send_everything_in_the_body(server, operation, call, params):
    """Sent the wrong way a parameter is simply missing (48, 88)."""
    server.default = {"status": 200, "headers": {}, "raw_body": '{"success": true, "result": {"id": "10x2"}}'}
    call(_client(server))
    received = server.received[0]
    assert received["method"] == "POST"
    assert received["query"] == {}
    assert received["form"]["operation"] == operation
    assert received["form"]["sessionName"] == SESSION
    assert set(received["form"]) - {"operation", "sessionName"} == params


@pytest.mark.parametrize(
    ("operation", "call", "params"),
    [
        ("retrieve", lambda c: c.retrieve("10x2"), {"id": "10x2"}),
        ("query", lambda c: c.query("select id from Leads;"), {"query": "select id from Leads;"}),
        ("describe", lambda c: c.describe("Leads"), {"elementType": "Leads"}),
        ("listtypes", lambda c: c.listtypes(), {}),
    ],
)
def test_get_operations_keep_their_parameters_in_the_query_string_and_the_session_out_of_the_url(
    server, operation, call, params
):
    """The CRM reads a GET operation's parameters from the query string only (75, 119) and the
    session from either place (150): the session id goes in the body, never in a URL."""
    server.default = {"status": 200, "headers": {}, "raw_body": '{"success": true, "result": {"id": "10x2"}}'}
    try:
        call(_client(server))
    except CrmError:
        pass  # the canned answer does not fit every operation; the request is what is checked
    received = server.received[0]
    assert received["query"] == {"operation": operation, **params}
    assert received["form"] == {"sessionName": SESSION}
    assert SESSION not in str(received["query"])


def test_a_challenge_is_a_plain_get_as_the_seed_says(server):
    server.answer("getchallenge", "01_getchallenge_GET")
    _client(server, session="").getchallenge("admin")
    assert server.received[0] == {
        "method": "GET",
        "path": "/webservice.php",
        "query": {"operation": "getchallenge", "username": "admin"},
        "form": {},
    }


def test_a_query_gets_the_semicolon_the_crm_requires(server):
    server.answer("query", "116_query_no_results")
    _client(server).query("select * from Leads where lastname='NoSuchName'")
    assert server.received[0]["query"]["query"].endswith("';")


def test_extendsession_goes_by_post_first_as_vtiger_8_wants(server):
    server.answer("extendsession", "161_extendsession_POST_with_sessionName")
    client = _client(server)
    assert client.extendsession() == "1f7ef3be6b0a38f0c577f"
    assert [r["method"] for r in server.received] == ["POST"]
    assert client.refused == []
    assert server.received[0]["form"] == {"operation": "extendsession", "sessionName": SESSION}


def test_extendsession_falls_back_to_the_seeds_get_when_post_is_refused(server):
    responses = iter(
        [
            load_capture("164_extendsession_POST_garbage_session")["response"],
            load_capture("161_extendsession_POST_with_sessionName")["response"],
        ]
    )

    class Sequence(dict):
        def get(self, key, default=None):
            return next(responses) if key == "extendsession" else default

    server.answers = Sequence()
    client = _client(server)
    assert client.extendsession() == "1f7ef3be6b0a38f0c577f"
    assert [r["method"] for r in server.received] == ["POST", "GET"]
    assert client.refused == ["POST"]
    assert client.session_name == "1f7ef3be6b0a38f0c577f"


def test_a_slow_crm_is_a_timeout_that_may_have_been_applied(server):
    server.answer("create", "46_create_Leads_minimal")
    server.delay = 1.0
    client = CrmClient(server.url, connect_timeout=1, read_timeout=0.3, session_name=SESSION)
    with pytest.raises(CrmUnavailable) as caught:
        client.create("Leads", {"lastname": "X"})
    assert caught.value.maybe_applied
    assert "did not answer in time" in str(caught.value)


def test_a_refused_connection_is_transient_and_was_not_applied():
    client = CrmClient("http://127.0.0.1:9", connect_timeout=1, read_timeout=1, session_name=SESSION)
    with pytest.raises(CrmUnavailable) as caught:
        client.create("Leads", {"lastname": "X"})
    assert caught.value.retryable
    assert not caught.value.maybe_applied


def test_an_html_error_page_is_transient_with_a_short_excerpt(server):
    server.default = {
        "status": 502,
        "headers": {"Content-type": "text/html"},
        "raw_body": "<html><head><title>502 Bad Gateway</title></head><body>" + "x" * 5000 + "</body></html>",
    }
    with pytest.raises(CrmUnavailable) as caught:
        _client(server).retrieve("10x2")
    assert "HTTP 502" in str(caught.value)
    assert caught.value.excerpt.startswith("502 Bad Gateway")
    assert len(caught.value.excerpt) <= 200


def test_a_garbage_answer_with_status_200_is_transient(server):
    server.default = {"status": 200, "headers": {}, "raw_body": "Fatal error: out of memory"}
    with pytest.raises(CrmUnavailable) as caught:
        _client(server).retrieve("10x2")
    assert "cannot read" in str(caught.value)


def test_secrets_never_reach_an_error_or_the_log(server, caplog):
    """Even a server that echoes the session id or the key back gets them scrubbed."""
    caplog.set_level("DEBUG")
    server.default = {
        "status": 200,
        "headers": {},
        "raw_body": json.dumps(
            {"success": False, "error": {"code": "ACCESS_DENIED", "message": f"denied for {SESSION}"}}
        ),
    }
    with pytest.raises(CrmAccessDenied) as caught:
        _client(server).retrieve("10x2")
    assert SESSION not in str(caught.value) and SESSION not in repr(caught.value.args)
    server.default = {"status": 500, "headers": {}, "raw_body": f"<b>Warning</b> key {ACCESS_KEY} session {SESSION}"}
    server.answer("getchallenge", "01_getchallenge_GET")
    with pytest.raises(CrmUnavailable) as caught:
        _client(server, session="").login("admin", ACCESS_KEY)
    assert ACCESS_KEY not in repr(caught.value.args)
    assert SESSION not in caplog.text and ACCESS_KEY not in caplog.text


def test_errors_survive_a_trip_through_pickle():
    """Errors cross processes through the cache (single-flight logins)."""
    import pickle

    error = CrmRejected("lastname does not have a value", "MANDATORY_FIELDS_MISSING", "m", "lastname")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.code, copy.field, str(copy)) == (CrmRejected, error.code, "lastname", str(error))
    timeout = CrmUnavailable("slow", maybe_applied=True)
    assert pickle.loads(pickle.dumps(timeout)).maybe_applied
