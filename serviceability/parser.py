"""Read the serviceability service's answer into small typed objects.

The service (see the protocol page for serviceability) does not reliably send strict JSON: strings come
padded with spaces and newlines, some contain raw newlines, lists end with a trailing comma, numbers and
booleans arrive as strings, and the documented sample even carries bare placeholder words. This module
accepts all of that, and turns anything that is not a usable answer (an HTML error page, garbage, a
failure reported inside a 200 envelope) into ``ServiceabilityUnavailable`` with a plain message.

It also owns the exception types, so the parser and the HTTP client raise the same ones.

It must never import Django or make network calls, never evaluate the body as code, and never let one
odd field fail the whole answer: a value that cannot be read becomes ``None`` and the rest is kept.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field, fields
from typing import Any, Self

__all__ = [
    "Location",
    "ProviderRow",
    "ServiceabilityError",
    "ServiceabilityResult",
    "ServiceabilityUnavailable",
    "parse_response",
    "safe_excerpt",
]

EXCERPT_LIMIT = 200


# --- Errors ---------------------------------------------------------------------------------------


class ServiceabilityError(Exception):
    """Base of every error the address check raises.

    Everything goes through ``Exception.args`` so an instance survives pickling (errors may be kept in
    the cache), and ``str()`` is only the plain message: it is what a user may see.
    """

    retryable_by_default = False

    def __init__(
        self,
        message: str,
        excerpt: str = "",
        http_status: int | None = None,
        retryable: bool | None = None,
    ) -> None:
        super().__init__(message, excerpt, http_status, retryable)

    @property
    def message(self) -> str:
        return self.args[0]

    @property
    def excerpt(self) -> str:
        """A short, whitespace-collapsed piece of the upstream body, for logs only."""
        return self.args[1]

    @property
    def http_status(self) -> int | None:
        return self.args[2]

    @property
    def retryable(self) -> bool:
        """Whether asking again later may succeed (the view may then show a stale cached result)."""
        explicit = self.args[3]
        return self.retryable_by_default if explicit is None else explicit

    def __str__(self) -> str:
        return self.message


class ServiceabilityUnavailable(ServiceabilityError):
    """The service could not give a usable answer now: network, time-out, error page, failure envelope."""

    retryable_by_default = True


def safe_excerpt(body: bytes | str | None, limit: int = EXCERPT_LIMIT) -> str:
    """At most ``limit`` characters of ``body`` on one line, fit for a log record."""
    if body is None:
        return ""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    # Control characters could forge log lines; whitespace runs waste the small budget.
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    if len(text) > limit:
        text = text[: limit - 3].rstrip() + "..."
    return text


# --- Typed objects --------------------------------------------------------------------------------

JsonScalar = bool | int | float | str | None


class FlatRecord:
    """to_dict()/from_dict() for a flat dataclass: every field by name, dicts copied. Keys missing
    from a snapshot stored by an older version take the field's default; unknown keys are ignored."""

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _copied(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**{f.name: _copied(data[f.name]) for f in fields(cls) if f.name in data})


def _copied(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else value


@dataclass(frozen=True, kw_only=True)
class ProviderRow(FlatRecord):
    """One provider/technology/audience row of a location (``detail`` item), as reported to the FCC."""

    location_id: str = ""
    provider_name: str = ""
    brand_name: str = ""
    holding_company_name: str = ""
    provider_id: str = ""
    frn: str = ""
    technology_code: int | None = None
    technology_code_type: str = ""
    bizrescode: str = ""
    maxdown: float | None = None
    maxup: float | None = None
    lowlatency: bool | None = None
    # Undocumented upstream; kept verbatim so nobody builds logic on a guess.
    prov_tech_flag: JsonScalar = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True, kw_only=True)
class Location:
    """One FCC Fabric structure found for the address, with its provider rows."""

    coordinates: tuple[float, float] | None = None
    unit_count: int | None = None
    building_type_code: str = ""
    bsl_flag: bool | None = None
    # Must be shown wherever location data is shown (CostQuest licence).
    license: str = ""
    rows: tuple[ProviderRow, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "coordinates": list(self.coordinates) if self.coordinates is not None else None,
            "unit_count": self.unit_count,
            "building_type_code": self.building_type_code,
            "bsl_flag": self.bsl_flag,
            "license": self.license,
            "rows": [row.to_dict() for row in self.rows],
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Location:
        coordinates = data.get("coordinates")
        return cls(
            coordinates=(coordinates[0], coordinates[1]) if coordinates is not None else None,
            unit_count=data.get("unit_count"),
            building_type_code=data.get("building_type_code", ""),
            bsl_flag=data.get("bsl_flag"),
            license=data.get("license", ""),
            rows=tuple(ProviderRow.from_dict(row) for row in data.get("rows") or ()),
            extra=dict(data.get("extra") or {}),
        )


@dataclass(frozen=True, kw_only=True)
class ServiceabilityResult:
    """A successful answer: zero or more locations for one address lookup."""

    status: str = ""
    status_code: int | None = None
    message: str | None = None
    request_date: str = ""
    result_count: int | None = None
    locations: tuple[Location, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False)

    @property
    def found(self) -> bool:
        return bool(self.locations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "status_code": self.status_code,
            "message": self.message,
            "request_date": self.request_date,
            "result_count": self.result_count,
            "locations": [location.to_dict() for location in self.locations],
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ServiceabilityResult:
        return cls(
            status=data.get("status", ""),
            status_code=data.get("status_code"),
            message=data.get("message"),
            request_date=data.get("request_date", ""),
            result_count=data.get("result_count"),
            locations=tuple(Location.from_dict(loc) for loc in data.get("locations") or ()),
            extra=dict(data.get("extra") or {}),
        )


# --- Tolerant JSON reading ------------------------------------------------------------------------

_BARE_WORD = re.compile(r"-?[A-Za-z_$][A-Za-z0-9_$]*")
_JSON_LITERALS = frozenset({"true", "false", "null"})


def _repair_json(text: str) -> str:
    """Rewrite near-JSON into JSON, touching only what lies outside string literals.

    Trailing commas are dropped, any whitespace (the seed ends with a non-breaking space) becomes a
    plain space, a bare word used as a key is quoted, and any other bare word (``latitud``, ``NaN``)
    becomes ``null``, so a placeholder costs one value rather than the whole answer. Raw newlines
    inside strings are left for ``json.loads(strict=False)``.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
        elif ch.isspace():
            out.append(" ")
            i += 1
        elif ch == ",":
            k = i + 1
            while k < n and text[k].isspace():
                k += 1
            if k >= n or text[k] not in "]}":
                out.append(",")
            i += 1
        elif (match := _BARE_WORD.match(text, i)) is not None:
            word = match.group()
            k = match.end()
            while k < n and text[k].isspace():
                k += 1
            if k < n and text[k] == ":" and not word.startswith("-"):
                out.append(json.dumps(word))
            else:
                out.append(word.lower() if word.lower() in _JSON_LITERALS else "null")
            i = match.end()
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        pass
    # Only here, after strict JSON failed: the repair is lenient by design and must not mask good data.
    return json.loads(_repair_json(text), strict=False)


# --- Value coercion -------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    """Strip every string (keys too) and drop non-finite floats, all the way down."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, dict):
        return {str(key).strip(): _clean(item) for key, item in value.items()}
    return value


def _as_str(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value).strip()


def _as_optional_str(value: Any) -> str | None:
    return None if value is None else _as_str(value)


def _as_float(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def _as_int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            pass
    number = _as_float(value)
    return int(number) if number is not None and number.is_integer() else None


_TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
_FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})


def _as_bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return True if value == 1 else False if value == 0 else None
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    return None


def _as_bizrescode(value: Any) -> str:
    code = _as_str(value)
    return code.upper() if code.upper() in {"R", "B", "X"} else code


def _as_coordinates(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list) or len(value) != 2:
        return None
    lat, lon = _as_float(value[0]), _as_float(value[1])
    if lat is None or lon is None:
        return None
    return (lat, lon)


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    # A lone object where a list belongs is still one item, not nothing.
    if isinstance(value, dict):
        return [value]
    return []


# --- Building the objects -------------------------------------------------------------------------

_ROW_KEYS = frozenset(
    {
        "location_id",
        "provider_name",
        "brand_name",
        "holding_company_name",
        "provider_id",
        "frn",
        "technology_code",
        "technology_code_type",
        "bizrescode",
        "maxdown",
        "maxup",
        "lowlatency",
        "prov_tech_flag",
    }
)
_LOCATION_KEYS = frozenset({"coordinates", "unitCount", "buildingTypeCode", "bsl_flag", "license", "detail"})
_ENVELOPE_KEYS = frozenset({"data", "result_count", "status_code", "message", "status", "request_date"})


def _extra(raw: dict[str, Any], known: frozenset[str]) -> dict[str, Any]:
    return {key: value for key, value in raw.items() if key not in known}


def _row(raw: dict[str, Any]) -> ProviderRow:
    flag = raw.get("prov_tech_flag")
    return ProviderRow(
        location_id=_as_str(raw.get("location_id")),
        provider_name=_as_str(raw.get("provider_name")),
        brand_name=_as_str(raw.get("brand_name")),
        holding_company_name=_as_str(raw.get("holding_company_name")),
        provider_id=_as_str(raw.get("provider_id")),
        frn=_as_str(raw.get("frn")),
        technology_code=_as_int(raw.get("technology_code")),
        technology_code_type=_as_str(raw.get("technology_code_type")),
        bizrescode=_as_bizrescode(raw.get("bizrescode")),
        maxdown=_as_float(raw.get("maxdown")),
        maxup=_as_float(raw.get("maxup")),
        lowlatency=_as_bool(raw.get("lowlatency")),
        prov_tech_flag=flag if isinstance(flag, (bool, int, float, str)) else None,
        extra=_extra(raw, _ROW_KEYS),
    )


def _location(raw: dict[str, Any]) -> Location:
    return Location(
        coordinates=_as_coordinates(raw.get("coordinates")),
        unit_count=_as_int(raw.get("unitCount")),
        building_type_code=_as_str(raw.get("buildingTypeCode")).upper(),
        bsl_flag=_as_bool(raw.get("bsl_flag")),
        license=_as_str(raw.get("license")),
        rows=tuple(_row(item) for item in _as_list(raw.get("detail")) if isinstance(item, dict)),
        extra=_extra(raw, _LOCATION_KEYS),
    )


def _failure_message(service_message: str | None) -> str:
    base = "The address service reported a failure"
    # The service's own words reach the user, so keep them to one short line.
    service_message = safe_excerpt(service_message)
    if not service_message:
        return f"{base}."
    end = "" if service_message.endswith((".", "!", "?")) else "."
    return f"{base}: {service_message}{end}"


def parse_response(body: bytes | str) -> ServiceabilityResult:
    """Parse one answer body; raise ``ServiceabilityUnavailable`` when it is not a usable answer."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    text = text.lstrip("\ufeff").strip()
    excerpt = safe_excerpt(text)
    if not text:
        raise ServiceabilityUnavailable("The address service sent an empty answer.", excerpt)
    if text.startswith("<"):
        raise ServiceabilityUnavailable(
            "The address service is unavailable: it sent an error page instead of data.", excerpt
        )
    try:
        raw = _load_json(text)
    except ValueError:
        raise ServiceabilityUnavailable("The address service sent an answer that could not be read.", excerpt) from None
    if not isinstance(raw, dict):
        raise ServiceabilityUnavailable("The address service sent an answer in an unexpected shape.", excerpt)
    raw = _clean(raw)

    status = _as_str(raw.get("status"))
    status_code = _as_int(raw.get("status_code"))
    message = _as_optional_str(raw.get("message"))
    code_failed = raw.get("status_code") is not None and status_code != 200
    if status.lower() != "successful" or code_failed:
        raise ServiceabilityUnavailable(_failure_message(message), excerpt)

    return ServiceabilityResult(
        status=status,
        status_code=status_code,
        message=message,
        request_date=_as_str(raw.get("request_date")),
        result_count=_as_int(raw.get("result_count")),
        locations=tuple(_location(item) for item in _as_list(raw.get("data")) if isinstance(item, dict)),
        extra=_extra(raw, _ENVELOPE_KEYS),
    )
