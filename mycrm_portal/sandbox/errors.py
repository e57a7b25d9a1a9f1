"""The webservice's handled errors: the codes and the exact messages a vtiger 8 server sends,
typos included ("Authencation", "does not exists"), because clients match on them.

Only the emulator raises these. Messages must never contain an access key or a session id.
"""

# The duplicate-prevention error is the one whose code is the integer 0 (captures 250, 252).
DUPLICATES_CODE = 0


class WsError(Exception):
    """A handled failure: HTTP 200 with {"success": false, "error": {"message", "code"}}."""

    def __init__(self, code, message: str):
        super().__init__(code, message)
        self.code = code
        self.message = message


def access_denied(suffix: str = "") -> WsError:
    return WsError("ACCESS_DENIED", f"Permission to perform the operation is denied{suffix}")


def denied_for_name(name: str) -> WsError:
    return access_denied(f" for name : {name}")


def authentication_required() -> WsError:
    return WsError("AUTHENTICATION_REQUIRED", "Authencation required")


def invalid_session() -> WsError:
    return WsError("INVALID_SESSIONID", "Session Identifier provided is Invalid")


def authentication_failure() -> WsError:
    return WsError("AUTHENTICATION_FAILURE", "Authencation Failed")


def invalid_token() -> WsError:
    return WsError("INVALID_AUTH_TOKEN", "Specified token is invalid or expired")


def invalid_credentials() -> WsError:
    return WsError("INVALID_USER_CREDENTIALS", "Invalid username or password")


def mandatory_missing(field: str) -> WsError:
    return WsError("MANDATORY_FIELDS_MISSING", f"{field} does not have a value")


def invalid_id() -> WsError:
    return WsError("INVALID_ID_ATTRIBUTE", "Id specified is incorrect")


def duplicates() -> WsError:
    return WsError(DUPLICATES_CODE, "Duplicate(s) detected!")
