"""The sandbox's API for tests, benchmarks, management commands, the staff page and the demo
set-up: CRM users, fault switches, counters, and the records as the CRM would return them.

Keyword-only arguments, named <noun>_<verb> like the portal's services. These functions work on the
sandbox's own tables in-process; the portal's code must never call them to do its job (it talks to
the sandbox over HTTP, like to MyCRM). Never log or print an access key from here.
"""

import json

from . import auth, operations, users
from . import faults as _faults
from . import records as _records
from .errors import WsError
from .faults import CRM_MODES, DELAY_MODES, FCC_MODES, MODES, TARGETS
from .fcc import DEMO_ADDRESSES
from .models import SandboxRecord, SandboxUser

__all__ = [
    "CRM_MODES",
    "DELAY_MODES",
    "DEMO_ADDRESSES",
    "FCC_MODES",
    "MODES",
    "TARGETS",
    "SandboxUser",
    "counters",
    "counters_reset",
    "ensure_admin",
    "fault_set",
    "faults",
    "faults_clear",
    "record",
    "record_create",
    "records",
    "sandbox_user_create",
    "sandbox_user_delete",
    "sandbox_user_get_or_create",
    "session_open",
    "sessions_invalidate",
]


# --- CRM users ---------------------------------------------------------------------------------


def sandbox_user_create(
    *,
    user_name: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_admin: bool = False,
    date_format: str = "yyyy-mm-dd",
) -> SandboxUser:
    """A new CRM user with a random 16-character access key. ValueError if the name is taken
    (case-insensitively, like vtiger)."""
    return users.create_user(
        user_name=user_name,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_admin=is_admin,
        date_format=date_format,
    )


def sandbox_user_get_or_create(*, user_name: str, **fields) -> SandboxUser:
    """The CRM user of that name, created with `fields` (as for sandbox_user_create) if missing."""
    users.ensure_defaults()
    existing = users.user_by_name(user_name)
    if existing is not None:
        return existing
    try:
        return sandbox_user_create(user_name=user_name, **fields)
    except ValueError:
        existing = users.user_by_name(user_name)  # created meanwhile by another process
        if existing is None:
            raise
        return existing


def sandbox_user_delete(*, user_name: str) -> bool:
    """Remove a CRM user (a rep who left): its sessions and challenge go with it, records assigned
    to it keep the bare owner number, as vtiger shows an owner that no longer exists. False if
    there was no such user; ValueError for the built-in admin."""
    user = users.user_by_name(user_name)
    if user is None:
        return False
    if user.ws_num == users.ADMIN_NUMBER:
        raise ValueError("The built-in admin cannot be deleted.")
    user.delete()
    return True


def ensure_admin() -> SandboxUser:
    """The built-in admin (19x1), whose access key is settings.SANDBOX_ACCESS_KEY."""
    return users.ensure_defaults()


def session_open(*, user_name: str) -> str:
    """A live webservice session for that user, without the challenge and login exchange."""
    users.ensure_defaults()
    user = users.user_by_name(user_name)
    if user is None:
        raise ValueError(f"No CRM user {user_name!r}.")
    return auth.open_session(user).name


# --- Faults and counters -----------------------------------------------------------------------


def fault_set(*, target: str, mode: str, seconds: float = 0) -> None:
    """Switch a fault on for `target` ("crm" or "fcc"), replacing its previous one. `seconds` is
    the delay of `slow` and `commit_then_timeout`. ValueError for an unknown target or mode."""
    _faults.fault_set(target=target, mode=mode, seconds=seconds)


def faults_clear(*, target: str | None = None) -> None:
    """Switch every fault off, or only the one of `target`."""
    _faults.faults_clear(target=target)


def faults() -> dict[str, dict]:
    """The active faults, e.g. {"crm": {"mode": "slow", "seconds": 1.5}}; {} when none."""
    return _faults.faults()


def sessions_invalidate() -> int:
    """End every live webservice session (the CRM restarted); returns how many there were."""
    return auth.invalidate_all_sessions()


def counters(target: str = "crm") -> dict[str, int]:
    """Requests per operation since the last reset: the lower-cased CRM operation (`unknown` for
    anything else), or `check` for the serviceability service."""
    return _faults.counters(target)


def counters_reset() -> None:
    _faults.counters_reset()


# --- Records -----------------------------------------------------------------------------------


def _viewer(record: SandboxRecord) -> SandboxUser:
    return SandboxUser.objects.filter(ws_num=record.created_by).first() or users.ensure_defaults()


def _show(record: SandboxRecord) -> dict:
    return _records.render(
        record, viewer=_viewer(record), user_numbers=users.user_numbers(), group_numbers=users.group_numbers()
    )


def record(ws_id: str) -> dict | None:
    """The stored record as the CRM returns it (as its creator sees it); None if unknown or deleted."""
    prefix, _, number = (ws_id or "").partition("x")
    module = _records.MODULE_BY_PREFIX.get(prefix)
    if module is None or not number.isdigit() or len(number) > 18:
        return None
    found = SandboxRecord.objects.filter(pk=int(number), module=module, deleted=False).first()
    return _show(found) if found else None


def records(module: str) -> list[dict]:
    """Every live record of the module ("Leads" or "Contacts"), oldest first."""
    return [_show(r) for r in SandboxRecord.objects.filter(module=module, deleted=False).order_by("pk")]


def record_create(*, module: str, values: dict, user_name: str = "admin") -> dict:
    """Create a record as the webservice's create would for that user (demo data, test set-up).
    Raises ValueError with the CRM's message when the CRM would refuse it."""
    users.ensure_defaults()
    user = users.user_by_name(user_name)
    if user is None:
        raise ValueError(f"No CRM user {user_name!r}.")
    try:
        return operations.create({"elementType": module, "element": json.dumps(values)}, operations.Context(user=user))
    except WsError as exc:
        raise ValueError(exc.message) from exc
