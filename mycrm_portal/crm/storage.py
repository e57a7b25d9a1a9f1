"""How MyCRM stores the text it is sent, so that the portal can tell what MyCRM really holds.

A real vtiger 8.2 changes some values on the way into its database, and says success all the same
(shared/protocol/mycrm-webservice.md, "How values are stored and returned"):

- the script rule: a field whose text matches /script.*\\/script/i has every <, > and " stored as
  &lt; &gt; &quot; (captures 333, 334);
- 4-byte characters (emoji, some symbols and CJK) become ???? in a utf8mb3 database (330, 333);
- a value longer than its column is cut, counting characters, after the script rule (338, 339, 339b).

`stored_form` applies those rules to what the portal sends; `differences` compares a create or
revise answer (read back from MyCRM's database) with what was sent. Pure: no Django, no HTTP.
"""

import html
import re
from dataclasses import dataclass

_SCRIPT_RULE = re.compile(r"script.*/script", re.IGNORECASE)
_FOUR_BYTE = re.compile("[\U00010000-\U0010ffff]")
_ENCODED = str.maketrans({"<": "&lt;", ">": "&gt;", '"': "&quot;"})


def four_byte_characters(text: str) -> list[str]:
    """The 4-byte characters in `text`, each once, in order of appearance."""
    seen: list[str] = []
    for char in _FOUR_BYTE.findall(text or ""):
        if char not in seen:
            seen.append(char)
    return seen


def under_script_rule(text: str) -> bool:
    return bool(_SCRIPT_RULE.search(text or ""))


def stored_form(value: str, *, max_length: int | None = None, keeps_4byte: bool = False) -> str:
    """`value` as MyCRM will hold it: script rule first, then 4-byte characters, then the cut."""
    text = value or ""
    if under_script_rule(text):
        text = text.translate(_ENCODED)
    if not keeps_4byte:
        text = _FOUR_BYTE.sub("????", text)
    return text[:max_length] if max_length else text


def stored_length(value: str, *, keeps_4byte: bool = False) -> int:
    """How many characters MyCRM's column must hold for `value` (before any cut)."""
    return len(stored_form(value, keeps_4byte=keeps_4byte))


def decoded(value: str) -> str:
    """A stored value as the rep typed it: entities MyCRM added decoded once (never twice)."""
    return html.unescape(value) if "&" in (value or "") else (value or "")


# Why a stored value differs from the one sent.
MISSING = "missing"  # MyCRM has no such field: the value was dropped
ENCODED = "encoded"  # the script rule encoded < > "
FOUR_BYTE = "four_byte"  # 4-byte characters became ????
CUT = "cut"  # longer than MyCRM's column
CHANGED = "changed"  # anything else
PORTAL_ONLY = "portal_only"  # not sent: MyCRM has no such field (see crm/fieldfit.py)

REASONS = {
    MISSING: "MyCRM has no such field: it was not stored",
    ENCODED: 'MyCRM stored < > " as &lt; &gt; &quot; (its rule for text containing "script")',
    FOUR_BYTE: "MyCRM stored characters it cannot keep (such as emoji) as ????",
    CUT: "MyCRM cut it to the length of its field",
    CHANGED: "MyCRM stored another value",
    PORTAL_ONLY: "kept in the portal only: MyCRM has no such field",
}


@dataclass(frozen=True)
class Difference:
    name: str
    why: str
    stored: str | None  # None when MyCRM has no such field

    @property
    def reason(self) -> str:
        return REASONS[self.why]


def differences(sent: dict[str, str], stored: dict, *, lengths: dict[str, int | None], keeps_4byte: bool):
    """The fields whose stored value is not the value sent, each with why (as far as MyCRM's rules
    explain it). `stored` is the record MyCRM answered with; `lengths` its column sizes."""
    found = []
    for name, value in sent.items():
        if name not in stored:
            found.append(Difference(name, MISSING, None))
            continue
        held = "" if stored[name] is None else str(stored[name])
        if held == value:
            continue
        found.append(Difference(name, _why(value, held, lengths.get(name), keeps_4byte), held))
    return found


def _why(value: str, held: str, max_length: int | None, keeps_4byte: bool) -> str:
    # Either way of storing 4-byte characters, whatever the setting believes of this MyCRM.
    for keeps in (keeps_4byte, not keeps_4byte):
        if held == stored_form(value, max_length=max_length, keeps_4byte=keeps):
            if not keeps and four_byte_characters(value):
                return FOUR_BYTE
            if under_script_rule(value):
                return ENCODED
            return CUT
    return CHANGED


def same_stored(sent: str, held: str, *, max_length: int | None) -> bool:
    """Whether `held` is what MyCRM keeps for `sent`: as sent, or as its rules store it (with 4-byte
    characters kept or lost, whatever MYCRM_TEXT_4BYTE believes of this MyCRM)."""
    held = "" if held is None else str(held).strip()
    sent = sent.strip()
    forms = {sent} | {stored_form(sent, max_length=max_length, keeps_4byte=keeps).strip() for keeps in (True, False)}
    return held in forms
