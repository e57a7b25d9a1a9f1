"""The serviceability (FCC broadband availability) service emulator behind `/sandbox/fcc`.

A few demo addresses answer with the shared fixtures byte for byte (DEMO_ADDRESSES, matched
loosely: case, punctuation, spacing and street-suffix spelling do not matter). Any other address
gets a plausible answer derived from a hash of the normalised address, so the same address always
gets the same locations and providers: coordinates inside the given state, a building, 2-7
provider rows from real US providers with FCC-style ids, technology codes and speeds, sometimes
a provider twice (residential and business rows), padded strings or a trailing comma, like the
real service sends. An address without a known state finds no location.

The generated data is invented: it must never be presented as real availability.
"""

import hashlib
import json
import random
import re
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "data" / "fcc"

# (street, city, state, fixture, what it shows)
DEMO_ADDRESSES = [
    ("55 Trinity Ave SW", "Atlanta", "GA", "seed-sample.json", "Atlanta City Hall, the seed's sample: served"),
    ("68 Mitchell St SW", "Atlanta", "GA", "seed-sample-sloppy.txt", "Sloppy JSON: raw newlines, trailing comma"),
    ("39 Main St", "Montpelier", "VT", "rural-unserved.json", "Rural: satellite, wireless, 7/1 DSL: unserved"),
    ("101 S Tryon St", "Charlotte", "NC", "duplicate-rows.json", "Providers repeated per R/B and speed: served"),
    ("52 Chambers St", "New York", "NY", "multi-location.json", "Two structures, the second not a BSL"),
    ("999 Nowhere Ln", "Imaginary City", "KS", "no-match.json", "Does not exist: no location found"),
]

LICENSE = (
    "Fabric location data provided by CostQuest Associates, Inc., all rights reserved. Use of these data are "
    "restricted. Unauthorized access to the Fabric, including scripted or programmatic access, is strictly "
    "prohibited and may be subject to criminal and civil penalties, including, but not limited to, penalties "
    "applicable to knowingly or intentionally accessing a computer without authorization or exceeding authorized "
    "access under 18 U.S.C. \u00a7 1030 and circumvention of technological measures under 17 U.S.C. \u00a7 1201."
)

_ABBREVIATIONS = {
    "AVENUE": "AVE", "STREET": "ST", "ROAD": "RD", "DRIVE": "DR", "BOULEVARD": "BLVD", "LANE": "LN",
    "PLACE": "PL", "COURT": "CT", "PARKWAY": "PKWY", "HIGHWAY": "HWY", "TERRACE": "TER", "CIRCLE": "CIR",
    "SQUARE": "SQ", "TRAIL": "TRL", "EXPRESSWAY": "EXPY", "MOUNT": "MT", "SUITE": "STE", "APARTMENT": "APT",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W",
    "NORTHEAST": "NE", "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
}  # fmt: skip

# A point well inside each state and how far from it (degrees of latitude, longitude) a location
# may lie without leaving the state.
STATE_AREAS = {
    "AL": (32.8, -86.8, 1.0, 0.8), "AK": (61.5, -149.5, 0.5, 1.0), "AZ": (33.8, -111.9, 1.2, 1.2),
    "AR": (34.8, -92.3, 0.9, 1.2), "CA": (36.5, -119.5, 1.0, 0.8), "CO": (39.0, -105.5, 1.0, 2.0),
    "CT": (41.6, -72.7, 0.25, 0.6), "DE": (39.0, -75.45, 0.35, 0.12), "DC": (38.905, -77.03, 0.03, 0.03),
    "FL": (28.5, -81.6, 1.2, 0.6), "GA": (33.0, -83.6, 1.0, 1.0), "HI": (21.45, -157.95, 0.1, 0.15),
    "ID": (43.6, -115.5, 0.8, 1.0), "IL": (40.5, -89.0, 1.5, 1.0), "IN": (39.8, -86.2, 1.0, 0.8),
    "IA": (42.0, -93.5, 0.6, 1.8), "KS": (38.5, -98.0, 0.8, 2.5), "KY": (37.6, -85.3, 0.5, 1.5),
    "LA": (31.0, -92.3, 0.8, 1.0), "ME": (45.0, -69.3, 0.8, 0.8), "MD": (39.3, -76.8, 0.25, 0.4),
    "MA": (42.3, -71.8, 0.2, 0.6), "MI": (43.0, -84.6, 0.8, 0.8), "MN": (45.5, -94.0, 1.5, 1.2),
    "MS": (32.7, -89.7, 1.2, 0.6), "MO": (38.5, -92.5, 1.0, 1.5), "MT": (47.0, -109.5, 1.0, 3.0),
    "NE": (41.5, -99.5, 0.6, 2.5), "NV": (39.0, -117.0, 1.0, 1.0), "NH": (43.5, -71.6, 0.6, 0.3),
    "NJ": (40.2, -74.5, 0.4, 0.2), "NM": (34.5, -106.0, 1.5, 1.5), "NY": (42.8, -75.5, 0.5, 2.0),
    "NC": (35.6, -79.4, 0.5, 1.8), "ND": (47.5, -100.5, 1.0, 2.5), "OH": (40.3, -82.8, 1.0, 1.3),
    "OK": (35.5, -97.5, 0.8, 2.0), "OR": (44.0, -121.0, 1.0, 1.5), "PA": (40.9, -77.6, 0.6, 1.8),
    "RI": (41.7, -71.5, 0.1, 0.08), "SC": (34.0, -81.0, 0.6, 0.8), "SD": (44.4, -100.3, 0.8, 2.5),
    "TN": (35.8, -86.4, 0.4, 1.8), "TX": (31.5, -98.5, 1.5, 2.5), "UT": (39.5, -111.7, 1.2, 1.0),
    "VT": (44.2, -72.7, 0.6, 0.2), "VA": (37.5, -78.5, 0.5, 1.2), "WA": (47.4, -120.5, 0.8, 1.5),
    "WV": (38.7, -80.6, 0.5, 0.6), "WI": (44.5, -89.6, 1.0, 0.8), "WY": (43.0, -107.5, 1.0, 2.0),
    "PR": (18.25, -66.5, 0.1, 0.5),
}  # fmt: skip

TECHNOLOGY_LABELS = {
    "10": "Copper",
    "40": "Cable",
    "50": "Fiber to the Premises",
    "60": "GSO Satellite",
    "61": "NGSO Satellite",
    "70": "Unlicensed Fixed Wireless",
    "71": "Licensed Fixed Wireless",
}

# kind | provider_id | frn | provider_name | brand_name | holding_company_name | technology | down/up offers
_PROVIDER_TABLE = """
fiber|130077|0003733193|AT&T Services, Inc.|AT&T Inc|AT&T Inc.|50|300/300 1000/1000 5000/5000
fiber|131425|0003285391|Verizon Communications Inc.|Verizon|Verizon Communications Inc.|50|500/500 1000/940 2300/2300
fiber|130258|0001570936|Frontier Communications Parent, Inc.|Frontier|Frontier Communications|50|500/500 2000/2000
fiber|130228|0018626853|Qwest Corporation|Quantum Fiber|Lumen Technologies, Inc.|50|500/500 940/940
fiber|131204|0019949445|Metronet Holdings, LLC|Metronet|Metronet Holdings, LLC|50|500/500 1000/1000
fiber|290111|0021993936|Google Fiber Inc.|Google Fiber|Alphabet Inc.|50|1000/1000 2000/1000 5000/5000
cable|130317|0003487824|COMCAST CABLE COMMUNICATIONS, LLC|Xfinity|Comcast Corporation|40|300/10 1200/35 1000/20
cable|130235|0004337384|Charter Communications|Spectrum|Charter Communications Inc|40|300/10 500/20 1000/35
cable|130403|0001834696|Cox Communications, Inc.|Cox|Cox Enterprises, Inc.|40|500/10 1000/35
cable|130116|0004365088|CSC Holdings, LLC|Optimum|Altice USA, Inc.|40|300/20 1000/35
cable|130591|0003764982|Mediacom Communications Corporation|Mediacom|Mediacom Communications Corp.|40|500/20 1000/35
cable|130148|0003725025|Cable One, Inc.|Sparklight|Cable One, Inc.|40|300/20 600/30
dsl|130077|0003733193|AT&T Services, Inc.|AT&T Inc|AT&T Inc.|10|10/1 18/1 75/8 100/20
dsl|130228|0018626853|Qwest Corporation|CenturyLink|Lumen Technologies, Inc.|10|10/1 40/5 100/10
dsl|131310|0003788320|Windstream Communications, LLC|Kinetic by Windstream|Windstream Holdings II, LLC|10|25/3 100/10
dsl|130360|0003703931|Consolidated Communications|Consolidated|Consolidated Communications Holdings|10|7/1 25/3 45/5
dsl|130258|0001570936|Frontier Communications Parent, Inc.|Frontier|Frontier Communications|10|12/1 25/2 45/5
licensed|131011|0001565449|T-Mobile USA, Inc.|T-Mobile Home Internet|T-Mobile US, Inc.|71|133/20 245/31 415/55
licensed|131425|0003285391|Cellco Partnership|Verizon 5G Home|Verizon Communications Inc.|71|100/20 300/50
unlicensed|130978|0015438617|JAB Wireless, Inc.|Rise Broadband|Rise Broadband|70|25/3 50/10 100/20
unlicensed|290067|0024376839|AMG Technology Investment Group, LLC|Nextlink Internet|Nextlink Internet|70|25/5 100/20
satellite|430076|0027136753|Starlink Services, LLC|Starlink|Space Exploration Technologies Corp.|61|220/25
satellite|130627|0009642680|Hughes Network Systems, LLC|HughesNet|Echostar Corporation|60|100/5
satellite|130608|0012524286|Viasat, Inc.|Viasat|Viasat, Inc.|60|150/3
"""


def _catalogue() -> dict[str, list[tuple]]:
    kinds: dict[str, list[tuple]] = {}
    for line in _PROVIDER_TABLE.strip().splitlines():
        kind, provider_id, frn, name, brand, holding, technology, offers = line.split("|")
        speeds = [tuple(int(n) for n in offer.split("/")) for offer in offers.split()]
        kinds.setdefault(kind, []).append((provider_id, frn, name, brand, holding, technology, speeds))
    return kinds


_CATALOGUE = _catalogue()
_SATELLITE = _CATALOGUE.pop("satellite")
# (chance of each kind of provider) by kind of area
_AREAS = {
    "urban": {"fiber": 0.7, "cable": 0.95, "dsl": 0.4, "licensed": 0.6, "unlicensed": 0.05},
    "suburban": {"fiber": 0.4, "cable": 0.9, "dsl": 0.6, "licensed": 0.4, "unlicensed": 0.2},
    "rural": {"fiber": 0.1, "cable": 0.15, "dsl": 0.6, "licensed": 0.3, "unlicensed": 0.6},
}


def normalize(address: str) -> str:
    # "S.W." is "SW" and "O'Neil" is "ONEIL"; any other punctuation separates words.
    text = re.sub(r"[.']", "", (address or "").upper())
    words = re.sub(r"[^A-Z0-9]+", " ", text).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


@cache
def _demo_keys() -> dict[str, str]:
    return {normalize(f"{street} {city}, {state}"): fixture for street, city, state, fixture, _ in DEMO_ADDRESSES}


def demo_fixture(address: str) -> str | None:
    return _demo_keys().get(normalize(address))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def _request_date() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"


def _envelope(data, *, message=None, status="successful", status_code=200) -> dict:
    return {
        "data": data,
        "result_count": len(data or []),
        "status_code": status_code,
        "message": message,
        "status": status,
        "request_date": _request_date(),
    }


def missing_address() -> bytes:
    message = "An address is required: <street> <city>, <ST>"
    return json.dumps(_envelope(None, message=message, status="failed", status_code=400), indent=1).encode()


def answer(address: str) -> bytes:
    """The body the service sends for `address` (never empty: see missing_address())."""
    fixture = demo_fixture(address)
    if fixture:
        return fixture_bytes(fixture)
    key = normalize(address)
    state = key.rsplit(" ", 1)[-1] if key else ""
    if state not in STATE_AREAS:
        return json.dumps(_envelope([], message="No location found for address"), indent=1).encode()
    rng = random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))
    locations = [_location(rng, state)]
    if rng.random() < 0.15:
        locations.append(_outbuilding(rng, locations[0]))
    text = json.dumps(_envelope(locations), indent=1)
    if rng.random() < 0.15:
        # The real service sometimes leaves a comma after the last provider row.
        text = text.replace("}\n   ]", "},\n   ]", 1)
    return text.encode()


def _pad(rng: random.Random, text: str, sloppy: bool) -> str:
    if not sloppy or rng.random() < 0.5:
        return text
    return rng.choice(["\n{} ", "\n{}", " {}", "{} "]).format(text)


def _row(rng, provider, location_id: int, bizrescode: str, sloppy: bool) -> dict:
    provider_id, frn, name, brand, holding, technology, speeds = provider
    down, up = rng.choice(speeds)
    if bizrescode == "B" and not brand.endswith("Business"):
        brand = f"{brand} Business"
    return {
        "location_id": location_id,
        "provider_name": _pad(rng, name, sloppy),
        "brand_name": _pad(rng, brand, sloppy),
        "technology_code": technology,
        "bizrescode": bizrescode,
        "maxdown": down,
        "maxup": up,
        "lowlatency": 0 if technology == "60" else 1,
        "frn": frn,
        "provider_id": provider_id,
        "holding_company_name": _pad(rng, holding, sloppy),
        "technology_code_type": _pad(rng, TECHNOLOGY_LABELS[technology], sloppy),
        "prov_tech_flag": False,
    }


def _location(rng: random.Random, state: str) -> dict:
    lat, lon, dlat, dlon = STATE_AREAS[state]
    area = rng.choices(list(_AREAS), weights=[40, 35, 25])[0]
    building = rng.choices(["R", "B", "X"], weights=[70, 20, 10])[0]
    units = 1 if building == "R" and rng.random() < 0.7 else rng.randint(2, 300 if area == "urban" else 24)
    location_id = rng.randrange(1_000_000_000, 10_000_000_000)
    sloppy = rng.random() < 0.3

    providers = []
    for kind, chance in _AREAS[area].items():
        if rng.random() < chance:
            providers.append(rng.choice(_CATALOGUE[kind]))
    satellites = rng.sample(_SATELLITE, k=2 if area == "rural" else 1)
    # At most 7 rows: the satellites always stay, wired providers first among the rest.
    rows = []
    for provider in providers[: 7 - len(satellites)]:
        rows.append(_row(rng, provider, location_id, rng.choices(["X", "R"], weights=[70, 30])[0], sloppy))
        if rows[-1]["bizrescode"] == "R" and len(rows) + len(satellites) < 7:
            rows.append(_row(rng, provider, location_id, "B", sloppy))
    rows += [_row(rng, provider, location_id, "X", sloppy) for provider in satellites]
    if len(rows) < 2:
        spare = next(p for p in _SATELLITE if p not in satellites)
        rows.append(_row(rng, spare, location_id, "X", sloppy))
    return {
        "coordinates": [round(lat + rng.uniform(-dlat, dlat), 7), round(lon + rng.uniform(-dlon, dlon), 7)],
        "unitCount": units,
        "buildingTypeCode": building,
        "bsl_flag": True,
        "license": LICENSE,
        "detail": rows,
    }


def _outbuilding(rng: random.Random, main: dict) -> dict:
    lat, lon = main["coordinates"]
    return {
        "coordinates": [round(lat + rng.uniform(-0.0003, 0.0003), 7), round(lon + rng.uniform(-0.0003, 0.0003), 7)],
        "unitCount": 0,
        "buildingTypeCode": rng.choice(["X", "B"]),
        "bsl_flag": False,
        "license": LICENSE,
        "detail": [],
    }
