"""How a vtiger 8 server stores a date field sent through the webservice, mistakes included.

Only `YYYY-MM-DD` is stored right, whatever the user's date format. Anything else goes through
vtiger's two conversions (to the user's display format, then back to the database format) and a
MySQL DATE column in non-strict mode, which gives the captured results: for an admin with
yyyy-mm-dd, `05/17/1980` becomes `0000-00-00`, `17-05-1980` becomes `1980-05-17` and
`not-a-date` becomes empty (captures 63a-e); for a user with mm-dd-yyyy, `05-17-1980` and
`17-05-1980` both become empty (239a-c). This module models those steps so that all nine captured
cases come out exactly; it must never "fix" a date the real server would have mangled.
"""

import calendar
import re

# getValidDBInsertDateValue()'s check, verbatim ("{1,2}?" is a lazy quantifier, not "optional").
_DB_DATE = re.compile(r"[0-9]{2,4}[-][0-1]{1,2}?[0-9]{1,2}[-][0-3]{1,2}?[0-9]{1,2}")

FORMATS = ("yyyy-mm-dd", "mm-dd-yyyy", "dd-mm-yyyy")


def to_db(value: str, user_format: str) -> str:
    """The value the CRM stores (and later returns) for `value` sent by a user with that format."""
    if not value:
        return ""
    display = _to_user_format(value, user_format)
    # Observed, not designed: for yyyy-mm-dd users the second step reads day-month-year (63b
    # stores 17-05-1980 as 1980-05-17); for mm-dd-yyyy users it follows their format (239a).
    db_format = "dd-mm-yyyy" if user_format == "yyyy-mm-dd" else user_format
    return _mysql_date(_valid_db_insert_value(display, db_format))


def _split3(text: str, sep: str = "-") -> tuple[str, str, str]:
    # PHP's list($a, $b, $c) = explode(...): missing parts are null, extra parts are ignored.
    parts = text.split(sep)
    parts += [""] * (3 - len(parts))
    return parts[0], parts[1], parts[2]


def _to_user_format(value: str, user_format: str) -> str:
    date, _, time = value.partition(" ")
    y, m, d = _split3(date)
    if user_format == "mm-dd-yyyy":
        shown = f"{m}-{d}-{y}"
    elif user_format == "dd-mm-yyyy":
        shown = f"{d}-{m}-{y}"
    else:
        shown = f"{y}-{m}-{d}"
    return f"{shown} {time}" if time else shown


def _to_db_format(value: str, db_format: str) -> str:
    a, b, c = _split3(value)
    if db_format == "mm-dd-yyyy":
        m, d, y = a, b, c
    elif db_format == "dd-mm-yyyy":
        d, m, y = a, b, c
    else:
        y, m, d = a, b, c
    if all(part in ("", "0") for part in (y, m, d)):  # PHP: !$y && !$m && !$d
        return ""
    return f"{y}-{m}-{d}"


def _valid_db_insert_value(value: str, db_format: str) -> str:
    value = value.strip()
    for delimiter in ("/", "."):
        if delimiter in value:
            value = value.replace(delimiter, "-")
            break
    y, m, d = (part.zfill(2) if len(part) == 1 else part for part in _split3(value))
    value = f"{y}-{m}-{d}"
    insert = _to_db_format(value, db_format) if len(y) < 4 else value
    return insert if _DB_DATE.fullmatch(insert) else ""


def _mysql_date(value: str) -> str:
    """What a MySQL DATE column in non-strict mode keeps of a string that passed the check."""
    if not value:
        return ""
    y_text, m_text, d_text = _split3(value)
    year, month, day = int(y_text), int(m_text), int(d_text)
    if len(y_text) == 2:
        year += 2000 if year < 70 else 1900
    if 1 <= month <= 12 and 1 <= day <= calendar.monthrange(max(year, 1), month)[1]:
        return f"{year:04d}-{month:02d}-{day:02d}"
    return "0000-00-00"
