"""What a location's provider rows mean to a sales rep: technology names, provider lines, BEAD level.

The rules come from the serviceability protocol page: FCC technology codes, one line per provider and
technology with its best speeds, sorted best first, and the BEAD service level by NTIA's method.

It must never import Django, make network calls, or group providers by name: names vary in spelling
for one provider (``Spectrum`` / ``Spectrum Business``), so grouping is by ``provider_id`` only.
Logic reads ``technology_code``; the sent ``technology_code_type`` is only a display label.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from serviceability.parser import FlatRecord, Location, ProviderRow

__all__ = [
    "AUDIENCES",
    "BEAD_TECHNOLOGY_CODES",
    "BeadLevel",
    "ProviderLine",
    "bead_level",
    "category_label",
    "level_because",
    "level_reason",
    "provider_lines",
    "row_bead_level",
    "service_summary",
    "technology_category",
    "technology_label",
    "technology_name",
    "technology_names",
]

# --- Technologies ---------------------------------------------------------------------------------

_FCC_NAMES: dict[int, str] = {
    0: "Other",
    10: "Copper wire (DSL)",
    40: "Cable",
    50: "Fiber to the premises",
    60: "Geostationary satellite",
    61: "Non-geostationary satellite",
    70: "Unlicensed fixed wireless",
    71: "Licensed fixed wireless",
    72: "Licensed-by-rule fixed wireless",
}

# The one name a rep and a customer see for each technology: in the providers table, the share page
# and the note carried into a lead (the service's own labels vary: "Copper" for what reps call DSL).
_SHORT_NAMES: dict[int, str] = {
    0: "Other",
    10: "DSL",
    40: "Cable",
    50: "Fiber",
    60: "Geostationary satellite",
    61: "Low-orbit satellite",
    70: "Unlicensed fixed wireless",
    71: "Licensed fixed wireless",
    72: "Licensed-by-rule fixed wireless",
}

_CATEGORIES: dict[int, str] = {
    50: "fiber",
    40: "cable",
    71: "licensed_fixed_wireless",
    72: "licensed_fixed_wireless",
    10: "dsl",
    70: "unlicensed_fixed_wireless",
    60: "satellite",
    61: "satellite",
    0: "other",
}

# Best first: what a rep would sell first when several are available.
_CATEGORY_ORDER: tuple[str, ...] = (
    "fiber",
    "cable",
    "licensed_fixed_wireless",
    "dsl",
    "unlicensed_fixed_wireless",
    "satellite",
    "other",
)

_CATEGORY_LABELS: dict[str, str] = {
    "fiber": "Fiber",
    "cable": "Cable",
    "licensed_fixed_wireless": "Licensed fixed wireless",
    "dsl": "DSL",
    "unlicensed_fixed_wireless": "Unlicensed fixed wireless",
    "satellite": "Satellite",
    "other": "Other",
}


def technology_name(code: int | None) -> str:
    """The FCC name of a fixed technology code."""
    if code is None:
        return "Unknown technology"
    return _FCC_NAMES.get(code, f"Technology {code}")


def technology_label(code: int | None, sent_label: str = "") -> str:
    """The name to display everywhere: the portal's own per known code (one name per technology),
    else what the service sent, else the FCC name."""
    if code in _SHORT_NAMES:
        return _SHORT_NAMES[code]
    return sent_label.strip() or technology_name(code)


def technology_names() -> list[tuple[str, str, bool]]:
    """(the portal's name, the FCC's name, counts for BEAD) of every known technology."""
    return [
        (_SHORT_NAMES[code], _FCC_NAMES[code], code in BEAD_TECHNOLOGY_CODES)
        for code in sorted(_SHORT_NAMES, key=lambda code: (code not in BEAD_TECHNOLOGY_CODES, code))
    ]


def technology_category(code: int | None) -> str:
    return _CATEGORIES.get(code, "other") if code is not None else "other"


def category_label(category: str) -> str:
    return _CATEGORY_LABELS.get(category, "Other")


def _category_rank(category: str) -> int:
    return _CATEGORY_ORDER.index(category) if category in _CATEGORY_ORDER else len(_CATEGORY_ORDER)


# --- Audiences ------------------------------------------------------------------------------------

AUDIENCES: tuple[str, ...] = ("all", "residential", "business")
_AUDIENCE_CODES: dict[str, frozenset[str]] = {
    "residential": frozenset({"R", "X"}),
    "business": frozenset({"B", "X"}),
}
_SERVES_LABELS: dict[str, str] = {
    "R": "Residential",
    "B": "Business",
    "X": "Residential & business",
}


def _rows_for(location: Location, audience: str) -> list[ProviderRow]:
    if audience == "all":
        return list(location.rows)
    if audience not in _AUDIENCE_CODES:
        raise ValueError(f"Unknown audience {audience!r}; expected one of {', '.join(AUDIENCES)}.")
    codes = _AUDIENCE_CODES[audience]
    return [row for row in location.rows if row.bizrescode in codes]


def _serves(rows: Iterable[ProviderRow]) -> str:
    codes = {row.bizrescode for row in rows}
    if "X" in codes or {"R", "B"} <= codes:
        return "X"
    if "R" in codes:
        return "R"
    if "B" in codes:
        return "B"
    return ""


# --- Provider lines -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProviderLine(FlatRecord):
    """One provider and technology at a location, with the best speeds reported for it."""

    provider_id: str = ""
    brand_name: str = ""
    provider_name: str = ""
    holding_company_name: str = ""
    technology_code: int | None = None
    technology_label: str = ""
    technology_category: str = "other"
    maxdown: float | None = None
    maxup: float | None = None
    lowlatency: bool | None = None
    serves: str = ""

    @property
    def display_name(self) -> str:
        return self.brand_name or self.provider_name or self.holding_company_name or "Unknown provider"

    @property
    def serves_label(self) -> str:
        return _SERVES_LABELS.get(self.serves, "Not stated")

    @property
    def category_label(self) -> str:
        return category_label(self.technology_category)

    @property
    def grade(self) -> BeadLevel | None:
        """The BEAD level this line alone would give the location; None when its technology does
        not count for BEAD (satellite, unlicensed fixed wireless)."""
        return _speeds_level(self.technology_code, self.maxdown, self.maxup, self.lowlatency)

    @property
    def speeds(self) -> str:
        return f"{_speed(self.maxdown)}/{_speed(self.maxup)} Mbps"


_LOWEST = float("-inf")


def _speed_key(row: ProviderRow) -> tuple[float, float]:
    return (
        row.maxdown if row.maxdown is not None else _LOWEST,
        row.maxup if row.maxup is not None else _LOWEST,
    )


def _best(rows: Sequence[ProviderRow]) -> ProviderRow:
    # max() keeps the first of equals, so ties go to the order the service sent.
    return max(rows, key=_speed_key)


def _group_key(index: int, row: ProviderRow) -> tuple[str, int | None]:
    # A row without a provider id cannot be safely merged with anything, not even by name.
    provider = row.provider_id or f"\0{index}"
    return (provider, row.technology_code)


def _line(rows: Sequence[ProviderRow]) -> ProviderLine:
    best = _best(rows)
    # The residential brand is the one customers know; a business-only brand is a fallback.
    public_rows = [row for row in rows if row.bizrescode in {"R", "X"}]
    named = _best(public_rows) if public_rows else best
    sent_label = best.technology_code_type or next(
        (row.technology_code_type for row in rows if row.technology_code_type), ""
    )
    return ProviderLine(
        provider_id=best.provider_id,
        brand_name=named.brand_name,
        provider_name=named.provider_name,
        holding_company_name=named.holding_company_name,
        technology_code=best.technology_code,
        technology_label=technology_label(best.technology_code, sent_label),
        technology_category=technology_category(best.technology_code),
        maxdown=best.maxdown,
        maxup=best.maxup,
        lowlatency=best.lowlatency,
        serves=_serves(rows),
    )


def _line_sort_key(line: ProviderLine) -> tuple[int, float, float, int, str]:
    # Best for the customer: the level the line qualifies for (Served-grade, then Underserved-grade,
    # then the rest), then speed; the technology and the name only break ties.
    grade = line.grade
    return (
        -(grade.rank if grade is not None and grade is not BeadLevel.UNSERVED else 0),
        -(line.maxdown if line.maxdown is not None else _LOWEST),
        -(line.maxup if line.maxup is not None else _LOWEST),
        _category_rank(line.technology_category),
        line.display_name.casefold(),
    )


def provider_lines(location: Location, audience: str = "all") -> list[ProviderLine]:
    """One line per (provider id, technology) for the audience, best for the customer first: the
    BEAD level each line qualifies for, then its speeds.

    ``audience`` is "all", "residential" (rows R or X) or "business" (rows B or X); a line's speeds and
    ``serves`` describe only the rows of that audience.
    """
    groups: dict[tuple[str, int | None], list[ProviderRow]] = {}
    for index, row in enumerate(_rows_for(location, audience)):
        groups.setdefault(_group_key(index, row), []).append(row)
    return sorted((_line(rows) for rows in groups.values()), key=_line_sort_key)


# --- BEAD service level ---------------------------------------------------------------------------

# NTIA's "reliable broadband" technologies: satellite and unlicensed fixed wireless never count.
BEAD_TECHNOLOGY_CODES: frozenset[int] = frozenset({10, 40, 50, 71, 72})


class BeadLevel(StrEnum):
    UNSERVED = "unserved"
    UNDERSERVED = "underserved"
    SERVED = "served"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def rank(self) -> int:
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {BeadLevel.UNSERVED: 0, BeadLevel.UNDERSERVED: 1, BeadLevel.SERVED: 2}


def _speeds_level(code: int | None, down: float | None, up: float | None, lowlatency: bool | None) -> BeadLevel | None:
    if code not in BEAD_TECHNOLOGY_CODES:
        return None
    if lowlatency is not True or down is None or up is None or down < 25 or up < 3:
        return BeadLevel.UNSERVED
    if down < 100 or up < 20:
        return BeadLevel.UNDERSERVED
    return BeadLevel.SERVED


def row_bead_level(row: ProviderRow) -> BeadLevel | None:
    """The level one row provides, or None when its technology does not count for BEAD."""
    return _speeds_level(row.technology_code, row.maxdown, row.maxup, row.lowlatency)


def bead_level(location: Location, audience: str = "residential") -> BeadLevel:
    """The BEAD level of a location for "residential" (rows R or X) or "business" (rows B or X)."""
    if audience not in _AUDIENCE_CODES:
        raise ValueError(f"Unknown BEAD audience {audience!r}; expected residential or business.")
    levels = [row_bead_level(row) for row in _rows_for(location, audience)]
    counted = [level for level in levels if level is not None]
    return max(counted, key=lambda level: level.rank, default=BeadLevel.UNSERVED)


def level_because(location: Location, audience: str = "residential") -> str:
    """Why the location has its BEAD level for the audience, in one sentence naming the line that
    decides it: "Xfinity (Cable) offers 1200/35 Mbps with low latency."."""
    level = bead_level(location, audience)
    lines = provider_lines(location, audience)
    counted = [line for line in lines if line.grade is not None]
    deciding = next((line for line in counted if line.grade is level), None)
    if level is not BeadLevel.UNSERVED and deciding is not None:
        offer = f"{deciding.display_name} ({deciding.technology_label}) offers {deciding.speeds}"
        if level is BeadLevel.SERVED:
            return f"{offer} with low latency."
        return f"At best {offer}; Served needs 100/20 Mbps."
    if counted:
        best = counted[0]
        text = (
            "No wired or licensed wireless line reaches 25/3 Mbps with low latency "
            f"(best: {best.display_name}, {best.technology_label}, {best.speeds})."
        )
    else:
        text = "No wired or licensed wireless provider is reported here."
    uncounted = [line for line in lines if line.grade is None and line.maxdown is not None]
    if uncounted:
        fastest = max(uncounted, key=lambda line: (line.maxdown, line.maxup or 0))
        text += (
            f" {fastest.display_name} ({fastest.technology_label}, {fastest.speeds}) is available but does "
            "not count for BEAD."
        )
    return text


def level_reason(location: Location, audience: str = "residential") -> str:
    """The level and why, as one sentence: "Served: Xfinity (Cable) offers 1200/35 Mbps with low latency."."""
    return f"{bead_level(location, audience).label}: {level_because(location, audience)}"


# --- One-line summary -----------------------------------------------------------------------------

SUMMARY_MAX_CHARS = 250
_NAME_MAX_CHARS = 40


def _speed(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if value.is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def service_summary(location: Location | None, audience: str = "residential") -> str:
    """A plain-text line for a CRM lead's description: the level and the best provider per technology.

    Kept under ``SUMMARY_MAX_CHARS``; technologies that do not fit are counted, not cut mid-word.
    """
    if location is None:
        return "No location found for this address."
    head = f"{bead_level(location, audience).label} ({audience})."
    best_per_category: dict[str, ProviderLine] = {}
    for line in provider_lines(location, audience):
        best_per_category.setdefault(line.technology_category, line)
    if not best_per_category:
        return f"{head} No providers reported."
    items = [
        f"{line.technology_label}: {_shorten(line.display_name, _NAME_MAX_CHARS)} {line.speeds}"
        for line in best_per_category.values()
    ]
    for shown in range(len(items), 0, -1):
        hidden = len(items) - shown
        text = f"{head} Best per technology: " + "; ".join(items[:shown])
        if hidden:
            text += f"; +{hidden} more"
        if len(text) <= SUMMARY_MAX_CHARS:
            return text
    return _shorten(f"{head} {len(items)} technologies reported.", SUMMARY_MAX_CHARS)
