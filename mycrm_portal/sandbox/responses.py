"""How the sandbox CRM's answers look on the wire: PHP's json_encode, vtiger's headers, the
empty HTTP 500s, and the PHP warnings a server with display_errors prints before the JSON.

The captures are the reference, byte for byte where it is cheap: "/" written as "\\/", non-ASCII as
\\uXXXX, the no-cache headers only where PHP had started a session (not for 148, 160, 163, 165,
nor for the bare 500 of an unknown operation). This module only formats; it decides nothing.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.http import HttpResponse

from .errors import WsError

JSON = "application/json"
HTML = "text/html; charset=UTF-8"
NO_CACHE_HEADERS = {
    "Expires": "Thu, 19 Nov 1981 08:52:00 GMT",
    "Cache-Control": "no-store, no-cache, must-revalidate",
    "Pragma": "no-cache",
}
_WARNINGS = Path(__file__).resolve().parent / "data" / "php_warnings.json"


@dataclass(frozen=True)
class Answer:
    status: int = 200
    payload: dict | None = None  # the JSON envelope; None: an empty body
    content_type: str = JSON
    nocache: bool = True  # PHP had started a session, so it sent its cache headers
    warnings: str = "retrieve"  # which captured block of PHP warnings fits this answer


def success(result, *, warnings: str = "retrieve") -> Answer:
    return Answer(payload={"success": True, "result": result}, warnings=warnings)


def failure(error: WsError, *, nocache: bool = True, warnings: str = "invalid_session") -> Answer:
    return Answer(
        payload={"success": False, "error": {"message": error.message, "code": error.code}},
        nocache=nocache,
        warnings=warnings,
    )


def fatal(*, nocache: bool) -> Answer:
    """What PHP sends after a fatal error outside vtiger's try block: 500 and nothing else."""
    return Answer(status=500, content_type=HTML, nocache=nocache)


def php_json(value) -> str:
    return json.dumps(value, ensure_ascii=True, separators=(",", ":")).replace("/", "\\/")


@cache
def _warnings() -> dict:
    return json.loads(_WARNINGS.read_text())


def to_http(answer: Answer, *, php_notice: bool = False) -> HttpResponse:
    body = "" if answer.payload is None else php_json(answer.payload)
    content_type = answer.content_type
    if php_notice and answer.payload is not None:
        block = _warnings().get(answer.warnings) or _warnings()["retrieve"]
        body = block["prefix"] + body
        content_type = block["content_type"]
    response = HttpResponse(body.encode(), status=answer.status, content_type=content_type)
    if answer.nocache:
        for name, value in NO_CACHE_HEADERS.items():
            response[name] = value
    return response
