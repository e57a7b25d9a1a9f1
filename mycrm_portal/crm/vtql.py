"""The VTQL the portal sends to find MyCRM's records, built the way a real vtiger 8.2 reads it.

Grammar that matters here (shared/protocol/mycrm-webservice.md, captures 300-327): values are always
quoted (an unquoted value answers success with []), a quote inside a value is doubled, parentheses
are refused, and `a and b or c` means `(a and b) or c`, so every condition list here is a flat OR of
AND-pairs. Phones are stored exactly as typed, so a phone is found by its digits with `%` between
the groups (`like '%404%555%0177%'`) over each phone column. Column names come from the schema and
MyCRM's describe (crm/fieldfit.py), never from what a rep typed. Pure: no HTTP.
"""

import re

from .client import quote_literal
from .fieldfit import Plan

MODULES = {"lead": "Leads", "contact": "Contacts"}
KINDS = {module: kind for kind, module in MODULES.items()}
PHONE_COLUMNS = {"Leads": ("phone", "mobile"), "Contacts": ("phone", "mobile", "homephone", "otherphone")}
CITY_COLUMN = {"Leads": "city", "Contacts": "mailingcity"}
# Shown in search results (all stock vtiger columns, so a query never names a missing one).
RESULT_COLUMNS = {
    "Leads": (
        "firstname",
        "lastname",
        "phone",
        "mobile",
        "email",
        "city",
        "company",
        "assigned_user_id",
        "modifiedtime",
    ),
    "Contacts": (
        "firstname",
        "lastname",
        "phone",
        "mobile",
        "homephone",
        "email",
        "mailingcity",
        "assigned_user_id",
        "modifiedtime",
    ),
}
_PHONE_TYPED = re.compile(r"[\d\s().+\-/]+")


def like_prefix(text: str) -> str:
    """A `like` literal for values starting with `text` (% and _ in it match themselves poorly in
    VTQL, so they are dropped: a search term never needs them)."""
    return quote_literal(text.replace("%", "").replace("_", "") + "%")


def phone_digits(text: str) -> str:
    """The digits of something typed as a phone number, or "" when it is not one."""
    if not _PHONE_TYPED.fullmatch(text.strip()):
        return ""
    digits = re.sub(r"\D", "", text)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]  # +1, the US country code
    return digits if len(digits) >= 7 else ""


def phone_pattern(digits: str) -> str:
    """`%404%555%0177%`: the digits in their groups, any punctuation between (304b)."""
    if len(digits) == 10:
        groups = [digits[:3], digits[3:6], digits[6:]]
    elif len(digits) == 7:
        groups = [digits[:3], digits[3:]]
    else:
        groups = [digits]
    return "%" + "%".join(groups) + "%"


def phone_condition(module: str, digits: str, known: set[str] | None = None) -> str:
    pattern = quote_literal(phone_pattern(digits))
    columns = [c for c in PHONE_COLUMNS[module] if known is None or c in known]
    return " or ".join(f"{column} like {pattern}" for column in columns)


def email_condition(email: str) -> str:
    # Comparisons are case-insensitive on the server (305b).
    return f"email = {quote_literal(email.strip())}"


def term_condition(module: str, term: str, plan: Plan, known: set[str] | None = None) -> str:
    """The where clause that finds `term`: an e-mail, a phone in any format, or a name (first,
    last, or both, by prefix), a business name or a city. Raises ValueError for a term VTQL cannot
    carry (a backslash)."""
    term = " ".join(term.split())
    if "@" in term:
        return email_condition(term)
    digits = phone_digits(term)
    if digits:
        return phone_condition(module, digits, known)
    words = term.split(" ")
    parts = []
    if len(words) >= 2:
        first, rest = words[0], " ".join(words[1:])
        parts.append(f"firstname like {like_prefix(first)} and lastname like {like_prefix(rest)}")
    parts.append(f"lastname like {like_prefix(term)}")
    if len(words) == 1:
        parts.append(f"firstname like {like_prefix(term)}")
    # A custom column only once describe shows MyCRM has it: an unknown column fails the query.
    business = plan.outgoing.get("business_name") if known is not None else None
    for column in (business, "company" if module == "Leads" else None, CITY_COLUMN[module]):
        if column and (known is None or column in known):
            parts.append(f"{column} like {like_prefix(term)}")
    return " or ".join(dict.fromkeys(parts))


def select(module: str, where: str, *, offset: int, count: int, extra: tuple[str, ...] = ()) -> str:
    columns = ", ".join(dict.fromkeys(("id", *RESULT_COLUMNS[module], *extra)))
    # VTQL sent to MyCRM: columns from our constants, values quoted by quote_literal.
    return f"select {columns} from {module} where {where} order by modifiedtime desc limit {offset}, {count};"  # noqa: S608
