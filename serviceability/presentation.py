"""What a stored check's snapshot looks like to a rep: locations with levels, provider lines, labels.

Pure functions over the parsed result (``ServiceabilityResult``) and the domain rules; the pages and
the lead summary read the same numbers from here. It must never import the ORM, the cache or the
HTTP client: everything it needs is in the snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass

from serviceability.domain import (
    AUDIENCES,
    BeadLevel,
    ProviderLine,
    bead_level,
    level_because,
    provider_lines,
    service_summary,
)
from serviceability.parser import Location, ServiceabilityResult

__all__ = [
    "AUDIENCE_LABELS",
    "BUILDING_TYPES",
    "LocationView",
    "ResultView",
    "building_type_label",
    "clean_audience",
    "primary_location",
    "result_view",
    "summary_for",
]

# Not officially documented; the common reading of the FCC Fabric's building type codes.
BUILDING_TYPES: dict[str, str] = {
    "R": "Residential",
    "B": "Business",
    "X": "Mixed use",
    "C": "Community anchor institution",
    "G": "Group quarters",
    "E": "Enterprise",
    "O": "Other",
}

AUDIENCE_LABELS: dict[str, str] = {"all": "All", "residential": "Residential", "business": "Business"}


def clean_audience(value: str | None) -> str:
    """The audience filter from a query parameter; anything unknown means "all"."""
    value = (value or "").strip().lower()
    return value if value in AUDIENCES else "all"


def building_type_label(code: str) -> str:
    if not code:
        return "Not stated"
    return BUILDING_TYPES.get(code.upper(), f"Code {code}")


def primary_location(result: ServiceabilityResult | None) -> Location | None:
    """The location a rep sells to: best residential level, then business level, then BSLs; ties go
    to the order the service sent."""
    if result is None or not result.locations:
        return None
    return max(
        result.locations,
        key=lambda location: (
            bead_level(location, "residential").rank,
            bead_level(location, "business").rank,
            location.bsl_flag is True,
        ),
    )


def summary_for(result: ServiceabilityResult | None) -> str:
    """The one-line service summary of the primary location (for a lead's description)."""
    if result is None:
        return ""
    return service_summary(primary_location(result))


@dataclass(frozen=True)
class LocationView:
    number: int
    location: Location
    residential_level: BeadLevel
    business_level: BeadLevel
    lines: list[ProviderLine]
    hidden_lines: int
    residential_reason: str = ""
    business_reason: str = ""

    @property
    def same_for_both(self) -> bool:
        """Homes and businesses get the same level for the same reason: one line says it."""
        return self.residential_level == self.business_level and self.residential_reason == self.business_reason

    @property
    def not_bsl(self) -> bool:
        """The FCC says this structure is not a broadband serviceable location: BEAD levels do not
        apply to it (a garage, a shed, a building with no units)."""
        return self.location.bsl_flag is False

    @property
    def building_type(self) -> str:
        return building_type_label(self.location.building_type_code)

    @property
    def unit_count(self) -> int | None:
        return self.location.unit_count

    @property
    def bsl(self) -> bool | None:
        return self.location.bsl_flag

    @property
    def coordinates(self) -> tuple[float, float] | None:
        return self.location.coordinates


@dataclass(frozen=True)
class ResultView:
    result: ServiceabilityResult
    audience: str
    locations: list[LocationView]
    licenses: list[str]

    @property
    def found(self) -> bool:
        return bool(self.locations)

    @property
    def audience_label(self) -> str:
        return AUDIENCE_LABELS[self.audience]


def result_view(result: ServiceabilityResult, audience: str = "all") -> ResultView:
    audience = clean_audience(audience)
    locations = []
    for number, location in enumerate(result.locations, start=1):
        lines = provider_lines(location, audience)
        all_lines = lines if audience == "all" else provider_lines(location, "all")
        locations.append(
            LocationView(
                number=number,
                location=location,
                residential_level=bead_level(location, "residential"),
                business_level=bead_level(location, "business"),
                lines=lines,
                hidden_lines=len(all_lines) - len(lines),
                residential_reason=level_because(location, "residential"),
                business_reason=level_because(location, "business"),
            )
        )
    # The licence must be shown with the location data; usually every location carries the same text.
    licenses = list(dict.fromkeys(location.license for location in result.locations if location.license))
    return ResultView(result=result, audience=audience, locations=locations, licenses=licenses)
