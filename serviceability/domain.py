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
    "provider_lines",
    "row_bead_level",
    "service_summary",
    "technology_category",
    "technology_label",
    "technology_name",
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
    """The label to display: what the service sent, else the FCC name."""
    return sent_label.strip() or technology_name(code)


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


def _line_sort_key(line: ProviderLine) -> tuple[int, float, float, str]:
    return (
        _category_rank(line.technology_category),
        -(line.maxdown if line.maxdown is not None else _LOWEST),
        -(line.maxup if line.maxup is not None else _LOWEST),
        line.display_name.casefold(),
    )


def provider_lines(location: Location, audience: str = "all") -> list[ProviderLine]:
    """One line per (provider id, technology) for the audience, best first.

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


def row_bead_level(row: ProviderRow) -> BeadLevel | None:
    """The level one row provides, or None when its technology does not count for BEAD."""
    if row.technology_code not in BEAD_TECHNOLOGY_CODES:
        return None
    down, up = row.maxdown, row.maxup
    if row.lowlatency is not True or down is None or up is None or down < 25 or up < 3:
        return BeadLevel.UNSERVED
    if down < 100 or up < 20:
        return BeadLevel.UNDERSERVED
    return BeadLevel.SERVED


def bead_level(location: Location, audience: str = "residential") -> BeadLevel:
    """The BEAD level of a location for "residential" (rows R or X) or "business" (rows B or X)."""
    if audience not in _AUDIENCE_CODES:
        raise ValueError(f"Unknown BEAD audience {audience!r}; expected residential or business.")
    levels = [row_bead_level(row) for row in _rows_for(location, audience)]
    counted = [level for level in levels if level is not None]
    return max(counted, key=lambda level: level.rank, default=BeadLevel.UNSERVED)


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
        f"{line.category_label}: {_shorten(line.display_name, _NAME_MAX_CHARS)} "
        f"{_speed(line.maxdown)}/{_speed(line.maxup)} Mbps"
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
