"""`/sandbox/webservice.php`: the vtiger 8 webservice protocol as the captured server speaks it.

The dispatcher does what vtiger's webservice.php does, in the same order, because the order shows
in the answers: the operation (any case, 143; unknown or missing: a bare HTTP 500, 140, 141); the
parameters (operation, sessionName and format from the query string or the body, the body
winning; every other parameter only from the query string for the GET operations and only from
the body for the POST ones, whatever the HTTP method: 19, 35, 48, 119, 150, 151); extendsession's
own check of the body (160, 165); the session (none or "null": AUTHENTICATION_REQUIRED, unknown or
idle: INVALID_SESSIONID); then the operation. Logout fails with an empty HTTP 500 and leaves the
session alive, as on a stock vtiger 8 with PHP 8 (171-173).

Faults and counters apply to every request. Nothing here may log a session name, a token or a key.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from . import auth, errors, faults, operations, records, responses, users
from .errors import WsError
from .models import SandboxUser
from .responses import Answer


@dataclass(frozen=True)
class Operation:
    method: str  # where vtiger reads the parameters from: "GET" (query string) or "POST" (body)
    prelogin: bool = False
    run: Callable | None = None  # (params, Context) -> result, for the entity operations


OPERATIONS = {
    "getchallenge": Operation("GET", prelogin=True),
    "login": Operation("POST", prelogin=True),
    "extendsession": Operation("POST", prelogin=True),
    "logout": Operation("POST"),
    "listtypes": Operation("GET", run=operations.listtypes),
    "describe": Operation("GET", run=operations.describe),
    "retrieve": Operation("GET", run=operations.retrieve),
    "query": Operation("GET", run=operations.query),
    "create": Operation("POST", run=operations.create),
    "update": Operation("POST", run=operations.update),
    "revise": Operation("POST", run=operations.revise),
    "delete": Operation("POST", run=operations.delete),
    "convertlead": Operation("POST", run=operations.convertlead),
}
# Answered late under the `commit_then_timeout` fault, after their change is committed.
WRITE_OPERATIONS = frozenset({"create", "update", "revise", "convertlead"})


def _either(request: HttpRequest, name: str) -> str:
    # PHP's $_REQUEST: the body's value wins over the query string's.
    if name in request.POST:
        return request.POST[name]
    return request.GET.get(name, "")


def handle(request: HttpRequest) -> HttpResponse:
    name = _either(request, "operation").lower()
    operation = OPERATIONS.get(name)
    faults.count("crm", name if operation else "unknown")
    fault = faults.active("crm")
    early = faults.transport_fault(fault)
    if early is not None:
        return early
    if operation is None:
        return responses.to_http(responses.fatal(nocache=False))
    answer = _answer(request, name, operation, fault=fault.mode)
    if fault.mode == "commit_then_timeout" and name in WRITE_OPERATIONS:
        faults.delay(fault.seconds)
    if (_either(request, "format") or "json").lower() != "json":
        # No formatter for anything else: vtiger dies while writing the answer (142).
        answer = Answer(status=500, content_type=answer.content_type, nocache=answer.nocache)
    return responses.to_http(answer, php_notice=fault.mode == "php_notice")


def _answer(request: HttpRequest, name: str, operation: Operation, *, fault: str) -> Answer:
    params = request.GET if operation.method == "GET" else request.POST
    session_name = _either(request, "sessionName")
    if session_name.lower() == "null":
        session_name = ""
    if operation.prelogin:
        # Every session comes from a login, so the admin and the groups exist once this ran.
        users.ensure_defaults()
    if name == "extendsession":
        return _extendsession(params, session_name)
    if session_name and not auth.valid_session_syntax(session_name):
        # PHP refuses such an id before starting a session: no cache headers either (148).
        return responses.failure(errors.invalid_session(), nocache=False)
    session = None
    if session_name:
        session = auth.live_session(session_name)
        if session is None:
            return responses.failure(errors.invalid_session())
    elif not operation.prelogin:
        return responses.failure(errors.authentication_required())
    try:
        if name == "getchallenge":
            return responses.success(auth.getchallenge(params.get("username", "")), warnings="getchallenge")
        if name == "login":
            return responses.success(
                auth.login(params.get("username", ""), params.get("accessKey", "")), warnings="login"
            )
        if name == "logout":
            # vtiger 8's Logout.php names its parameter $sessionId while the operation table says
            # sessionName: PHP 8 dies, HTTP 500, and the session stays valid.
            return responses.fatal(nocache=True)
        if fault == "query_denied" and name == "query":
            # A profile without the right to query: vtiger's answer to any query, whatever it asks.
            raise errors.access_denied(" for query")
        if name == "convertlead" and records.profile() == records.STOCK:
            # A stock vtiger 8.2 on PHP 8 dies on a named argument before any work (360).
            return responses.fatal(nocache=True)
        return _run(name, operation, params, session.user, duplicates=fault == "duplicates")
    except WsError as exc:
        return responses.failure(exc, warnings=_warnings_for_error(name))


def _run(name: str, operation: Operation, params: Mapping, user: SandboxUser, *, duplicates: bool) -> Answer:
    context = operations.Context(user=user, duplicates=duplicates, private=faults.active("sharing").mode == "private")
    result = operation.run(params, context)
    warnings = name
    if name == "create":
        warnings = f"create_{params.get('elementType')}"
    return responses.success(result, warnings=warnings)


def _extendsession(params: Mapping, session_name: str) -> Answer:
    if "operation" not in params:
        # vtiger checks that the operation came in the body before it starts a session (160, 165).
        return responses.failure(errors.authentication_required(), nocache=False)
    session = auth.live_session(session_name) if auth.valid_session_syntax(session_name) else None
    try:
        return responses.success(auth.extendsession(session), warnings="extendsession")
    except WsError as exc:
        return responses.failure(exc, warnings="extendsession")


def _warnings_for_error(name: str) -> str:
    return {"login": "login_failed", "create": "create_failed", "getchallenge": "getchallenge"}.get(name, name)


def execute(operation: str, params: Mapping, user: SandboxUser, *, duplicates: bool = False):
    """Run an entity operation in-process for `user`, as the webservice would (tests, demo set-up).
    Returns the result or raises WsError."""
    context = operations.Context(user=user, duplicates=duplicates, private=faults.active("sharing").mode == "private")
    return OPERATIONS[operation].run(params, context)
