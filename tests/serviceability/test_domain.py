"""Provider lines, technology names and the BEAD service level, on hand-built locations."""

import json
from pathlib import Path

import pytest

from serviceability.domain import (
    BeadLevel,
    ProviderLine,
    bead_level,
    level_because,
    level_reason,
    provider_lines,
    row_bead_level,
    service_summary,
    technology_category,
    technology_label,
    technology_name,
)
from serviceability.parser import Location, ProviderRow, parse_response

DATA = Path(__file__).resolve().parent.parent / "data" / "serviceability"


def row(**fields) -> ProviderRow:
    defaults = {
        "provider_id": "100001",
        "brand_name": "Acme",
        "technology_code": 50,
        "bizrescode": "R",
        "maxdown": 100.0,
        "maxup": 20.0,
        "lowlatency": True,
    }
    return ProviderRow(**(defaults | fields))


def location(*rows: ProviderRow) -> Location:
    return Location(rows=rows)


# --- BEAD level -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("down", "up", "expected"),
    [
        (24.9, 3, BeadLevel.UNSERVED),
        (25, 2.9, BeadLevel.UNSERVED),
        (25, 3, BeadLevel.UNDERSERVED),
        (99.9, 20, BeadLevel.UNDERSERVED),
        (100, 19.9, BeadLevel.UNDERSERVED),
        (100, 20, BeadLevel.SERVED),
        (5000, 5000, BeadLevel.SERVED),
    ],
)
def test_it_applies_the_bead_speed_thresholds(down, up, expected):
    assert bead_level(location(row(maxdown=down, maxup=up))) is expected


@pytest.mark.parametrize("lowlatency", [False, None])
def test_high_or_unknown_latency_is_unserved_at_any_speed(lowlatency):
    assert bead_level(location(row(maxdown=1000, maxup=1000, lowlatency=lowlatency))) is BeadLevel.UNSERVED


@pytest.mark.parametrize("missing", ["maxdown", "maxup"])
def test_a_missing_speed_is_unserved(missing):
    speeds = {"maxdown": 1000.0, "maxup": 1000.0} | {missing: None}

    assert bead_level(location(row(**speeds))) is BeadLevel.UNSERVED


@pytest.mark.parametrize("code", [60, 61, 70, 0, 99, None])
def test_satellite_unlicensed_wireless_and_other_technologies_never_count(code):
    fast = row(technology_code=code, maxdown=1000, maxup=1000)

    assert row_bead_level(fast) is None
    assert bead_level(location(fast)) is BeadLevel.UNSERVED


@pytest.mark.parametrize("code", [10, 40, 50, 71, 72])
def test_reliable_technologies_count(code):
    assert bead_level(location(row(technology_code=code))) is BeadLevel.SERVED


def test_the_location_takes_its_best_row():
    rows = (row(technology_code=10, maxdown=10, maxup=1), row(technology_code=40, maxdown=300, maxup=20))

    assert bead_level(location(*rows)) is BeadLevel.SERVED


def test_a_location_without_rows_is_unserved():
    assert bead_level(location()) is BeadLevel.UNSERVED


def test_each_audience_counts_its_own_rows_and_rows_for_both():
    business_fiber = row(bizrescode="B", maxdown=1000, maxup=1000)
    residential_dsl = row(provider_id="2", technology_code=10, bizrescode="R", maxdown=50, maxup=5)
    both_cable = row(provider_id="3", technology_code=40, bizrescode="X", maxdown=300, maxup=10)
    place = location(business_fiber, residential_dsl, both_cable)

    assert bead_level(place, "residential") is BeadLevel.UNDERSERVED
    assert bead_level(place, "business") is BeadLevel.SERVED
    assert bead_level(location(business_fiber), "residential") is BeadLevel.UNSERVED


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="audience"):
        bead_level(location(row()), "everyone")


def test_levels_have_labels():
    assert [level.label for level in BeadLevel] == ["Unserved", "Underserved", "Served"]
    assert BeadLevel("served") is BeadLevel.SERVED


# --- Technologies ---------------------------------------------------------------------------------


def test_technology_names_come_from_the_fcc_codes():
    assert technology_name(50) == "Fiber to the premises"
    assert technology_name(10) == "Copper wire (DSL)"
    assert technology_name(61) == "Non-geostationary satellite"
    assert technology_name(72) == "Licensed-by-rule fixed wireless"
    assert technology_name(99) == "Technology 99"
    assert technology_category(72) == "licensed_fixed_wireless"
    assert technology_category(None) == "other"


def test_a_known_technology_has_one_name_whatever_label_the_service_sends():
    assert technology_label(10, "Copper") == "DSL"
    assert technology_label(10, "") == "DSL"
    assert technology_label(50, "Fiber to the Premises") == technology_label(50) == "Fiber"


def test_an_unknown_technology_shows_the_label_the_service_sent():
    assert technology_label(99, "Laser beam") == "Laser beam"
    assert technology_label(99, "") == "Technology 99"


# --- Provider lines -------------------------------------------------------------------------------


def test_lines_are_grouped_by_provider_id_never_by_name():
    place = location(
        row(brand_name="Spectrum", technology_code=40, bizrescode="R", maxdown=300, maxup=10),
        row(brand_name="Spectrum Business", technology_code=40, bizrescode="B", maxdown=1000, maxup=35),
        row(provider_id="999", brand_name="Spectrum", technology_code=40, bizrescode="R", maxdown=50, maxup=5),
    )

    lines = provider_lines(place)

    assert [(line.provider_id, line.maxdown) for line in lines] == [("100001", 1000), ("999", 50)]


def test_one_provider_gets_a_line_per_technology():
    place = location(row(technology_code=50), row(technology_code=10, maxdown=75, maxup=8))

    assert [line.technology_code for line in provider_lines(place)] == [50, 10]


def test_a_line_takes_the_best_rows_speeds_and_latency():
    place = location(
        row(maxdown=1000, maxup=35, lowlatency=False),
        row(maxdown=1000, maxup=50, lowlatency=True),
        row(maxdown=None, maxup=None),
    )

    (line,) = provider_lines(place)

    assert (line.maxdown, line.maxup, line.lowlatency) == (1000, 50, True)


@pytest.mark.parametrize(
    ("codes", "serves", "label"),
    [
        (["R"], "R", "Residential"),
        (["B", "B"], "B", "Business"),
        (["R", "B"], "X", "Residential & business"),
        (["X"], "X", "Residential & business"),
        (["B", "X"], "X", "Residential & business"),
    ],
)
def test_a_line_says_whom_it_serves(codes, serves, label):
    (line,) = provider_lines(location(*(row(bizrescode=code) for code in codes)))

    assert (line.serves, line.serves_label) == (serves, label)


def test_the_brand_comes_from_a_residential_row_when_there_is_one():
    place = location(
        row(brand_name="Spectrum Business", bizrescode="B", maxdown=1000, maxup=35),
        row(brand_name="Spectrum", bizrescode="R", maxdown=300, maxup=10),
    )

    (line,) = provider_lines(place)

    assert (line.brand_name, line.maxdown) == ("Spectrum", 1000)


def test_the_brand_comes_from_the_best_row_when_all_rows_are_business():
    place = location(row(brand_name="Slow Biz", bizrescode="B", maxdown=10), row(brand_name="Fast Biz", bizrescode="B"))

    assert provider_lines(place)[0].brand_name == "Fast Biz"


def test_the_audience_filter_selects_rows_before_lines_are_made():
    place = location(
        row(brand_name="Spectrum", technology_code=40, bizrescode="R", maxdown=300, maxup=10),
        row(brand_name="Spectrum Business", technology_code=40, bizrescode="B", maxdown=1000, maxup=35),
        row(provider_id="2", brand_name="Biz Fiber", bizrescode="B"),
    )

    residential = provider_lines(place, "residential")
    business = provider_lines(place, "business")

    assert [(line.brand_name, line.maxdown, line.serves) for line in residential] == [("Spectrum", 300, "R")]
    # Spectrum Business's 1000/35 is Served-grade; Biz Fiber reports no speeds at all.
    assert [(line.brand_name, line.serves) for line in business] == [("Spectrum Business", "B"), ("Biz Fiber", "B")]
    assert len(provider_lines(place, "all")) == 2


def test_lines_of_equal_grade_and_speed_sort_by_technology():
    codes = [0, 61, 70, 10, 72, 40, 50, 60, 71]
    place = location(*(row(provider_id=str(code), technology_code=code) for code in codes))

    categories = [line.technology_category for line in provider_lines(place)]

    assert categories == [
        "fiber",
        "cable",
        "licensed_fixed_wireless",
        "licensed_fixed_wireless",
        "dsl",
        "unlicensed_fixed_wireless",
        "satellite",
        "satellite",
        "other",
    ]


def test_within_a_technology_faster_lines_come_first_and_unknown_speeds_last():
    place = location(
        row(provider_id="1", brand_name="Zed", maxdown=500, maxup=500),
        row(provider_id="2", brand_name="Unknown", maxdown=None, maxup=None),
        row(provider_id="3", brand_name="Beta", maxdown=1000, maxup=100),
        row(provider_id="4", brand_name="Alpha", maxdown=1000, maxup=1000),
        row(provider_id="5", brand_name="alpha two", maxdown=500, maxup=500),
    )

    names = [line.brand_name for line in provider_lines(place)]

    assert names == ["Alpha", "Beta", "alpha two", "Zed", "Unknown"]


def test_a_line_round_trips_through_json():
    line = provider_lines(location(row(technology_code_type="Fiber to the Premises")))[0]

    assert ProviderLine.from_dict(json.loads(json.dumps(line.to_dict()))) == line
    assert line.technology_label == "Fiber"


# --- Summary --------------------------------------------------------------------------------------


def test_the_summary_names_the_level_and_the_best_provider_per_technology():
    place = parse_response((DATA / "duplicate-rows.json").read_bytes()).locations[0]

    assert service_summary(place) == (
        "Served (residential). Best per technology: Fiber: AT&T Inc 5000/5000 Mbps; "
        "Cable: Spectrum 1000/35 Mbps; DSL: AT&T Inc 75/8 Mbps"
    )


def test_the_summary_of_a_location_without_providers_says_so():
    assert service_summary(location()) == "Unserved (residential). No providers reported."
    assert service_summary(None) == "No location found for this address."


def test_a_long_summary_drops_whole_technologies_and_counts_them():
    name = "A Very Long Regional Broadband Cooperative Brand Name Incorporated"
    codes = [50, 40, 71, 10, 70, 61, 0]
    place = location(*(row(provider_id=str(code), brand_name=name, technology_code=code) for code in codes))

    text = service_summary(place)

    assert len(text) <= 250
    assert text.startswith("Served (residential). Best per technology: Fiber: ")
    items = text.split(": ", 1)[1].split("; ")
    assert items[-1].startswith("+") and items[-1].endswith(" more")
    assert all(item.endswith(" Mbps") for item in items[:-1])
    assert int(items[-1].split()[0]) == len(codes) - (len(items) - 1)


# --- Best for the customer first, and why the level ------------------------------------------------


def test_a_line_qualifying_for_a_higher_level_comes_before_a_faster_one_that_does_not():
    place = location(
        row(provider_id="1", brand_name="Copper Co", technology_code=10, maxdown=7, maxup=1),
        row(provider_id="2", brand_name="Starlink", technology_code=61, maxdown=220, maxup=25),
        row(provider_id="3", brand_name="Cable Co", technology_code=40, maxdown=50, maxup=5),
        row(provider_id="4", brand_name="Fiber Co", technology_code=50, maxdown=300, maxup=300),
        row(provider_id="5", brand_name="Slow Cable", technology_code=40, maxdown=30, maxup=3),
    )

    lines = provider_lines(place)

    assert [(line.brand_name, line.grade) for line in lines] == [
        ("Fiber Co", BeadLevel.SERVED),
        ("Cable Co", BeadLevel.UNDERSERVED),
        ("Slow Cable", BeadLevel.UNDERSERVED),
        ("Starlink", None),  # the rest, by speed: 220 Mbps satellite before 7/1 copper
        ("Copper Co", BeadLevel.UNSERVED),
    ]


def test_a_fast_line_without_low_latency_does_not_qualify_as_served():
    place = location(
        row(provider_id="1", brand_name="Laggy Cable", technology_code=40, maxdown=1000, maxup=50, lowlatency=False),
        row(provider_id="2", brand_name="Plain DSL", technology_code=10, maxdown=40, maxup=5),
    )

    assert [line.brand_name for line in provider_lines(place)] == ["Plain DSL", "Laggy Cable"]


def test_the_reason_names_the_line_that_decides_the_level():
    served = location(
        row(provider_id="1", brand_name="Xfinity", technology_code=40, maxdown=1200, maxup=35),
        row(provider_id="2", brand_name="AT&T", technology_code=10, maxdown=10, maxup=1),
    )
    underserved = location(row(brand_name="Consolidated", technology_code=10, maxdown=50, maxup=10))

    assert level_reason(served) == "Served: Xfinity (Cable) offers 1200/35 Mbps with low latency."
    assert level_reason(underserved) == (
        "Underserved: At best Consolidated (DSL) offers 50/10 Mbps; Served needs 100/20 Mbps."
    )


def test_the_reason_of_an_unserved_location_says_what_does_not_count():
    place = location(
        row(provider_id="1", brand_name="Consolidated", technology_code=10, maxdown=7, maxup=1),
        row(provider_id="2", brand_name="Starlink", technology_code=61, maxdown=220, maxup=25),
    )

    reason = level_reason(place)

    assert reason.startswith("Unserved: No wired or licensed wireless line reaches 25/3 Mbps")
    assert "best: Consolidated, DSL, 7/1 Mbps" in reason
    assert "Starlink (Low-orbit satellite, 220/25 Mbps) is available but does not count for BEAD." in reason
    assert level_because(location()) == "No wired or licensed wireless provider is reported here."
