"""A rep in a browser, as far as the benchmark needs one: sign in through /accounts/login/ and fill
the lead form (its CSRF token, its idempotency token, the first "assigned to" choice).

Only ever talks to the run's own gunicorn on 127.0.0.1. Sign-ins must not fail: django-axes locks a
username after 5 failures, so a failure stops the part at once.
"""

from __future__ import annotations

import re

import requests

from .data import PASSWORD
from .environment import HarnessError

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_TOKEN = re.compile(r'name="token" value="([0-9a-f-]+)"')
_ASSIGNED = re.compile(r'<select name="assigned_user_id"[^>]*>\s*<option value="([^"]+)"')
TIMEOUT = 30


def sign_in(base_url: str, username: str, password: str = PASSWORD) -> requests.Session:
    """A keep-alive HTTP session signed in as `username`."""
    http = requests.Session()
    page = http.get(f"{base_url}/accounts/login/", timeout=TIMEOUT)
    answer = http.post(
        f"{base_url}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": _find(_CSRF, page.text, "CSRF token")},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    if answer.status_code != 302 or "sessionid" not in http.cookies:
        raise HarnessError(f"sign-in of {username} failed (HTTP {answer.status_code})")
    return http


def cookie_header(http: requests.Session) -> str:
    return "; ".join(f"{c.name}={c.value}" for c in http.cookies)


def lead_form(http: requests.Session, base_url: str) -> dict[str, str]:
    """The hidden values of a new lead form: CSRF token, form token, the rep's own assignee."""
    page = http.get(f"{base_url}/leads/new/", timeout=TIMEOUT)
    if page.status_code != 200:
        raise HarnessError(f"/leads/new/ answered HTTP {page.status_code}")
    return {
        "csrfmiddlewaretoken": _find(_CSRF, page.text, "CSRF token"),
        "token": _find(_TOKEN, page.text, "form token"),
        "assigned_user_id": _find(_ASSIGNED, page.text, "assigned_user_id choice"),
    }


def _find(pattern: re.Pattern, text: str, what: str) -> str:
    match = pattern.search(text)
    if match is None:
        raise HarnessError(f"no {what} on the page")
    return match.group(1)
