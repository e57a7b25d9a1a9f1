"""What a customer may see of a stored check: the public FCC availability data, nothing else.

The availability data (provider, technology, speeds, residential/business) is public FCC data; the
location data (location id, coordinates, unit count, building type, BSL flag, and the licence text
that goes with it) is licensed from CostQuest and must stay behind sign-in. So the public page is
built from an allow-list: small frozen objects holding only public fields, copied one by one out
of the snapshot. The template of the public page gets these objects and nothing else.

It must never hand a ``Location``, a ``ProviderRow``, a snapshot or an ``AddressCheck`` to a
template, and never import the ORM, the cache or the HTTP client.
"""

from __future__ import annotations

from dataclasses import dataclass

from serviceability.domain import BeadLevel, bead_level, provider_lines
from serviceability.parser import ServiceabilityResult
from serviceability.presentation import primary_location

__all__ = ["LEVEL_TEXTS", "PublicProvider", "PublicResult", "public_result"]

# What each BEAD level means, in words a customer can read.
LEVEL_TEXTS: dict[str, str] = {
    BeadLevel.SERVED: "Reliable high-speed internet (100 Mbps down and 20 Mbps up or faster) is reported here.",
    BeadLevel.UNDERSERVED: "Reliable internet is reported here, but slower than 100 Mbps down and 20 Mbps up.",
    BeadLevel.UNSERVED: "No reliable internet of at least 25 Mbps down and 3 Mbps up is reported here.",
}


@dataclass(frozen=True)
class PublicProvider:
    brand: str
    technology: str
    maxdown: float | None
    maxup: float | None
    serves: str


@dataclass(frozen=True)
class PublicResult:
    level: str
    level_label: str
    level_text: str
    providers: tuple[PublicProvider, ...]


def public_result(result: ServiceabilityResult | None) -> PublicResult | None:
    """The public part of a stored result, or None when it found no location.

    Only the location a rep sells to (``primary_location``) is shown: how many structures the
    Fabric lists at an address is location data too, and a customer lives in one of them.
    """
    location = primary_location(result)
    if location is None:
        return None
    level = bead_level(location, "residential")
    providers = tuple(
        PublicProvider(
            brand=line.display_name,
            technology=line.technology_label,
            maxdown=line.maxdown,
            maxup=line.maxup,
            serves=line.serves_label,
        )
        for line in provider_lines(location, "all")
    )
    return PublicResult(level=level.value, level_label=level.label, level_text=LEVEL_TEXTS[level], providers=providers)
