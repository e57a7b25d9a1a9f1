r"""The fields of a MyCRM Lead and Contact, and how values are stored and shown.

Two profiles (settings.SANDBOX_PROFILE), read at each call:

- `mycrm`: a vtiger 8 plus MyCRM's custom fields (business_name, zip4, apart, the utm fields, ssn,
  ...), storing text as sent (cut at the column size, capture 56);
- `stock-vtiger`: a default vtiger 8.2 as captured in 300-399: no custom field but one `cf_854`
  labelled "Business Name" on Leads (378), and its database's rules: the script rule (< > " of a
  field matching /script.*\/script/i stored encoded, 333), 4-byte characters stored as ???? (330),
  the cut after both (339b), and `label` entity-encoded in answers (330, 339c).

The stock fields, their order, types and describe entries come from the captured describe answers
(data/describe.json, captures 32 and 33, the same on 8.2: 375, 376); the custom fields and the
lengths of the fields the portal sends come from `mycrm_portal.crm.schema`. Every stored value is a
string; nothing here validates e-mails, picklists or names, because the real server does not either.

Pure functions over plain data: no HTTP and no queries (the caller passes what it looked up).
"""

import html.entities
import json
import re
from dataclasses import dataclass
from datetime import UTC
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.conf import settings

from mycrm_portal.crm import schema

from . import dates
from .models import GROUP_PREFIX, USER_PREFIX

DATA_DIR = Path(__file__).resolve().parent / "data"

PREFIXES = {"Leads": "10", "Contacts": "12"}
MODULE_BY_PREFIX = {prefix: module for module, prefix in PREFIXES.items()}
NUMBER_FIELDS = {"Leads": ("lead_no", "LEA"), "Contacts": ("contact_no", "CON")}
MANDATORY = ("lastname", "assigned_user_id")

# Set by the server, never taken from a client (capture 58).
READ_ONLY = frozenset(
    {"id", "label", "lead_no", "contact_no", "createdtime", "modifiedtime", "modifiedby", "source", "starred", "tags"}
)

# vtiger 8's column sizes for the stock fields that crm/schema.py does not list.
STOCK_LENGTHS = {
    "salutationtype": 200,
    "company": 100,
    "fax": 50,
    "designation": 50,
    "website": 255,
    "industry": 200,
    "leadstatus": 50,
    "rating": 200,
    "secondaryemail": 100,
    "country": 30,
    "title": 50,
    "department": 30,
    "otherphone": 50,
    "assistant": 30,
    "assistantphone": 50,
    "mailingcountry": 40,
    "otherstreet": 250,
    "othercity": 40,
    "otherstate": 50,
    "otherzip": 30,
    "othercountry": 30,
    "otherpobox": 30,
    "imagename": 150,
}

# Database column of the fields whose column has another name. A non-admin's records and describe
# come sorted by column name (captures 231, 238), so the names matter.
COLUMNS = {
    "salutationtype": "salutation",
    "assigned_user_id": "smownerid",
    "account_id": "accountid",
    "contact_id": "reportsto_id",
}

STOCK = "stock-vtiger"
# The stock profile's one custom field, where the layout editor put it (capture 378).
STOCK_CUSTOM = {
    "Leads": ({"name": "cf_854", "label": "Business Name", "type": "string", "after": "tags", "max_length": 100},),
    "Contacts": (),
}
_TEXT_TYPES = frozenset({"string", "text", "phone", "email", "url", "picklist"})
_SCRIPT_RULE = re.compile(r"script.*/script", re.IGNORECASE)
_FOUR_BYTE = re.compile("[\U00010000-\U0010ffff]")


def profile() -> str:
    return getattr(settings, "SANDBOX_PROFILE", "mycrm")


_DEFAULTS_BY_TYPE = {"currency": "0.00000000", "integer": "0", "boolean": "0"}
_TRUE_WORDS = frozenset({"1", "on", "yes", "true"})


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # describe's type name: string, text, phone, email, picklist, date, boolean, owner, ...
    max_length: int | None
    default: str
    custom: bool = False
    refers_to: tuple[str, ...] = ()


@cache
def captured_describe() -> dict:
    return json.loads((DATA_DIR / "describe.json").read_text())


def _custom_describe_entry(field: schema.CrmField) -> dict:
    return {
        "name": field.name,
        "label": field.label or field.name.replace("_", " ").title(),
        "mandatory": False,
        "type": {"name": field.type},
        "isunique": False,
        "nullable": True,
        "editable": True,
        "default": "",
    }


def describe_fields(module: str) -> tuple[dict, ...]:
    return _describe_fields(module, profile())


@cache
def _describe_fields(module: str, profile: str) -> tuple[dict, ...]:
    """Describe's field entries in the admin's order: the captured stock fields, the profile's
    custom fields (MyCRM's before `id`, always last in vtiger; the stock one where it was added)."""
    stock = list(captured_describe()[module]["fields"])
    if profile == STOCK:
        for extra in STOCK_CUSTOM[module]:
            entry = _custom_describe_entry(schema.CrmField(extra["name"], extra["type"], label=extra["label"]))
            at = next(i for i, f in enumerate(stock) if f["name"] == extra["after"]) + 1
            stock.insert(at, entry)
        return tuple(stock)
    custom = [_custom_describe_entry(f) for f in schema.FIELDS_BY_MODULE[module] if f.custom]
    return (*stock[:-1], *custom, stock[-1])


def fields(module: str) -> tuple[Field, ...]:
    return _fields(module, profile())


@cache
def _fields(module: str, profile: str) -> tuple[Field, ...]:
    """Every field of a record, in the order the admin sees it (without id and label)."""
    lengths = {f.name: f.max_length for f in schema.FIELDS_BY_MODULE[module]}
    lengths |= {extra["name"]: extra["max_length"] for extra in STOCK_CUSTOM[module]}
    custom = {f.name for f in schema.FIELDS_BY_MODULE[module] if f.custom} | {e["name"] for e in STOCK_CUSTOM[module]}
    result = []
    for entry in _describe_fields(module, profile):
        name, type_ = entry["name"], entry["type"]["name"]
        if name == "id":
            continue
        result.append(
            Field(
                name=name,
                type=type_,
                max_length=lengths.get(name, STOCK_LENGTHS.get(name)),
                default=_DEFAULTS_BY_TYPE.get(type_, ""),
                custom=name in custom,
                refers_to=tuple(entry["type"].get("refersTo", ())),
            )
        )
    return tuple(result)


def field_map(module: str) -> dict[str, Field]:
    return _field_map(module, profile())


@cache
def _field_map(module: str, profile: str) -> dict[str, Field]:
    return {f.name: f for f in _fields(module, profile)}


def column_sort_key(name: str) -> str:
    # MySQL's case-insensitive collation compares upper case, so "_" sorts after the letters.
    return COLUMNS.get(name, name).upper()


def writable(module: str, name: str) -> bool:
    return name in field_map(module) and name not in READ_ONLY and name != NUMBER_FIELDS[module][0]


# --- Values ------------------------------------------------------------------------------------


def php_string(value) -> str:
    """A decoded JSON value as PHP's (string) cast writes it (capture 53: 12 -> "12")."""
    if value is None or value is False:
        return ""
    if value is True:
        return "1"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, list | dict):
        return "Array"
    return str(value)


def store_value(field: Field, raw, *, date_format: str) -> str:
    """The string the CRM keeps for `raw` in `field` (owner and reference fields excepted)."""
    text = php_string(raw)
    if field.type == "boolean":
        return "1" if text.strip().lower() in _TRUE_WORDS else "0"
    if field.type == "integer":
        return str(int(_number(text).quantize(Decimal(1), rounding=ROUND_HALF_UP)))
    if field.type in ("currency", "double"):
        return f"{_number(text):.8f}"
    if field.type == "date":
        return dates.to_db(text, date_format)
    if profile() == STOCK and field.type in _TEXT_TYPES:
        text = stock_text(text)
    return text[: field.max_length] if field.max_length else text


def stock_text(text: str) -> str:
    """A default vtiger 8.2's rules on the way in: the script rule, then utf8mb3's ???? (333, 330)."""
    if _SCRIPT_RULE.search(text):
        text = text.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return _FOUR_BYTE.sub("????", text)


def htmlentities(text: str) -> str:
    """PHP's htmlentities(ENT_QUOTES): how vtiger 8.2 shows `label` (330, 339c)."""
    out = []
    for char in text:
        if char == "'":
            out.append("&#039;")
        elif ord(char) in html.entities.codepoint2name:
            out.append(f"&{html.entities.codepoint2name[ord(char)]};")
        else:
            out.append(char)
    return "".join(out)


def _number(text: str) -> Decimal:
    # MySQL keeps the leading number of a string and 0 when there is none.
    match = re.match(r"\s*[-+]?(\d+(\.\d*)?|\.\d+)", text)
    try:
        return Decimal(match.group(0).strip()) if match else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def label_for(values: dict) -> str:
    # Computed from the values as sent, before any cut: capture 56's label is longer than its
    # 80-character lastname, but the label column itself keeps 255.
    label = f"{php_string(values.get('firstname'))} {php_string(values.get('lastname'))}".strip()
    return (_FOUR_BYTE.sub("????", label) if profile() == STOCK else label)[:255]


def owner_number(raw: str) -> str:
    """vtiger keeps the part after the `x` of an owner id ("19x999" -> "999"); "" when none."""
    _, sep, number = raw.partition("x")
    return number if sep and number.isdigit() and len(number) <= 18 else ""


def owner_ws_id(number: str, *, user_numbers: set[int], group_numbers: set[int]) -> str:
    # An owner number that is neither a user nor a group is shown bare (capture 43a).
    if number.isdigit() and int(number) in user_numbers:
        return f"{USER_PREFIX}x{number}"
    if number.isdigit() and int(number) in group_numbers:
        return f"{GROUP_PREFIX}x{number}"
    return number


def timestamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


# --- Records as the CRM shows them --------------------------------------------------------------


def ws_id(record) -> str:
    return f"{PREFIXES[record.module]}x{record.pk}"


def render(record, *, viewer, user_numbers: set[int], group_numbers: set[int], label: bool = True) -> dict:
    """The record as retrieve/create/update answer it for `viewer` (query leaves out the label)."""
    number_field, number_prefix = NUMBER_FIELDS[record.module]
    system = {
        number_field: f"{number_prefix}{record.number}",
        "createdtime": timestamp(record.created_at),
        "modifiedtime": timestamp(record.modified_at),
        "modifiedby": f"{USER_PREFIX}x{record.modified_by}",
        "source": "WEBSERVICE",
        "starred": "0" if viewer.ws_num in record.savers else "",
        "tags": "",
        "assigned_user_id": owner_ws_id(record.owner, user_numbers=user_numbers, group_numbers=group_numbers),
    }
    names = [f.name for f in fields(record.module)]
    if not viewer.is_admin:
        names.sort(key=column_sort_key)
    out = {}
    for name in names:
        out[name] = system[name] if name in system else record.data.get(name, field_map(record.module)[name].default)
    out["id"] = ws_id(record)
    if label:
        out["label"] = htmlentities(record.label) if profile() == STOCK else record.label
    return out
