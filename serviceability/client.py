"""HTTP client for the address serviceability service: one GET per address check.

Every call has a ``(connect, read)`` timeout, one ``requests.Session`` per client keeps connections
alive, and every failure (time-out, refused connection, HTTP error, error page, garbage, a failure
reported inside a 200 envelope) becomes ``ServiceabilityUnavailable`` with a plain message that may be
shown to a user, plus a short body excerpt for the logs.

This is the only module of the app that imports ``requests``. It must never import Django, retry or
sleep (a person is waiting; retries belong to background tasks), cache, or put a traceback or raw
exception text into a message.
"""

from __future__ import annotations

from types import TracebackType
from urllib.parse import quote

import requests
from urllib3.exceptions import ReadTimeoutError

from serviceability.parser import (
    ServiceabilityError,
    ServiceabilityResult,
    ServiceabilityUnavailable,
    parse_response,
    safe_excerpt,
)

__all__ = [
    "ServiceabilityClient",
    "ServiceabilityError",
    "ServiceabilityUnavailable",
]

# Per request, so a session passed in by the caller is used but not altered.
_HEADERS = {"Accept": "application/json", "User-Agent": "mycrm-portal-serviceability/1"}

MSG_TIMEOUT = "The address service did not answer in time."
MSG_UNREACHABLE = "The address service could not be reached."
MSG_MISCONFIGURED = "The address service URL is not configured correctly."
MSG_FAILED = "The request to the address service failed."


def _http_error_message(status: int) -> str:
    return f"The address service answered with an error (HTTP {status})."


_CONFIGURATION_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.MissingSchema,
    requests.exceptions.InvalidSchema,
)


def _unavailable_for(exc: requests.RequestException) -> ServiceabilityUnavailable:
    """The one place that decides what a ``requests`` failure means for the user."""
    detail = type(exc).__name__
    # ConnectTimeout is also a Timeout: nothing was reached, so say that rather than "too slow".
    if isinstance(exc, requests.ConnectTimeout):
        return ServiceabilityUnavailable(MSG_UNREACHABLE, detail)
    if isinstance(exc, requests.Timeout):
        return ServiceabilityUnavailable(MSG_TIMEOUT, detail)
    # A time-out while the body streams in surfaces as a ConnectionError wrapping urllib3's error.
    if isinstance(exc, requests.ConnectionError) and any(isinstance(arg, ReadTimeoutError) for arg in exc.args):
        return ServiceabilityUnavailable(MSG_TIMEOUT, detail)
    if isinstance(exc, requests.ConnectionError):
        return ServiceabilityUnavailable(MSG_UNREACHABLE, detail)
    if isinstance(exc, _CONFIGURATION_ERRORS):
        # Asking again cannot fix a wrong setting.
        return ServiceabilityUnavailable(MSG_MISCONFIGURED, detail, retryable=False)
    return ServiceabilityUnavailable(MSG_FAILED, detail)


class ServiceabilityClient:
    """Talks to ``base_url``; create one per process (or per use) and reuse it for keep-alive."""

    def __init__(
        self,
        base_url: str,
        *,
        connect_timeout: float = 3.05,
        read_timeout: float = 15.0,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url
        self.timeout = (connect_timeout, read_timeout)
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()

    def check(self, lookup: str) -> ServiceabilityResult:
        """Ask which locations and providers the service knows for ``lookup`` ("<street> <city>, <ST>")."""
        # Spaces as %20, as the protocol page shows; "+" is ambiguous to some non-form decoders.
        query = "address=" + quote(lookup, safe="")
        try:
            response = self.session.get(self.base_url, params=query, headers=_HEADERS, timeout=self.timeout)
        except requests.RequestException as exc:
            raise _unavailable_for(exc) from exc
        if response.status_code >= 400:
            status = response.status_code
            raise ServiceabilityUnavailable(
                _http_error_message(status),
                safe_excerpt(response.content),
                status,
                # A 4xx other than rate limiting means our request is wrong: repeating it won't help.
                status >= 500 or status in (408, 429),
            )
        # An error page or a failure envelope with a 200 status is the parser's to recognize.
        return parse_response(response.content)

    def close(self) -> None:
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> ServiceabilityClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
