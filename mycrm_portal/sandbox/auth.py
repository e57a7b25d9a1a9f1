"""Challenges, logins and webservice sessions of the sandbox CRM, as vtiger 8 handles them.

A challenge token lives `SANDBOX_CHALLENGE_TTL_SECONDS`, is replaced by the user's next challenge
(the old one then fails as a wrong key, capture 14) and is not consumed by a login (11). A session
dies after `SANDBOX_SESSION_IDLE_SECONDS` without use (PHP's session clean-up, capture 175); both
settings are read on every request because tests change them. Logout never ends a session (171).

Never log or put in an error a token, an access key or a session name.
"""

import hashlib
import hmac
import re
import secrets
import time
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from . import errors, users
from .models import SandboxChallenge, SandboxSession, SandboxUser

API_VERSION = "0.22"
VTIGER_VERSION = "8.0.0"

# PHP refuses a session id with other characters before it looks anything up (capture 148).
_SESSION_ID = re.compile(r"[A-Za-z0-9,-]+")


def valid_session_syntax(name: str) -> bool:
    return bool(_SESSION_ID.fullmatch(name))


def _uniqid() -> str:
    # PHP's uniqid(): 8 hex digits of seconds and 5 of microseconds.
    now = time.time()
    return f"{int(now):08x}{int((now % 1) * 1_000_000):05x}"


def getchallenge(username: str) -> dict:
    if not username:
        raise errors.WsError("ACCESS_DENIED", "No username given")
    user = users.user_by_name(username)
    if user is None:
        raise errors.WsError("ACCESS_DENIED", "username does not exists")
    now = timezone.now()
    expires = now + timedelta(seconds=settings.SANDBOX_CHALLENGE_TTL_SECONDS)
    # uniqid() alone could repeat within a microsecond; the random tail keeps a new token new.
    token = f"{int(now.timestamp()):08x}{secrets.randbelow(16**5):05x}"
    SandboxChallenge.objects.update_or_create(
        user=user, defaults={"token": token, "issued_at": now, "expires_at": expires}
    )
    return {"token": token, "serverTime": int(now.timestamp()), "expireTime": int(expires.timestamp())}


def login(username: str, access_key: str) -> dict:
    user = users.user_by_name(username)
    challenge = SandboxChallenge.objects.filter(user=user, expires_at__gte=timezone.now()).first() if user else None
    if challenge is None:
        raise errors.invalid_token()
    if not user.access_key:
        raise errors.WsError("ACCESSKEY_UNDEFINED", "Access key for the user is undefined")
    expected = hashlib.md5((challenge.token + user.access_key).encode()).hexdigest()
    if not hmac.compare_digest(expected.encode(), (access_key or "").encode()):
        raise errors.invalid_credentials()
    session = open_session(user)
    return {
        "username": user.user_name,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "time_zone": "UTC",
        "hour_format": "12",
        "date_format": user.date_format,
        "is_admin": "on" if user.is_admin else "off",
        "call_duration": "5",
        "other_event_duration": "5",
        "sessionName": session.name,
        "userId": user.ws_id,
        "version": API_VERSION,
        "vtigerVersion": VTIGER_VERSION,
    }


def open_session(user: SandboxUser) -> SandboxSession:
    now = timezone.now()
    return SandboxSession.objects.create(
        name=secrets.token_hex(8) + _uniqid(), user=user, created_at=now, last_used_at=now
    )


def live_session(name: str | None) -> SandboxSession | None:
    """The session of that name if it is still alive, marked as used now; else None."""
    if not name:
        return None
    session = SandboxSession.objects.select_related("user").filter(name=name).first()
    if session is None:
        return None
    now = timezone.now()
    idle_limit = settings.SANDBOX_SESSION_IDLE_SECONDS
    idle = (now - session.last_used_at).total_seconds()
    if idle > idle_limit:
        session.delete()
        return None
    # Writing the time of every use costs a write transaction per request; a session used again
    # within a tenth of its idle limit (at most a second) keeps its recorded time.
    if idle >= min(1.0, idle_limit / 10):
        SandboxSession.objects.filter(pk=session.pk).update(last_used_at=now)
    return session


def extendsession(session: SandboxSession | None) -> dict:
    if session is None:
        raise errors.authentication_failure()
    return {
        "sessionName": session.name,
        "userId": session.user.ws_id,
        "version": API_VERSION,
        "vtigerVersion": VTIGER_VERSION,
    }


def invalidate_all_sessions() -> int:
    deleted, _ = SandboxSession.objects.all().delete()
    return deleted
