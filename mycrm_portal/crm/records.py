"""Reading MyCRM's own records as the rep: search (one query per module and page) and open one
(one retrieve). Every value is as the rep would type it (entities decoded once), sensitive ones
masked when shown; nothing read here is cached. Owners are named by the caller's `owner_name`
(the CRM user list is the leads app's cache).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.conf import settings

from . import storage, vtql
from .client import CrmError, CrmRejected
from .fieldfit import send_plan
from .models import CrmModuleFields
from .schema import field_map
from .sessions import crm_session_for

OwnerName = Callable[[str], str]

PAGE_SIZE = 20


class RecordNotAllowed(Exception):
    """MyCRM refuses this record to the rep (another user's private record, or none such)."""


@dataclass(frozen=True)
class Hit:
    kind: str
    crm_id: str
    name: str
    phone: str
    email: str
    city: str
    owner: str
    modified: datetime | None


@dataclass
class SearchPage:
    kind: str
    hits: list[Hit] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    error: str = ""


def _known_columns(module: str) -> set[str] | None:
    row = CrmModuleFields.objects.filter(module=module).only("fields").first()
    return {f["name"] for f in row.fields} if row else None


def crm_time(text: str) -> datetime | None:
    """MyCRM's timestamps are its server's clock in UTC (345)."""
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _same(crm_id: str) -> str:
    return crm_id


def _hit(kind: str, row: dict, owner_name: OwnerName) -> Hit:
    module = vtql.MODULES[kind]
    d = storage.decoded
    name = " ".join(p for p in (d(row.get("firstname", "")), d(row.get("lastname", ""))) if p)
    phone = next((row[c] for c in vtql.PHONE_COLUMNS[module] if row.get(c)), "")
    return Hit(
        kind=kind,
        crm_id=str(row.get("id", "")),
        name=name or "(no name)",
        phone=d(phone),
        email=d(row.get("email", "")),
        city=d(row.get(vtql.CITY_COLUMN[module], "")),
        owner=owner_name(str(row.get("assigned_user_id", ""))),
        modified=crm_time(row.get("modifiedtime", "")),
    )


def crm_search_page(
    *, user, kind: str, term: str, page: int = 1, size: int = PAGE_SIZE, owner_name: OwnerName = _same
) -> SearchPage:
    """One page of MyCRM's records of a kind matching `term`, newest change first: one query."""
    result = SearchPage(kind=kind, page=page)
    module = vtql.MODULES[kind]
    try:
        where = vtql.term_condition(module, term, send_plan(module), _known_columns(module))
    except ValueError:
        result.error = "MyCRM cannot search for a backslash: leave it out."
        return result
    try:
        rows = crm_session_for(user).query(vtql.select(module, where, offset=(page - 1) * size, count=size + 1))
    except CrmError as exc:
        result.error = _search_error(exc)
        return result
    result.hits = [_hit(kind, row, owner_name) for row in rows[:size]]
    result.has_next = len(rows) > size
    return result


def _search_error(exc: CrmError) -> str:
    if not exc.retryable:
        return f"MyCRM refused the search: {exc.message}"
    return f"MyCRM could not be searched: {exc.message} Try again in a moment."


def matching_records(
    *, user, condition_for, kinds=("lead", "contact"), limit: int = 5, owner_name: OwnerName = _same
) -> list[Hit]:
    """Records of each kind matching `condition_for(module)` (a where clause, or None to skip)."""
    hits = []
    for kind in kinds:
        module = vtql.MODULES[kind]
        where = condition_for(module)
        if not where:
            continue
        rows = crm_session_for(user).query(vtql.select(module, where, offset=0, count=limit))
        hits += [_hit(kind, row, owner_name) for row in rows]
    return hits


@dataclass
class CrmRecord:
    """A MyCRM record as the portal shows it: its values under the portal's field names, decoded."""

    kind: str
    crm_id: str
    values: dict[str, str]  # portal name -> value as the rep would type it (sensitive ones included)
    owner_id: str
    owner: str
    created: datetime | None
    modified: datetime | None
    modified_raw: str

    @property
    def module(self) -> str:
        return vtql.MODULES[self.kind]

    @property
    def name(self) -> str:
        return " ".join(p for p in (self.values.get("firstname"), self.values.get("lastname")) if p) or self.crm_id

    @property
    def web_url(self) -> str:
        return record_web_url(self.module, self.crm_id)

    def shown(self, name: str) -> str:
        """A value for a page: a sensitive one masked, never in full."""
        spec = field_map(self.module)[name]
        return spec.masked(self.values.get(name, "")) if spec.sensitive else self.values.get(name, "")


def record_web_url(module: str, crm_id: str) -> str:
    """The record in MyCRM's own web UI."""
    number = crm_id.partition("x")[2]
    return f"{settings.MYCRM_URL}/index.php?module={module}&view=Detail&record={number}"


def valid_crm_id(kind: str, crm_id: str) -> bool:
    prefix, sep, number = crm_id.partition("x")
    return sep == "x" and number.isdigit() and prefix == {"lead": "10", "contact": "12"}[kind]


def crm_record_for(*, user, kind: str, crm_id: str, owner_name: OwnerName = _same) -> CrmRecord:
    """The record as MyCRM answers it to this rep (one retrieve). Raises RecordNotAllowed when
    MyCRM refuses it (ACCESS_DENIED: another user's private record, or no such record), or
    CrmError when MyCRM cannot answer."""
    module = vtql.MODULES[kind]
    try:
        raw = crm_session_for(user).retrieve(crm_id)
    except CrmRejected as exc:
        raise RecordNotAllowed(exc.message) from None
    if not str(raw.get("id", "")).startswith(crm_id.partition("x")[0] + "x"):
        raise RecordNotAllowed("not a record of this kind")
    plan = send_plan(module)
    values = {name: storage.decoded(str(value)) for name, value in plan.portal_values(raw).items()}
    owner_id = str(raw.get("assigned_user_id", ""))
    return CrmRecord(
        kind=kind,
        crm_id=crm_id,
        values=values,
        owner_id=owner_id,
        owner=owner_name(owner_id),
        created=crm_time(raw.get("createdtime", "")),
        modified=crm_time(raw.get("modifiedtime", "")),
        modified_raw=str(raw.get("modifiedtime", "")),
    )
