"""`crm_session_for(user)`: the one way portal code gets a logged-in MyCRM client for a rep.

The session lives in the rep's CrmAccount row, so every process and host shares it. When there is
none, one login happens however many requests ask at once (single flight through the shared
cache); when the CRM says the session is invalid, it logs in again once and repeats the call; a
session idle for longer than CRM_SESSION_EXTEND_AFTER is extended first, and replaced by a new
login when that fails. No loops and no sleeps beyond that: retries with backoff belong to tasks.
"""

import logging
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from mycrm_portal.singleflight import FlightTimeout, single_flight

from .audit import audited, field_names
from .client import CrmAuthFailed, CrmClient, CrmSessionInvalid, CrmUnavailable, LoginResult, new_http_session
from .models import CrmAccount
from .selectors import crm_account_for
from .signals import crm_account_connected

logger = logging.getLogger(__name__)
T = TypeVar("T")

_local = threading.local()

# Writes of "last used" are skipped when the previous one is this recent.
_TOUCH_EVERY = timedelta(seconds=60)
_POST_EXTEND_WORKS = "crm:extendsession:post-works"


class CrmNotConnected(CrmAuthFailed):
    """The rep has not connected a CRM account yet."""


def _http():
    # One keep-alive connection pool per thread: reused across requests, never shared by threads.
    http = getattr(_local, "http", None)
    if http is None:
        http = _local.http = new_http_session()
    return http


def new_client(session_name: str = "") -> CrmClient:
    return CrmClient(
        settings.MYCRM_URL,
        connect_timeout=settings.CRM_CONNECT_TIMEOUT,
        read_timeout=settings.CRM_READ_TIMEOUT,
        session_name=session_name,
        http=_http(),
    )


def crm_session_for(user, *, account: CrmAccount | None = None) -> "CrmSession":
    """The user's CRM session. `account`: their CrmAccount with its secrets when the caller has just
    read it (the posted form), so that it is not read twice; anyone else's is ignored."""
    if account is None or account.user_id != user.pk or "access_key" in account.get_deferred_fields():
        account = crm_account_for(user=user, with_secrets=True)
    if account is None:
        raise CrmNotConnected("Connect your MyCRM account first (CRM account page).", "NOT_CONNECTED")
    return CrmSession(account)


def crm_account_connect(*, user, crm_username: str, access_key: str) -> CrmAccount:
    """Verify a username and access key by logging in, then keep them (and the new session).

    Raises CrmAuthFailed (wrong username or key) or CrmUnavailable; then nothing is stored and a
    previously connected account stays as it was.
    """
    client = new_client()
    result = client.login(crm_username, access_key)
    account, _ = CrmAccount.objects.get_or_create(user=user, defaults={"crm_username": crm_username})
    account.crm_username = crm_username
    account.access_key = access_key
    _store_login(account, result)
    account.save()
    crm_account_connected.send(sender=CrmAccount, user=user)
    return account


def _store_login(account: CrmAccount, result: LoginResult) -> None:
    now = timezone.now()
    account.session_name = result.session_name
    account.session_started_at = now
    account.session_used_at = now
    account.session_expires_at = now + timedelta(seconds=settings.CRM_SESSION_MAX_AGE)
    account.crm_user_id = result.user_id
    account.crm_name = " ".join(p for p in (result.first_name, result.last_name) if p)
    account.crm_is_admin = result.is_admin
    account.last_verified_at = now
    account.last_error = ""


class CrmSession:
    """A rep's CRM client with session handling; its operations are the client's."""

    def __init__(self, account: CrmAccount):
        self.account = account
        self.client = new_client(account.session_name)

    @property
    def user_id(self) -> str:
        """The rep's CRM user id (like 19x5), known once a login has happened."""
        if not self.account.crm_user_id:
            self._ensure_session()
        return self.account.crm_user_id

    # One typed entry per operation; each hands _call the client call to make (and repeat once).

    # The writes go through the audit trail (audit.py): who, what, which fields, outcome, duration.

    def create(self, element_type: str, element: dict) -> dict:
        return self._write("create", element_type, "", element, lambda client: client.create(element_type, element))

    def update(self, element: dict) -> dict:
        return self._write("update", "", element.get("id", ""), element, lambda client: client.update(element))

    def revise(self, element: dict) -> dict:
        return self._write("revise", "", element.get("id", ""), element, lambda client: client.revise(element))

    def retrieve(self, record_id: str) -> dict:
        return self._call(lambda client: client.retrieve(record_id))

    def convertlead(self, element: dict) -> dict:
        # The fields of each record the conversion makes, by name: "Contacts.lastname".
        entities = sorted(
            f"{entity}.{name}"
            for entity, values in (element.get("entities") or {}).items()
            for name in (values if isinstance(values, dict) else {})
            if name not in ("create", "name")
        )
        return audited(
            self.account,
            operation="convertlead",
            module="Leads",
            crm_id=element.get("leadId", ""),
            fields=entities,
            call=lambda: self._call(lambda client: client.convertlead(element)),
        )

    def delete(self, record_id: str) -> dict:
        return self._call(lambda client: client.delete(record_id))

    def describe(self, element_type: str) -> dict:
        return self._call(lambda client: client.describe(element_type))

    def query(self, vtql: str) -> list[dict]:
        return self._call(lambda client: client.query(vtql))

    def listtypes(self) -> dict:
        return self._call(lambda client: client.listtypes())

    def _write(self, operation: str, module: str, crm_id: str, element: dict, call: Callable[[CrmClient], T]) -> T:
        return audited(
            self.account,
            operation=operation,
            module=module,
            crm_id=crm_id,
            fields=field_names(element),
            call=lambda: self._call(call),
        )

    def _call(self, operation: Callable[[CrmClient], T]) -> T:
        self._ensure_session()
        try:
            result = operation(self.client)
        except CrmSessionInvalid:
            logger.info("CRM session of account %s is no longer valid; logging in again", self.account.pk)
            self._login(stale=self.client.session_name)
            result = operation(self.client)  # once: a second failure goes to the caller
        self._touch()
        return result

    def _ensure_session(self) -> None:
        account = self.account
        now = timezone.now()
        if not account.has_session:
            self._login(stale=account.session_name)
            return
        idle_limit = timedelta(seconds=settings.CRM_SESSION_EXTEND_AFTER)
        if account.session_used_at is None or now - account.session_used_at > idle_limit:
            self._extend()

    def _extend(self) -> None:
        stale = self.account.session_name

        def lead():
            fresh = CrmAccount.objects.get(pk=self.account.pk)
            if fresh.session_name != stale:
                return  # another request already extended or replaced it
            client = new_client(fresh.session_name)
            # POST first, as vtiger 8 wants it (GET answers AUTHENTICATION_REQUIRED there, 160). The
            # seed's GET, which puts the session id in a URL, is tried only while this CRM has
            # never taken a POST: once it has, a refused POST means the session is gone.
            post_works = bool(cache.get(_POST_EXTEND_WORKS))
            try:
                session = client.extendsession(("POST",) if post_works else ("POST", "GET"))
            except CrmSessionInvalid:
                self._do_login(fresh)
                return
            if "POST" not in client.refused:
                cache.set(_POST_EXTEND_WORKS, True, timeout=24 * 3600)
            fresh.session_name = session
            fresh.session_used_at = timezone.now()
            fresh.save(update_fields=["session_name", "session_used_at", "updated_at"])

        self._in_flight(lead)

    def _login(self, stale: str) -> None:
        def lead():
            fresh = CrmAccount.objects.get(pk=self.account.pk)
            if fresh.has_session and fresh.session_name != stale:
                return  # another request logged in meanwhile: use its session
            self._do_login(fresh)

        self._in_flight(lead)

    def _do_login(self, account: CrmAccount) -> None:
        client = new_client()
        try:
            result = client.login(account.crm_username, account.access_key)
        except CrmAuthFailed as exc:
            account.session_name = ""
            account.session_expires_at = None
            account.last_error = exc.message[:300]
            account.save(update_fields=["session_name", "session_expires_at", "last_error", "updated_at"])
            raise
        _store_login(account, result)
        account.save()
        CrmAccount.objects.filter(pk=account.pk).update(logins=F("logins") + 1)

    def _in_flight(self, lead) -> None:
        wait = settings.CRM_CONNECT_TIMEOUT + 3 * settings.CRM_READ_TIMEOUT + 5
        try:
            single_flight(f"crm-session:{self.account.pk}", lead, wait=wait)
        except FlightTimeout:
            raise CrmUnavailable(
                "MyCRM is taking too long to sign in; try again shortly.", maybe_applied=False
            ) from None
        self.account.refresh_from_db()
        self.client.session_name = self.account.session_name

    def _touch(self) -> None:
        now = timezone.now()
        used = self.account.session_used_at
        if used is None or now - used > _TOUCH_EVERY:
            CrmAccount.objects.filter(pk=self.account.pk).update(session_used_at=now)
            self.account.session_used_at = now
