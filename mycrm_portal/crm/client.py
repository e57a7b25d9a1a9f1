"""MyCRM webservice client: the vtiger webservice protocol as a real server speaks it.

Pure Python, no Django: it takes a base URL and timeouts and knows nothing of users or settings
(`crm/sessions.py` does that). It is the only code that talks HTTP to the CRM, and every call has a
(connect, read) timeout. Every failure becomes one of the CrmError classes below, which tell the
caller what it can do: retry later, log in again, or show the CRM's message to the rep.

It must never log, print or put in an exception the access key, its md5 hash or a session id.
The protocol page (shared/protocol/mycrm-webservice.md) and the captured exchanges behind it are
the reference for every choice here.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass
from typing import Any

import requests

logger = logging.getLogger(__name__)

# Parameters other than operation/sessionName are read from the query string for these
# operations and from the form body for all others; sent the wrong way they are simply missing.
GET_OPERATIONS = frozenset({"getchallenge", "retrieve", "query", "describe", "listtypes"})

USER_AGENT = "MyCRM-Sales-Portal/1.0"


# --- Errors -------------------------------------------------------------------------------------


class CrmError(Exception):
    """Base of every client error. `str(exc)` is a plain sentence a rep can read.

    code: the CRM's error code (a string, or 0 for duplicates), None for transport failures.
    crm_message: the CRM's own message, when it sent one.
    field: the record field the message names, when it names one.
    excerpt: a short, secret-free excerpt of an unreadable answer, for the logs.
    maybe_applied: the request reached the CRM, which may have carried it out before failing.

    Callers decide by these class attributes, never by a chain of isinstance checks:
    retryable: keep the work and try it again later (a task does): true unless the CRM refused the
      data or the request itself, which only a person can fix.
    unexpected: the portal (or its session handling) is at fault, not the CRM or the rep: worth an
      error in the log.
    """

    retryable = False
    unexpected = False

    def __init__(
        self,
        message: str,
        code: Any = None,
        crm_message: str = "",
        field: str = "",
        excerpt: str = "",
        maybe_applied: bool = False,
    ):
        # Everything goes through args so that the exception pickles (it may cross processes).
        super().__init__(message, code, crm_message, field, excerpt, maybe_applied)
        self.message = message
        self.code = code
        self.crm_message = crm_message
        self.field = field
        self.excerpt = excerpt
        self.maybe_applied = maybe_applied

    def __str__(self) -> str:
        return self.message


class CrmUnavailable(CrmError):
    """The CRM could not be reached, timed out, failed (5xx) or answered something that is not the
    protocol. Transient: queue the work and retry later.

    maybe_applied: the request reached the CRM, which may have carried it out before failing
    (a read time-out, a dropped connection, a 5xx). A create must be reconciled before it is
    sent again.
    """

    retryable = True


class CrmTimeout(CrmUnavailable):
    """No answer within the read timeout: the CRM may still have done what was asked."""


class CrmConvertUnavailable(CrmUnavailable):
    """convertlead answered an empty HTTP 500: the stock vtiger 8.2 bug on PHP 8 (360), which is
    permanent and did nothing. Not retryable as such: create the contact instead."""

    retryable = False


class CrmSessionInvalid(CrmError):
    """The session is gone (expired, logged out, garbage-collected): log in again once and repeat.
    One that reaches a caller survived that new login: unexpected."""

    retryable = True
    unexpected = True


class CrmAuthFailed(CrmError):
    """The CRM username or access key is wrong, or the user has no access key: the rep must fix
    their CRM account. Retrying the sign-in will not help; the work waits (retryable) and goes as
    soon as the account is fixed."""

    retryable = True


class CrmRejected(CrmError):
    """The CRM refused the data or the request (mandatory field missing, bad reference, duplicate,
    no permission): permanent, show the CRM's message at the field it names."""


class CrmAccessDenied(CrmRejected):
    """ACCESS_DENIED: no permission, an unknown or deleted record, or a parameter sent the wrong way."""


class CrmQueryError(CrmError):
    """QUERY_SYNTAX_ERROR: the portal built a query the CRM cannot parse. A bug in the portal; the
    work it was for waits (never done blindly without the query's answer)."""

    retryable = True
    unexpected = True


_SESSION_CODES = {"INVALID_SESSIONID", "AUTHENTICATION_REQUIRED", "SESSION_EXPIRED", "SESSION_LEFT_IDLE"}
_AUTH_CODES = {"INVALID_USER_CREDENTIALS", "ACCESSKEY_UNDEFINED", "AUTHENTICATION_FAILURE", "INVALID_AUTH_TOKEN"}
_REJECTED_CODES = {
    "MANDATORY_FIELDS_MISSING",
    "REFERENCE_INVALID",
    "INVALID_ID_ATTRIBUTE",
    "RECORD_NOT_FOUND",
    "OPERATION_NOT_SUPPORTED",
    "UNKOWN_ENTITY",
    "UNKNOWN_ENTITY",
    "CURRENCY_INACTIVE",
    "LEAD_ALREADY_CONVERTED",
    "LEAD_RELATED_UPDATE_FAILED",
    "FAILED_TO_MARK_CONVERTED",
    "INVALIDOLDPASSWORD",
    "NEWPASSWORDMISMATCH",
    "CHANGEPASSWORDFAILURE",
}
_SERVER_CODES = {"DATABASE_QUERY_ERROR", "INTERNAL_SERVER_ERROR", "UNKNOWN_OPERATION", "FAILED_TO_CREATE"}

_AUTH_MESSAGES = {
    "INVALID_USER_CREDENTIALS": "MyCRM did not accept this username and access key. Check the access key "
    "under My Preferences in MyCRM.",
    "ACCESSKEY_UNDEFINED": "This MyCRM user has no access key yet: generate one under My Preferences in MyCRM.",
    "AUTHENTICATION_FAILURE": "MyCRM refused the sign-in. Check the CRM username and access key.",
    "INVALID_AUTH_TOKEN": "MyCRM did not accept the sign-in challenge. Check the CRM username.",
}

# The CRM names the field in a few message shapes; the rep sees the message next to that field.
_FIELD_PATTERNS = (
    re.compile(r"^(?P<field>[A-Za-z_][A-Za-z0-9_]*) does not have a value"),
    re.compile(r"Invalid reference specified for (?P<field>[A-Za-z_][A-Za-z0-9_]*)"),
    re.compile(r"Permission to access (?P<field>[A-Za-z_][A-Za-z0-9_]*) attribute denied"),
)


def field_named_in(message: str) -> str:
    """The record field a CRM error message is about, or ''."""
    for pattern in _FIELD_PATTERNS:
        match = pattern.search(message or "")
        if match:
            return match.group("field")
    if "assign record to the given user" in (message or ""):
        return "assigned_user_id"
    return ""


def error_for(code: Any, crm_message: str) -> CrmError:
    """The one place that decides what a CRM error code means to a caller."""
    crm_message = (crm_message or "").strip()
    shown = crm_message or "MyCRM refused the request."
    if code in _SESSION_CODES:
        return CrmSessionInvalid("The MyCRM session has ended.", code, crm_message)
    if code in _AUTH_CODES:
        return CrmAuthFailed(_AUTH_MESSAGES.get(code, shown), code, crm_message)
    if code == "ACCESS_DENIED":
        return CrmAccessDenied(shown, code, crm_message, field_named_in(crm_message))
    if code in _REJECTED_CODES or code == 0 or code == "0":
        return CrmRejected(shown, code, crm_message, field_named_in(crm_message))
    if code == "QUERY_SYNTAX_ERROR":
        return CrmQueryError("The portal sent MyCRM a query it could not read.", code, crm_message)
    if code in _SERVER_CODES:
        return CrmUnavailable(
            "MyCRM failed while handling the request; it will be tried again.",
            maybe_applied=True,
            code=code,
            crm_message=crm_message,
        )
    # A code this client does not know: show it, never retry blindly.
    return CrmRejected(shown, code, crm_message, field_named_in(crm_message))


# --- Answers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    token: str
    server_time: int
    expire_time: int


@dataclass(frozen=True)
class LoginResult:
    session_name: str
    user_id: str
    username: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    is_admin: bool = False
    date_format: str = ""
    time_zone: str = ""
    version: str = ""
    vtiger_version: str = ""

    def __repr__(self) -> str:  # the session id stays out of reprs, and so out of logs
        return f"LoginResult(user_id={self.user_id!r}, username={self.username!r})"


@dataclass(frozen=True)
class PicklistValue:
    label: str
    value: str


def picklist_values(description: dict, field_name: str) -> list[PicklistValue]:
    """The picklist of one field from a describe answer ([] when the field has none)."""
    for field in description.get("fields") or []:
        if field.get("name") == field_name:
            values = (field.get("type") or {}).get("picklistValues") or []
            return [PicklistValue(str(v.get("label", v.get("value", ""))), str(v.get("value", ""))) for v in values]
    return []


def quote_literal(value: str) -> str:
    """A VTQL string literal. A quote inside one is doubled (`'O''Brien'`, captures 312, 324); a
    backslash escapes nothing and makes `\\'` a syntax error (122, 313), so a value holding a
    backslash cannot be searched for: the caller must query by another field."""
    if "\\" in value:
        raise ValueError("MyCRM queries cannot search for a value containing a backslash.")
    return "'" + value.replace("'", "''") + "'"


# --- The client ---------------------------------------------------------------------------------

_JSON_START = re.compile(r'\{\s*"success"\s*:')
_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


def new_http_session() -> requests.Session:
    """A keep-alive HTTP session for CRM calls (callers may keep one per thread and reuse it)."""
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    return http


class CrmClient:
    """One client per CRM identity in use; it keeps one requests.Session (keep-alive).

    `session_name` is the webservice session after login (or one restored from storage).
    """

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float,
        read_timeout: float,
        session_name: str = "",
        http: requests.Session | None = None,
    ):
        self.endpoint = base_url.rstrip("/") + "/webservice.php"
        self.timeout = (connect_timeout, read_timeout)
        self.session_name = session_name
        self.http = http or new_http_session()
        self._secrets: set[str] = set()

    def __repr__(self) -> str:
        return f"CrmClient({self.endpoint!r})"

    # Operations that need no session.

    def getchallenge(self, username: str) -> Challenge:
        result = self._call("getchallenge", {"username": username}, with_session=False)
        try:
            return Challenge(str(result["token"]), int(result["serverTime"]), int(result["expireTime"]))
        except (KeyError, TypeError, ValueError):
            raise CrmUnavailable("MyCRM sent a challenge the portal cannot read.", maybe_applied=False) from None

    def login(self, username: str, access_key: str) -> LoginResult:
        """Challenge, then login with md5(token + access key). A challenge that expired or was
        replaced by another process's challenge in between is fetched once more."""
        self._secrets.add(access_key)
        try:
            for attempt in (1, 2):
                try:
                    challenge = self.getchallenge(username)
                except CrmAccessDenied as exc:
                    raise CrmAuthFailed(
                        f"MyCRM has no user named {username!r}. Check the CRM username.",
                        exc.code,
                        exc.crm_message,
                    ) from None
                digest = hashlib.md5((challenge.token + access_key).encode()).hexdigest()
                self._secrets.add(digest)
                try:
                    result = self._call("login", {"username": username, "accessKey": digest}, with_session=False)
                except CrmAuthFailed as exc:
                    # A newer challenge (another process logging in as this user) replaces ours
                    # and turns a right key into INVALID_USER_CREDENTIALS or INVALID_AUTH_TOKEN:
                    # one more challenge settles it.
                    if attempt == 1 and exc.code in ("INVALID_AUTH_TOKEN", "INVALID_USER_CREDENTIALS"):
                        continue
                    raise
                break
        finally:
            self._secrets.discard(access_key)
        if not isinstance(result, dict):
            raise CrmUnavailable("MyCRM sent a login answer the portal cannot read.", maybe_applied=False)
        session = result.get("sessionName") or result.get("sessionId")
        if not session:
            raise CrmUnavailable("MyCRM's login answer carried no session.", maybe_applied=False)
        self.session_name = str(session)
        return LoginResult(
            session_name=self.session_name,
            user_id=str(result.get("userId", "")),
            username=str(result.get("username", username)),
            first_name=str(result.get("first_name", "")),
            last_name=str(result.get("last_name", "")),
            email=str(result.get("email", "")),
            is_admin=str(result.get("is_admin", "")).lower() == "on",
            date_format=str(result.get("date_format", "")),
            time_zone=str(result.get("time_zone", "")),
            version=str(result.get("version", "")),
            vtiger_version=str(result.get("vtigerVersion", "")),
        )

    # Operations on a session.

    def extendsession(self, methods: tuple[str, ...] = ("POST", "GET")) -> str:
        """Keep the session alive, best effort: POST as vtiger 8 wants (160, 161), then GET as the
        seed documents. Returns the session to use from now on (the CRM may hand out a new one);
        raises CrmSessionInvalid when none works, so the caller logs in again. `self.refused`
        lists the methods the CRM refused, so a caller can stop trying one it never accepts."""
        self.refused: list[str] = []
        for method in methods:
            try:
                result = self._call("extendsession", {}, method=method)
            except (CrmSessionInvalid, CrmAuthFailed, CrmRejected):
                self.refused.append(method)
                continue
            if isinstance(result, dict) and (result.get("sessionName") or result.get("sessionId")):
                self.session_name = str(result.get("sessionName") or result.get("sessionId"))
            return self.session_name
        raise CrmSessionInvalid("The MyCRM session could not be extended.", "AUTHENTICATION_FAILURE")

    def logout(self) -> None:
        """Best effort: vtiger 8 answers logout with HTTP 500 by design and keeps the session alive
        (171): expected, so not logged as an error."""
        try:
            self._call("logout", {})
        except CrmError as exc:
            logger.debug("MyCRM logout: %s (expected on vtiger 8)", exc.message)
        self.session_name = ""

    def create(self, element_type: str, element: dict) -> dict:
        return self._record(self._call("create", {"elementType": element_type, "element": _dump(element)}))

    def update(self, element: dict) -> dict:
        """Replace a record: the element must carry every mandatory field (81)."""
        return self._record(self._call("update", {"element": _dump(element)}))

    def revise(self, element: dict) -> dict:
        """Change only the fields sent (91)."""
        return self._record(self._call("revise", {"element": _dump(element)}))

    def retrieve(self, record_id: str) -> dict:
        return self._record(self._call("retrieve", {"id": record_id}))

    def convertlead(self, element: dict) -> dict:
        """Convert a lead (362): {"Contacts": "12x..", ...} for the entities created. A stock vtiger
        8.2 on PHP 8 answers every call with an empty HTTP 500 and does nothing (360): that is
        CrmConvertUnavailable. Where it works it has no rollback (370): a failure may leave a contact."""
        try:
            result = self._call("convertlead", {"element": _dump(element)})
        except CrmUnavailable as exc:
            if exc.code is None and exc.excerpt == "" and "HTTP 500" in exc.message:
                raise CrmConvertUnavailable(
                    "MyCRM cannot convert leads (its convertlead fails on this server).", maybe_applied=False
                ) from None
            raise
        if result is not None and not isinstance(result, dict):
            raise CrmUnavailable("MyCRM sent a conversion answer the portal cannot read.", maybe_applied=True)
        return result or {}

    def delete(self, record_id: str) -> dict:
        return self._call("delete", {"id": record_id})

    def describe(self, element_type: str) -> dict:
        result = self._call("describe", {"elementType": element_type})
        if not isinstance(result, dict):
            raise CrmUnavailable("MyCRM sent a description the portal cannot read.", maybe_applied=False)
        return result

    def query(self, vtql: str) -> list[dict]:
        vtql = vtql.strip()
        if not vtql.endswith(";"):
            vtql += ";"  # required by the CRM (111)
        result = self._call("query", {"query": vtql})
        if not isinstance(result, list):
            raise CrmUnavailable("MyCRM sent query results the portal cannot read.", maybe_applied=False)
        return result

    def listtypes(self, field_types: list[str] | None = None) -> dict:
        params = {"fieldTypeList": json.dumps(field_types)} if field_types else {}
        return self._call("listtypes", params)

    # The transport.

    def _record(self, result: Any) -> dict:
        if not isinstance(result, dict) or "id" not in result:
            raise CrmUnavailable("MyCRM sent a record the portal cannot read.", maybe_applied=True)
        return result

    def _call(self, operation: str, params: dict, *, with_session: bool = True, method: str | None = None) -> Any:
        """Send one operation. The session id never goes into a URL: the CRM reads `sessionName`
        from the query string or the body alike (capture 150), so a GET-type operation that needs
        a session is sent as a POST with its own parameters in the query string, where the CRM
        reads them (75), and the session in the body. Only the seed's GET extendsession (the
        `method="GET"` fallback) has to carry it in the query string."""
        if with_session and not self.session_name:
            raise CrmSessionInvalid("There is no MyCRM session yet.", "AUTHENTICATION_REQUIRED")
        get_type = operation in GET_OPERATIONS
        method = method or ("POST" if with_session or not get_type else "GET")
        session = {"sessionName": self.session_name} if with_session else {}
        if method == "GET":
            query, body = {"operation": operation, **session, **params}, None
        elif get_type:
            query, body = {"operation": operation, **params}, session
        else:
            query, body = None, {"operation": operation, **session, **params}
        started = time.monotonic()
        try:
            if method == "GET":
                response = self.http.get(self.endpoint, params=query, timeout=self.timeout)
            else:
                response = self.http.post(self.endpoint, params=query, data=body, timeout=self.timeout)
        except requests.ConnectTimeout:
            raise CrmUnavailable("MyCRM could not be reached in time.", maybe_applied=False) from None
        except requests.ReadTimeout:
            logger.warning("MyCRM %s: no answer within %ss", operation, self.timeout[1])
            raise CrmTimeout("MyCRM did not answer in time.", maybe_applied=True) from None
        except requests.ConnectionError as exc:
            sent = not _is_connect_failure(exc)
            logger.warning("MyCRM %s: connection failed (%s)", operation, type(exc).__name__)
            raise CrmUnavailable("MyCRM could not be reached.", maybe_applied=sent) from None
        except requests.RequestException as exc:
            logger.warning("MyCRM %s: request failed (%s)", operation, type(exc).__name__)
            raise CrmUnavailable("MyCRM could not be reached.", maybe_applied=True) from None
        logger.debug("MyCRM %s %s -> %s in %.3fs", method, operation, response.status_code, time.monotonic() - started)
        return self._parse(operation, response)

    def _parse(self, operation: str, response: requests.Response) -> Any:
        body = response.content.decode("utf-8", errors="replace")
        if response.status_code >= 400:
            raise CrmUnavailable(
                f"MyCRM answered with an error (HTTP {response.status_code}).",
                # 503: refused before it was handled (down, overloaded). A 500, 502 or 504 may
                # come after the CRM did the work.
                maybe_applied=response.status_code >= 500 and response.status_code != 503,
                excerpt=self._excerpt(body),
            )
        # PHP notices printed before the JSON (display_errors on): parse from the envelope's start.
        match = _JSON_START.search(body)
        data = None
        if match:
            try:
                data, _ = json.JSONDecoder().raw_decode(body, match.start())
            except ValueError:
                data = None
        if not isinstance(data, dict) or not isinstance(data.get("success"), bool):
            logger.warning("MyCRM %s: answer is not the webservice protocol: %s", operation, self._excerpt(body))
            raise CrmUnavailable(
                "MyCRM sent an answer the portal cannot read.", maybe_applied=True, excerpt=self._excerpt(body)
            )
        if data["success"]:
            return data.get("result")
        error = data.get("error") if isinstance(data.get("error"), dict) else {}
        exc = error_for(error.get("code"), self._scrub(str(error.get("message") or "")))
        logger.info("MyCRM %s refused: %s %s", operation, exc.code, exc.crm_message)
        raise exc

    def _scrub(self, text: str) -> str:
        for secret in (*self._secrets, self.session_name):
            if secret:
                text = text.replace(secret, "[redacted]")
        return text

    def _excerpt(self, body: str, limit: int = 200) -> str:
        text = _SPACES.sub(" ", _TAGS.sub(" ", body)).strip()
        return self._scrub(text)[:limit]


def _dump(element: dict) -> str:
    return json.dumps(element, ensure_ascii=False)


def _is_connect_failure(exc: requests.ConnectionError) -> bool:
    """True when the connection was never made (refused, DNS), so the CRM cannot have acted."""
    reason = exc.args[0] if exc.args else None
    text = f"{type(reason).__name__} {reason}"
    return any(s in text for s in ("NewConnectionError", "NameResolutionError", "Connection refused", "ConnectTimeout"))
