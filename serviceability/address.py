"""Normalize a street address typed by a rep: the upstream lookup string, the unit, and a cache key.

The serviceability service knows structures, not apartments, so the unit is split off and kept for the
CRM lead while the lookup goes without it. ``key`` gives every spelling of one address the same string
(upper case, no punctuation, USPS Publication 28 suffixes and directionals), so the cache and the
stored checks treat "1600 Amphitheatre Parkway, Apt 4" and "1600 amphitheatre pkwy." as one place.

It must never import Django, make network calls, or guess beyond the street line's last words: a
suffix or directional is abbreviated only where it belongs, so "Avenue of the Americas" stays intact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "US_STATES",
    "NormalizedAddress",
    "is_state_code",
    "normalize_address",
    "state_code",
]

# --- States ---------------------------------------------------------------------------------------

US_STATES: list[tuple[str, str]] = [
    ("AL", "Alabama"),
    ("AK", "Alaska"),
    ("AS", "American Samoa"),
    ("AZ", "Arizona"),
    ("AR", "Arkansas"),
    ("CA", "California"),
    ("CO", "Colorado"),
    ("CT", "Connecticut"),
    ("DE", "Delaware"),
    ("DC", "District of Columbia"),
    ("FL", "Florida"),
    ("GA", "Georgia"),
    ("GU", "Guam"),
    ("HI", "Hawaii"),
    ("ID", "Idaho"),
    ("IL", "Illinois"),
    ("IN", "Indiana"),
    ("IA", "Iowa"),
    ("KS", "Kansas"),
    ("KY", "Kentucky"),
    ("LA", "Louisiana"),
    ("ME", "Maine"),
    ("MD", "Maryland"),
    ("MA", "Massachusetts"),
    ("MI", "Michigan"),
    ("MN", "Minnesota"),
    ("MS", "Mississippi"),
    ("MO", "Missouri"),
    ("MT", "Montana"),
    ("NE", "Nebraska"),
    ("NV", "Nevada"),
    ("NH", "New Hampshire"),
    ("NJ", "New Jersey"),
    ("NM", "New Mexico"),
    ("NY", "New York"),
    ("NC", "North Carolina"),
    ("ND", "North Dakota"),
    ("MP", "Northern Mariana Islands"),
    ("OH", "Ohio"),
    ("OK", "Oklahoma"),
    ("OR", "Oregon"),
    ("PA", "Pennsylvania"),
    ("PR", "Puerto Rico"),
    ("RI", "Rhode Island"),
    ("SC", "South Carolina"),
    ("SD", "South Dakota"),
    ("TN", "Tennessee"),
    ("TX", "Texas"),
    ("VI", "U.S. Virgin Islands"),
    ("UT", "Utah"),
    ("VT", "Vermont"),
    ("VA", "Virginia"),
    ("WA", "Washington"),
    ("WV", "West Virginia"),
    ("WI", "Wisconsin"),
    ("WY", "Wyoming"),
]

_STATE_CODES = frozenset(code for code, _ in US_STATES)
_STATE_BY_NAME = {name.upper(): code for code, name in US_STATES} | {
    "VIRGIN ISLANDS": "VI",
    "US VIRGIN ISLANDS": "VI",
    "WASHINGTON DC": "DC",
}


def is_state_code(value: str) -> bool:
    """True for a two-letter code of a state, DC, Puerto Rico or a territory (any case)."""
    return value.strip().upper() in _STATE_CODES


def state_code(value: str) -> str | None:
    """The two-letter code for a code or a full name ("ca", "California"), else None."""
    text = " ".join(value.upper().split())
    for candidate in (text, text.replace(".", ""), " ".join(text.replace(".", " ").split())):
        if candidate in _STATE_CODES:
            return candidate
        if candidate in _STATE_BY_NAME:
            return _STATE_BY_NAME[candidate]
    return None


# --- USPS Publication 28 vocabulary ---------------------------------------------------------------

# Standard abbreviation -> the spellings Publication 28 (appendix C1) lists for it.
_SUFFIX_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ALY": ("ALLEY", "ALLEE", "ALLY"),
    "ANX": ("ANNEX", "ANEX", "ANNX"),
    "ARC": ("ARCADE",),
    "AVE": ("AVENUE", "AV", "AVEN", "AVENU", "AVN", "AVNUE"),
    "BYU": ("BAYOU", "BAYOO"),
    "BCH": ("BEACH",),
    "BND": ("BEND",),
    "BLF": ("BLUFF", "BLUF"),
    "BLVD": ("BOULEVARD", "BOUL", "BOULV"),
    "BR": ("BRANCH", "BRNCH"),
    "BRG": ("BRIDGE", "BRDGE"),
    "BRK": ("BROOK",),
    "BYP": ("BYPASS", "BYPA", "BYPAS", "BYPS"),
    "CP": ("CAMP", "CMP"),
    "CYN": ("CANYON", "CANYN", "CNYN"),
    "CPE": ("CAPE",),
    "CSWY": ("CAUSEWAY", "CAUSWA"),
    "CTR": ("CENTER", "CEN", "CENT", "CENTR", "CENTRE", "CNTER", "CNTR"),
    "CIR": ("CIRCLE", "CIRC", "CIRCL", "CRCL", "CRCLE"),
    "CLF": ("CLIFF",),
    "CLFS": ("CLIFFS",),
    "CLB": ("CLUB",),
    "CMN": ("COMMON",),
    "COR": ("CORNER",),
    "CORS": ("CORNERS",),
    "CRSE": ("COURSE",),
    "CT": ("COURT",),
    "CTS": ("COURTS",),
    "CV": ("COVE",),
    "CRK": ("CREEK",),
    "CRES": ("CRESCENT", "CRSENT", "CRSNT"),
    "XING": ("CROSSING", "CRSSNG"),
    "XRD": ("CROSSROAD",),
    "CURV": ("CURVE",),
    "DL": ("DALE",),
    "DM": ("DAM",),
    "DV": ("DIVIDE", "DIV", "DVD"),
    "DR": ("DRIVE", "DRIV", "DRV"),
    "EST": ("ESTATE",),
    "ESTS": ("ESTATES",),
    "EXPY": ("EXPRESSWAY", "EXP", "EXPR", "EXPRESS", "EXPW"),
    "EXT": ("EXTENSION", "EXTN", "EXTNSN"),
    "FLS": ("FALLS",),
    "FRY": ("FERRY", "FRRY"),
    "FLD": ("FIELD",),
    "FLDS": ("FIELDS",),
    "FLT": ("FLAT",),
    "FLTS": ("FLATS",),
    "FRD": ("FORD",),
    "FRST": ("FOREST", "FORESTS"),
    "FRG": ("FORGE", "FORG"),
    "FRK": ("FORK",),
    "FRKS": ("FORKS",),
    "FT": ("FORT", "FRT"),
    "FWY": ("FREEWAY", "FREEWY", "FRWAY", "FRWY"),
    "GDN": ("GARDEN", "GARDN", "GRDEN", "GRDN"),
    "GDNS": ("GARDENS", "GRDNS"),
    "GTWY": ("GATEWAY", "GATEWY", "GATWAY", "GTWAY"),
    "GLN": ("GLEN",),
    "GRN": ("GREEN",),
    "GRV": ("GROVE", "GROV"),
    "HBR": ("HARBOR", "HARB", "HARBR", "HRBOR"),
    "HVN": ("HAVEN",),
    "HTS": ("HEIGHTS", "HT"),
    "HWY": ("HIGHWAY", "HIGHWY", "HIWAY", "HIWY", "HWAY"),
    "HL": ("HILL",),
    "HLS": ("HILLS",),
    "HOLW": ("HOLLOW", "HLLW", "HOLLOWS", "HOLWS"),
    "INLT": ("INLET",),
    "IS": ("ISLAND", "ISLND"),
    "ISS": ("ISLANDS", "ISLNDS"),
    "ISLE": ("ISLES",),
    "JCT": ("JUNCTION", "JCTION", "JCTN", "JUNCTN", "JUNCTON"),
    "KY": ("KEY",),
    "KNL": ("KNOLL", "KNOL"),
    "KNLS": ("KNOLLS",),
    "LK": ("LAKE",),
    "LKS": ("LAKES",),
    "LNDG": ("LANDING", "LNDNG"),
    "LN": ("LANE",),
    "LGT": ("LIGHT",),
    "LCK": ("LOCK",),
    "LCKS": ("LOCKS",),
    "LDG": ("LODGE", "LDGE", "LODG"),
    "LOOP": ("LOOPS",),
    "MALL": (),
    "MNR": ("MANOR",),
    "MNRS": ("MANORS",),
    "MDW": ("MEADOW",),
    "MDWS": ("MEADOWS", "MEDOWS"),
    "ML": ("MILL",),
    "MLS": ("MILLS",),
    "MSN": ("MISSION", "MISSN", "MSSN"),
    "MTWY": ("MOTORWAY",),
    "MT": ("MOUNT", "MNT"),
    "MTN": ("MOUNTAIN", "MNTAIN", "MNTN", "MOUNTIN", "MTIN"),
    "NCK": ("NECK",),
    "ORCH": ("ORCHARD", "ORCHRD"),
    "OVAL": ("OVL",),
    "PARK": ("PRK", "PARKS"),
    "PKWY": ("PARKWAY", "PARKWY", "PKWAY", "PKY", "PARKWAYS", "PKWYS"),
    "PASS": (),
    "PATH": ("PATHS",),
    "PIKE": ("PIKES",),
    "PNE": ("PINE",),
    "PNES": ("PINES",),
    "PL": ("PLACE",),
    "PLN": ("PLAIN",),
    "PLNS": ("PLAINS",),
    "PLZ": ("PLAZA", "PLZA"),
    "PT": ("POINT",),
    "PTS": ("POINTS",),
    "PRT": ("PORT",),
    "PRTS": ("PORTS",),
    "PR": ("PRAIRIE", "PRR"),
    "RADL": ("RADIAL", "RAD", "RADIEL"),
    "RNCH": ("RANCH", "RANCHES", "RNCHS"),
    "RPD": ("RAPID",),
    "RPDS": ("RAPIDS",),
    "RST": ("REST",),
    "RDG": ("RIDGE", "RDGE"),
    "RDGS": ("RIDGES",),
    "RIV": ("RIVER", "RVR", "RIVR"),
    "RD": ("ROAD",),
    "RDS": ("ROADS",),
    "RTE": ("ROUTE",),
    "ROW": (),
    "RUN": (),
    "SHL": ("SHOAL",),
    "SHLS": ("SHOALS",),
    "SHR": ("SHORE", "SHOAR"),
    "SHRS": ("SHORES",),
    "SKWY": ("SKYWAY",),
    "SPG": ("SPRING", "SPNG", "SPRNG"),
    "SPGS": ("SPRINGS",),
    "SQ": ("SQUARE", "SQR", "SQRE", "SQU"),
    "STA": ("STATION", "STATN", "STN"),
    "STRM": ("STREAM",),
    "ST": ("STREET", "STRT", "STR"),
    "STS": ("STREETS",),
    "SMT": ("SUMMIT", "SUMIT", "SUMITT"),
    "TER": ("TERRACE", "TERR"),
    "TRCE": ("TRACE", "TRACES"),
    "TRAK": ("TRACK", "TRACKS", "TRK", "TRKS"),
    "TRL": ("TRAIL", "TRAILS", "TRLS"),
    "TUNL": ("TUNNEL",),
    "TPKE": ("TURNPIKE", "TRNPK", "TURNPK"),
    "UN": ("UNION",),
    "VLY": ("VALLEY", "VALLY", "VLLY"),
    "VIA": ("VIADUCT", "VDCT", "VIADCT"),
    "VW": ("VIEW",),
    "VLG": ("VILLAGE", "VILL", "VILLAG", "VILLG"),
    "VL": ("VILLE",),
    "VIS": ("VISTA", "VIST", "VST", "VSTA"),
    "WALK": ("WALKS",),
    "WAY": ("WY",),
    "WL": ("WELL",),
    "WLS": ("WELLS",),
}
_SUFFIXES: dict[str, str] = {
    spelling: standard for standard, spellings in _SUFFIX_SPELLINGS.items() for spelling in (standard, *spellings)
}

_DIRECTIONALS: dict[str, str] = {
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
    "NORTHEAST": "NE",
    "NORTHWEST": "NW",
    "SOUTHEAST": "SE",
    "SOUTHWEST": "SW",
} | {short: short for short in ("N", "S", "E", "W", "NE", "NW", "SE", "SW")}

# Secondary unit designators (Publication 28 appendix C2) that take a number after them.
_UNIT_DESIGNATORS: dict[str, str] = {
    "APT": "APT",
    "APARTMENT": "APT",
    "UNIT": "UNIT",
    "STE": "STE",
    "SUITE": "STE",
    "#": "#",
    "BLDG": "BLDG",
    "BUILDING": "BLDG",
    "FL": "FL",
    "FLOOR": "FL",
    "RM": "RM",
    "ROOM": "RM",
    "LOT": "LOT",
    "SPC": "SPC",
    "SPACE": "SPC",
    "TRLR": "TRLR",
    "TRAILER": "TRLR",
    "DEPT": "DEPT",
    "DEPARTMENT": "DEPT",
    "HNGR": "HNGR",
    "HANGER": "HNGR",
    "PIER": "PIER",
    "SLIP": "SLIP",
    "STOP": "STOP",
}

# --- Normalizing ----------------------------------------------------------------------------------

# Characters that carry meaning in a street line: house number ranges (123-45), fractions (1/2),
# unit marks (#4B), names (O'Brien, A&P). Everything else is punctuation the key ignores.
_STRAY_PUNCTUATION = re.compile(r"[^\w\s#\-/&']")


@dataclass(frozen=True)
class NormalizedAddress:
    street: str
    unit: str
    city: str
    state: str
    key: str
    lookup: str


def _tokens(text: str) -> list[str]:
    text = _STRAY_PUNCTUATION.sub(" ", text)
    # "#4B" and "APT#4B" are a designator and a number.
    text = re.sub(r"\s*#\s*", " # ", text)
    return text.split()


def _is_unit_start(tokens: list[str], index: int) -> bool:
    word = tokens[index].upper()
    if word not in _UNIT_DESIGNATORS:
        return False
    if word == "#":
        return index + 1 < len(tokens)
    # "100 Space Center Dr", "5 Parking Lot Rd": a designator word right after the number, or one
    # followed by a street suffix, is part of the street name.
    if index < 2 or index + 1 >= len(tokens):
        return False
    return tokens[index + 1].upper() not in _SUFFIXES


def _split_unit(tokens: list[str]) -> tuple[list[str], list[str]]:
    for index in range(1, len(tokens)):
        if _is_unit_start(tokens, index):
            return tokens[:index], tokens[index:]
    # A "#" with nothing after it marks no unit.
    return [part for part in tokens if part != "#"], []


def _format_unit(tokens: list[str]) -> str:
    if not tokens:
        return ""
    designator = _UNIT_DESIGNATORS[tokens[0].upper()]
    # "Apt #4B" says the designator twice.
    rest = [part.upper() for part in tokens[1:] if part != "#"]
    return " ".join([designator, *rest])


def _key_words(text: str) -> list[str]:
    # "O'Brien" and "OBrien" are one street to the key; the display keeps the apostrophe.
    return text.replace("'", "").upper().split()


def _street_key(tokens: list[str]) -> str:
    words = _key_words(" ".join(tokens))
    # Abbreviate only at the end of the line: an optional post-directional, before it the suffix.
    first_name = 1 if words and words[0][:1].isdigit() else 0
    end = len(words)
    if end - first_name >= 3 and words[end - 1] in _DIRECTIONALS:
        words[end - 1] = _DIRECTIONALS[words[end - 1]]
        end -= 1
    if end - first_name >= 2 and words[end - 1] in _SUFFIXES:
        words[end - 1] = _SUFFIXES[words[end - 1]]
        end -= 1
    # A leading directional is a pre-directional only when a name follows ("N Main St", not "North Ave").
    if end - first_name >= 2 and words[first_name] in _DIRECTIONALS:
        words[first_name] = _DIRECTIONALS[words[first_name]]
    return " ".join(words)


def _collapse(text: str) -> str:
    return " ".join(text.split())


def normalize_address(street: str, city: str, state: str) -> NormalizedAddress:
    """Split off the unit and build the lookup string and the canonical key for one address.

    ``street`` and ``city`` keep the rep's spelling (whitespace collapsed, stray punctuation removed);
    only ``key`` is upper case and abbreviated. A full state name is turned into its code.
    """
    street_tokens, unit_tokens = _split_unit(_tokens(street))
    street_line = " ".join(street_tokens)
    city_line = _collapse(_STRAY_PUNCTUATION.sub(" ", city))
    state_line = state_code(state) or _collapse(state).upper()
    key = "|".join((_street_key(street_tokens), " ".join(_key_words(city_line)), state_line))
    return NormalizedAddress(
        street=street_line,
        unit=_format_unit(unit_tokens),
        city=city_line,
        state=state_line,
        key=key,
        lookup=f"{street_line} {city_line}, {state_line}",
    )
