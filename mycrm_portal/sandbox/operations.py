"""The sandbox CRM's entity operations: create, update, revise, retrieve, delete, describe,
listtypes and query, for an authenticated CRM user, with vtiger 8's captured rules.

Rules worth knowing (each from a capture): elementType must be exactly `Leads` or `Contacts` (51,
52); a bad `element` counts as empty (49, 50); `lastname` and `assigned_user_id` must have a value
(41, 42, 43f), for update all of them (81, 96), for revise only those sent (92); unknown fields are
dropped and read-only ones ignored (57, 58); an admin may assign to anything (43a-g), a non-admin
only to an existing user or group with the right prefix (233-237); a reference to a record of the
wrong module is refused (66); an unknown or deleted id is ACCESS_DENIED, another module's prefix
INVALID_ID_ATTRIBUTE (72-74, 85, 86, 132-135).

Called by the webservice dispatcher after the session check; never by the portal's own code.
"""

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from . import errors, records, vtql
from .errors import WsError
from .models import GROUP_PREFIX, USER_PREFIX, SandboxRecord, SandboxSequence, SandboxUser
from .users import group_numbers, user_numbers

USER_COLUMNS = ("id", "user_name", "first_name", "last_name", "email1", "is_admin", "status")
_NUMERIC_TYPES = frozenset({"currency", "integer", "double"})


@dataclass(frozen=True)
class Context:
    user: SandboxUser
    duplicates: bool = False  # the `duplicates` fault: e-mail must be unique per module
    private: bool = False  # sharing "private": a non-admin reaches only its own records (385-385l)

    def may_reach(self, record: SandboxRecord) -> bool:
        return not self.private or self.user.is_admin or record.owner == str(self.user.ws_num)


def _reachable(record: SandboxRecord, ctx: Context) -> SandboxRecord:
    if not ctx.may_reach(record):
        raise WsError("ACCESS_DENIED", "Permission to read given object is denied")
    return record


@dataclass(frozen=True)
class _Directory:
    users: set[int]
    groups: set[int]


def _directory() -> _Directory:
    return _Directory(users=user_numbers(), groups=group_numbers())


def _render(record: SandboxRecord, ctx: Context, directory: _Directory, *, label: bool = True) -> dict:
    return records.render(
        record, viewer=ctx.user, user_numbers=directory.users, group_numbers=directory.groups, label=label
    )


# --- Element values ------------------------------------------------------------------------------


def _element(params: Mapping) -> dict:
    try:
        value = json.loads(params.get("element") or "")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _require(values: dict, names) -> None:
    for name in names:
        if records.php_string(values.get(name)) == "":
            raise errors.mandatory_missing(name)


def _owner(raw, ctx: Context, directory: _Directory) -> str:
    text = records.php_string(raw)
    if ctx.user.is_admin:
        # No check at all: "19x999" is kept as 999, "abc" or "1" fall back to the admin (43a-g).
        return records.owner_number(text) or str(ctx.user.ws_num)
    prefix, _, number = text.partition("x")
    known = number.isdigit() and (
        (prefix == USER_PREFIX and int(number) in directory.users)
        or (prefix == GROUP_PREFIX and int(number) in directory.groups)
    )
    if not known:
        raise WsError("ACCESS_DENIED", "Cannot assign record to the given user")
    return number


def _reference(field: records.Field, raw) -> str:
    text = records.php_string(raw)
    _, sep, number = text.partition("x")
    if not sep or not number.isdigit() or len(number) > 18:
        return ""
    target = SandboxRecord.objects.filter(pk=int(number), deleted=False).first()
    if target is None:
        return ""  # a reference to nothing is dropped (capture 65)
    if target.module not in field.refers_to:
        raise WsError("REFERENCE_INVALID", f"Invalid reference specified for {field.name}")
    return records.ws_id(target)


def _clean(module: str, values: dict, ctx: Context) -> dict[str, str]:
    """The stored strings for the fields the element sets (owner excepted)."""
    result = {}
    for name, raw in values.items():
        if not records.writable(module, name):
            continue
        field = records.field_map(module)[name]
        if field.type == "owner":
            continue
        if field.type == "reference":
            result[name] = _reference(field, raw)
        else:
            result[name] = records.store_value(field, raw, date_format=ctx.user.date_format)
    return result


def _stored_defaults(module: str) -> dict[str, str]:
    return {f.name: f.default for f in records.fields(module) if records.writable(module, f.name) and f.type != "owner"}


def _refuse_duplicate(module: str, email: str, *, exclude: int | None) -> None:
    if not email:
        return
    others = SandboxRecord.objects.filter(module=module, deleted=False, data__email__iexact=email)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise errors.duplicates()


def _next_number(module: str) -> int:
    """LEA<n>/CON<n>: must run inside the creating transaction, which holds the row's lock."""
    if not SandboxSequence.objects.filter(name=module).update(value=F("value") + 1):
        try:
            with transaction.atomic():
                SandboxSequence.objects.create(name=module, value=1)
                return 1
        except IntegrityError:
            SandboxSequence.objects.filter(name=module).update(value=F("value") + 1)
    return SandboxSequence.objects.get(name=module).value


def _resolve(ws_id, *, for_update: bool = False) -> SandboxRecord:
    text = records.php_string(ws_id)
    if not text:
        raise errors.access_denied(" for id")
    prefix, sep, number = text.partition("x")
    module = records.MODULE_BY_PREFIX.get(prefix)
    if not sep or module is None or not number.isdigit() or len(number) > 18:
        raise errors.access_denied()
    found = SandboxRecord.objects.filter(pk=int(number), deleted=False)
    record = (found.select_for_update() if for_update else found).first()
    if record is None:
        raise errors.access_denied()
    if record.module != module:
        raise errors.invalid_id()
    return record


# --- Operations ----------------------------------------------------------------------------------


def create(params: Mapping, ctx: Context) -> dict:
    module = params.get("elementType") or ""
    if module == "Users":
        raise errors.access_denied(" for id")  # capture 220
    if module not in records.PREFIXES:
        raise errors.access_denied()
    values = _element(params)
    _require(values, records.MANDATORY)
    directory = _directory()
    owner = _owner(values["assigned_user_id"], ctx, directory)
    data = {**_stored_defaults(module), **_clean(module, values, ctx)}
    if ctx.duplicates:
        _refuse_duplicate(module, data.get("email", ""), exclude=None)
    now = timezone.now()
    with transaction.atomic():
        record = SandboxRecord.objects.create(
            module=module,
            number=_next_number(module),
            data=data,
            owner=owner,
            label=records.label_for(values),
            created_by=ctx.user.ws_num,
            modified_by=ctx.user.ws_num,
            savers=[ctx.user.ws_num],
            created_at=now,
            modified_at=now,
        )
    return _render(record, ctx, directory)


def update(params: Mapping, ctx: Context) -> dict:
    return _write(params, ctx, partial=False)


def revise(params: Mapping, ctx: Context) -> dict:
    return _write(params, ctx, partial=True)


def _write(params: Mapping, ctx: Context, *, partial: bool) -> dict:
    values = _element(params)
    directory = _directory()
    with transaction.atomic():
        record = _reachable(_resolve(values.get("id"), for_update=True), ctx)
        _require(values, [n for n in records.MANDATORY if n in values] if partial else records.MANDATORY)
        if "assigned_user_id" in values:
            record.owner = _owner(values["assigned_user_id"], ctx, directory)
        changes = _clean(record.module, values, ctx)
        if ctx.duplicates and "email" in changes:
            _refuse_duplicate(record.module, changes["email"], exclude=record.pk)
        if "firstname" in values or "lastname" in values:
            names = {name: values.get(name, record.data.get(name, "")) for name in ("firstname", "lastname")}
            record.label = records.label_for(names)
        record.data = {**record.data, **changes}
        record.modified_by = ctx.user.ws_num
        record.modified_at = timezone.now()
        if ctx.user.ws_num not in record.savers:
            record.savers = [*record.savers, ctx.user.ws_num]
        record.save()
    return _render(record, ctx, directory)


def retrieve(params: Mapping, ctx: Context) -> dict:
    return _render(_reachable(_resolve(params.get("id")), ctx), ctx, _directory())


def delete(params: Mapping, ctx: Context) -> dict:
    with transaction.atomic():
        record = _reachable(_resolve(params.get("id"), for_update=True), ctx)
        record.deleted = True
        record.modified_at = timezone.now()
        record.save(update_fields=["deleted", "modified_at"])
    return {"status": "successful"}


def describe(params: Mapping, ctx: Context) -> dict:
    module = params.get("elementType") or ""
    if module not in records.PREFIXES:
        raise errors.denied_for_name(module)
    entries = []
    for entry in records.describe_fields(module):
        entry = copy.deepcopy(entry)
        if entry["type"]["name"] == "date":
            entry["type"] = {"format": ctx.user.date_format, "name": "date"}
        entries.append(entry)
    if not ctx.user.is_admin:
        entries = sorted(entries[:-1], key=lambda e: records.column_sort_key(e["name"])) + entries[-1:]
    result = dict(records.captured_describe()[module])
    result["fields"] = entries
    return result


@cache
def _listtypes() -> dict:
    return json.loads((records.DATA_DIR / "listtypes.json").read_text())


def listtypes(params: Mapping, ctx: Context) -> dict:
    everything = _listtypes()["all"]
    try:
        wanted = json.loads(params.get("fieldTypeList") or "null")
    except ValueError:
        wanted = None
    if not isinstance(wanted, list) or not wanted:
        return everything
    modules = set()
    for field_type in map(str, wanted):
        known = _listtypes()["by_field_type"].get(field_type)
        if known is None:  # only Leads and Contacts are described here
            known = [m for m in records.PREFIXES if any(f.type == field_type for f in records.fields(m))]
        modules.update(known)
    types = [name for name in everything["types"] if name in modules]
    return {"types": types, "information": {name: everything["information"][name] for name in types}}


def query(params: Mapping, ctx: Context) -> list[dict]:
    text = params.get("query") or ""
    if not text:
        raise errors.access_denied(" for query")
    try:
        parsed = vtql.parse(text)
    except vtql.VtqlError as exc:
        raise WsError("QUERY_SYNTAX_ERROR", str(exc))
    if parsed.module == "Users":
        allowed, numeric = set(USER_COLUMNS), set()
    elif parsed.module in records.PREFIXES:
        fields = records.fields(parsed.module)
        allowed = {f.name for f in fields} | {"id"}
        numeric = {f.name for f in fields if f.type in _NUMERIC_TYPES}
    else:
        raise errors.denied_for_name(parsed.module)
    for column in parsed.referenced_columns():
        if column not in allowed:
            # vtiger 8.2 quotes a select-list column this way (314); a where column as 8.0 did (113, 314b).
            shown = f"'.{column}.'" if records.profile() == records.STOCK and column in parsed.columns else column
            raise WsError("ACCESS_DENIED", f"Permission to access {shown} attribute denied.")
    rows = _user_rows() if parsed.module == "Users" else _record_rows(parsed, ctx)
    return vtql.select(parsed, rows, vtql.text_key(numeric), id_last=True)


def _user_rows() -> list[dict]:
    return [
        {
            "id": user.ws_id,
            "user_name": user.user_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email1": user.email,
            "is_admin": "on" if user.is_admin else "off",
            "status": "Active",
        }
        for user in SandboxUser.objects.order_by("ws_num")
    ]


def _record_rows(parsed: vtql.Query, ctx: Context) -> list[dict]:
    module = parsed.module
    # Converted leads are never found (vtiger adds converted=0 to every Leads query, 364).
    found = SandboxRecord.objects.filter(module=module, deleted=False, converted=False).order_by("pk")
    if ctx.private and not ctx.user.is_admin:
        found = found.filter(owner=str(ctx.user.ws_num))  # silently only one's own (385, 385b)
    # Narrow the database read for the common lookups (by id, by e-mail); the rows are still
    # matched in full afterwards, so this only has to keep every row that can match.
    if len(parsed.where) == 1:
        stored = _stored_defaults(module)
        for condition in parsed.where[0]:
            if condition.column == "id" and condition.op in ("EQ", "IN"):
                numbers = []
                for value in condition.values:
                    prefix, sep, number = value.partition("x")
                    if sep and prefix == records.PREFIXES[module] and number.isdigit() and len(number) <= 18:
                        numbers.append(int(number))
                found = found.filter(pk__in=numbers)
            elif (
                condition.op == "EQ"
                and not condition.against_column
                and condition.column in stored
                and records.field_map(module)[condition.column].type not in _NUMERIC_TYPES
                and condition.values[0].isascii()
            ):
                found = found.filter(**{f"data__{condition.column}__iexact": condition.values[0]})
    directory = _directory()
    return [_render(record, ctx, directory, label=False) for record in found]


# --- convertlead ----------------------------------------------------------------------------------

# The lead-conversion mapping of a stock vtiger (Settings > Leads field mapping) for the fields the
# portal uses; MyCRM's custom fields map to the same names.
LEAD_TO_CONTACT = {
    "firstname": "firstname",
    "lastname": "lastname",
    "phone": "phone",
    "mobile": "mobile",
    "email": "email",
    "leadsource": "leadsource",
    "description": "description",
    "lane": "mailingstreet",
    "city": "mailingcity",
    "state": "mailingstate",
    "code": "mailingzip",
    "pobox": "mailingpobox",
    "country": "mailingcountry",
    "secondaryemail": "secondaryemail",
}


def convertlead(params: Mapping, ctx: Context) -> dict | None:
    """A lead into a contact, as a vtiger 8.2 with ConvertLead.php fixed does it (362-374): the
    contact takes the lead's values through the mapping, overridden by non-empty values in the
    entity; the lead is marked converted (then found by no query). Accounts and Potentials are not
    emulated. No rollback, as on the real server: a failure after the contact was made leaves it."""
    element = _element(params)
    lead = _reachable(_resolve(element.get("leadId")), ctx)
    if lead.module != "Leads":
        raise errors.invalid_id()
    if lead.converted:
        raise WsError("LEAD_ALREADY_CONVERTED", "Lead is already converted")
    entities = element.get("entities") if isinstance(element.get("entities"), dict) else {}
    for entity in entities.values():
        if isinstance(entity, dict) and not entity.get("name"):
            raise errors.access_denied(" for name : ")  # 374c
    contact_entity = entities.get("Contacts") if isinstance(entities.get("Contacts"), dict) else {}
    if not contact_entity.get("create"):
        return None  # 371: nothing to do, and success
    values = {target: lead.data.get(source, "") for source, target in LEAD_TO_CONTACT.items()}
    for name, value in lead.data.items():
        lead_field = records.field_map("Leads").get(name)
        if name in records.field_map("Contacts") and name not in values and lead_field and lead_field.custom:
            values[name] = value  # MyCRM's custom fields of both modules
    for name, value in contact_entity.items():
        if name not in ("create", "name") and records.php_string(value) != "":
            values[name] = value
    values["assigned_user_id"] = element.get("assignedTo") or f"{USER_PREFIX}x{ctx.user.ws_num}"
    values["isconvertedfromlead"] = "1"
    contact = create({"elementType": "Contacts", "element": json.dumps(values)}, ctx)
    with transaction.atomic():
        lead.converted = True
        lead.modified_at = timezone.now()
        lead.save(update_fields=["converted", "modified_at"])
    return {"Contacts": contact["id"]}
