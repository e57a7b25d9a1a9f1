"""Figures, the printed table and `benchmarks/results.json`.

Every part returns a list of `Figure`s. A figure may carry a `Goal` (from the issue: "1 CRM call per
create", "0 lost", ...); the table marks it ✓ or ✗. Figures without a goal are measurements to
read (times, throughput, ratios) and get no mark. A part that crashed is reported as an error row,
and the run then exits non-zero: a missed goal never changes the exit status.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_SYMBOLS = {"<=": "≤", ">=": "≥", "==": "="}


@dataclass(frozen=True)
class Goal:
    """`value <op> target`, e.g. Goal("<=", 1)."""

    op: str
    target: float

    def met(self, value: float | None) -> bool | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return False
        if self.op == "<=":
            return value <= self.target
        if self.op == ">=":
            return value >= self.target
        return value == self.target

    def __str__(self) -> str:
        return f"{_SYMBOLS[self.op]} {fmt(self.target)}"

    def as_json(self) -> str:
        return f"{self.op} {fmt(self.target)}"


@dataclass
class Figure:
    key: str
    part: str
    label: str
    value: float | int | None
    unit: str
    goal: Goal | None = None
    # Anything that explains the value (queries run, counts per operation, ...): JSON only.
    detail: dict[str, Any] = field(default_factory=dict)
    # One line printed under the table (what makes a value what it is).
    note: str = ""

    @property
    def met(self) -> bool | None:
        return self.goal.met(self.value) if self.goal else None

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"value": self.value, "unit": self.unit}
        if self.goal:
            out["goal"] = self.goal.as_json()
            out["met"] = self.met
        if self.detail:
            out["detail"] = self.detail
        return out


def fmt(value: float | int | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer() and abs(value) < 1e15):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def rounded(value: float | None, digits: int = 3) -> float | None:
    """Values for the JSON: a few significant decimals, not float noise."""
    if value is None:
        return None
    return round(value, digits)


def percentile(values: list[float], pct: int) -> float | None:
    """The pct-th percentile (inclusive method; 50 is the median), None for no values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if pct == 50:
        return statistics.median(values)
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def table(figures: list[Figure], errors: dict[str, str]) -> str:
    header = ("part", "figure", "value", "unit", "goal", "ok")
    rows = [header]
    for f in figures:
        mark = "" if f.met is None else ("✓" if f.met else "✗")
        rows.append((f.part, f.label, fmt(f.value), f.unit, str(f.goal) if f.goal else "", mark))
    for part, message in errors.items():
        rows.append((part, f"ERROR: {message}"[:100], "", "", "", "✗"))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    right = {2}  # values align on the right

    def line(row):
        cells = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "  ".join(cells).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [line(header), rule]
    previous = None
    for row in rows[1:]:
        if previous is not None and row[0] != previous:
            out.append("")
        out.append(line(row))
        previous = row[0]
    return "\n".join(out)


def notes(figures: list[Figure]) -> str:
    return "\n".join(f"- {f.note}" for f in figures if f.note)


def missed(figures: list[Figure]) -> list[Figure]:
    return [f for f in figures if f.met is False]


def configuration(meta: dict[str, Any]) -> str:
    """ "embedded" (SQLite and the database cache, the defaults) or e.g. "postgresql+redis"."""
    database = (meta.get("database") or "").split()[0] if meta.get("database") else "unknown"
    cache = meta.get("cache") or ""
    cache_name = "redis" if "redis" in cache.lower() else "database-cache" if "database cache" in cache else cache
    if database == "sqlite" and cache_name == "database-cache":
        return "embedded"
    return f"{database}+{cache_name}"


def write_json(path: Path, figures: list[Figure], meta: dict[str, Any]) -> None:
    """Under `configurations` the latest figures of each configuration (a run on PostgreSQL + Redis
    keeps the embedded one's, and the other way round), and at the top level those of the run's
    configuration. A run of some parts only updates those figures of its configuration; its
    `_meta` (date, duration: the whole run's) stays, with the partial run noted under
    `later_parts`."""
    try:
        previous = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        previous = {}
    configurations = previous.get("configurations", {}) if isinstance(previous, dict) else {}
    name = configuration(meta)
    partial = not set(meta.get("all_parts", [])) <= set(meta.get("parts", []))  # B comes on top
    section = configurations.get(name, {}) if partial else {}
    section.update({f.key: f.as_json() for f in figures})
    if partial and "_meta" in section:
        later = {key: meta.get(key) for key in ("date", "parts", "duration_seconds")}
        section["_meta"]["later_parts"] = [*section["_meta"].get("later_parts", []), later][-5:]
    else:
        section["_meta"] = meta
    configurations[name] = section
    data: dict[str, Any] = {key: value for key, value in section.items() if key != "_meta"}
    data["_meta"] = {**section["_meta"], "configuration": name}
    data["configurations"] = configurations
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
