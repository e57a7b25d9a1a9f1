"""parse_response on every recorded answer, on sloppy variations, and the snapshot round trip."""

import json
import pickle
from pathlib import Path

import pytest

from serviceability.domain import BeadLevel, bead_level, provider_lines
from serviceability.parser import (
    Location,
    ProviderRow,
    ServiceabilityError,
    ServiceabilityResult,
    ServiceabilityUnavailable,
    parse_response,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "serviceability"
PARSEABLE = [
    "seed-sample.json",
    "seed-sample-sloppy.txt",
    "seed-sample.raw.txt",
    "rural-unserved.json",
    "duplicate-rows.json",
    "multi-location.json",
    "no-match.json",
]


def parse_fixture(name: str) -> ServiceabilityResult:
    return parse_response((DATA / name).read_bytes())


def summary(lines):
    return [(line.brand_name, line.technology_category, line.maxdown, line.maxup, line.serves) for line in lines]


def envelope(**overrides) -> str:
    body = {"data": [], "result_count": 0, "status_code": 200, "message": None, "status": "successful"}
    body.update(overrides)
    return json.dumps(body)


# --- The seed sample and its sloppy twin ----------------------------------------------------------


def test_it_strips_padded_strings():
    result = parse_fixture("seed-sample.json")

    assert result.status == "successful"
    row = result.locations[0].rows[1]
    assert row.brand_name == "Xfinity"
    assert row.provider_name == "COMCAST CABLE COMMUNICATIONS, LLC"
    assert row.holding_company_name == "Comcast Corporation"
    assert row.technology_code_type == "Cable"


def test_it_types_the_seed_sample_fields():
    result = parse_fixture("seed-sample.json")

    assert result.found
    assert result.status_code == 200
    assert result.message is None
    assert result.result_count == 1
    assert result.request_date == "2026-11-27T16:42:21.481Z"
    location = result.locations[0]
    assert location.coordinates == (33.7489954, -84.3879824)
    assert location.unit_count == 99
    assert location.building_type_code == "B"
    assert location.bsl_flag is True
    assert location.license.startswith("Fabric location data provided by CostQuest")
    assert "\u00a7 1030" in location.license
    first = location.rows[0]
    assert first == ProviderRow(
        location_id="1012345678",
        provider_name="BellSouth Telecommunications, LLC",
        brand_name="AT&T Inc",
        holding_company_name="AT&T Inc.",
        provider_id="130077",
        frn="0003733193",
        technology_code=10,
        technology_code_type="Copper",
        bizrescode="X",
        maxdown=10.0,
        maxup=1.0,
        lowlatency=True,
        prov_tech_flag=False,
    )


def test_it_reads_raw_newlines_in_strings_and_trailing_commas_like_the_strict_sample():
    sloppy = parse_fixture("seed-sample-sloppy.txt")

    assert sloppy == parse_fixture("seed-sample.json")


@pytest.mark.parametrize("name", ["seed-sample.json", "seed-sample-sloppy.txt"])
def test_the_seed_sample_is_served_by_xfinity_cable(name):
    location = parse_fixture(name).locations[0]

    assert bead_level(location, "residential") is BeadLevel.SERVED
    assert bead_level(location, "business") is BeadLevel.SERVED
    best_residential = provider_lines(location, "residential")[0]
    assert (best_residential.brand_name, best_residential.technology_code) == ("Xfinity", 40)
    assert (best_residential.maxdown, best_residential.maxup) == (1200, 35)


@pytest.mark.parametrize("name", ["seed-sample.json", "seed-sample-sloppy.txt"])
def test_the_seed_sample_lists_business_fiber_then_cable_then_dsl(name):
    location = parse_fixture(name).locations[0]

    assert summary(provider_lines(location)) == [
        ("Crown Castle Fiber LLC", "fiber", 1200, 35, "B"),
        ("Xfinity", "cable", 1200, 35, "X"),
        ("AT&T Inc", "dsl", 10, 1, "X"),
    ]
    assert summary(provider_lines(location, "residential")) == [
        ("Xfinity", "cable", 1200, 35, "X"),
        ("AT&T Inc", "dsl", 10, 1, "X"),
    ]


def test_it_reads_the_raw_seed_document_with_placeholder_coordinates():
    result = parse_fixture("seed-sample.raw.txt")

    location = result.locations[0]
    assert location.coordinates is None
    assert location.unit_count == 99
    assert [row.brand_name for row in location.rows] == ["AT&T Inc", "Xfinity", "Crown Castle Fiber LLC"]
    assert location.rows[0].location_id == "999999999"
    assert location.rows[2].prov_tech_flag is False
    assert result.request_date == "9999-99-99T16:42:21.481Z"


def test_the_raw_seed_document_is_judged_by_its_codes_not_its_labels():
    # The placeholder rows share provider 999999999 and technology 10, so they make one DSL line;
    # "Crown Castle Fiber" is sent with technology 40: cable, served at 1200/35.
    location = parse_fixture("seed-sample.raw.txt").locations[0]

    assert bead_level(location, "residential") is BeadLevel.SERVED
    assert bead_level(location, "business") is BeadLevel.SERVED
    lines = provider_lines(location)
    assert summary(lines) == [
        ("Crown Castle Fiber LLC", "cable", 1200, 35, "X"),
        ("AT&T Inc", "dsl", 10, 1, "X"),
    ]
    # Its name follows the code too: the page, the share page and the lead's note say "Cable".
    assert lines[0].technology_label == "Cable"
    assert lines[1].provider_id == "999999999"


# --- The other recorded answers -------------------------------------------------------------------


def test_a_rural_location_with_satellite_wireless_and_slow_dsl_is_unserved():
    location = parse_fixture("rural-unserved.json").locations[0]

    assert bead_level(location, "residential") is BeadLevel.UNSERVED
    assert bead_level(location, "business") is BeadLevel.UNSERVED
    # No line qualifies for a level, so speed alone orders them: 220 Mbps satellite before 7/1 DSL.
    assert summary(provider_lines(location)) == [
        ("Starlink", "satellite", 220, 25, "X"),
        ("HughesNet", "satellite", 100, 5, "X"),
        ("GMW", "unlicensed_fixed_wireless", 50, 10, "X"),
        ("Consolidated", "dsl", 7, 1, "X"),
    ]


def test_it_reads_numbers_and_booleans_sent_as_strings():
    location = parse_fixture("duplicate-rows.json").locations[0]

    assert location.coordinates == (35.2271, -80.8431)
    assert location.unit_count == 3
    assert location.bsl_flag is True
    row = location.rows[1]
    assert (row.technology_code, row.maxdown, row.maxup) == (40, 1000.0, 35.0)
    assert location.rows[2].brand_name == "Spectrum Business"


def test_duplicate_rows_make_one_line_per_provider_and_technology():
    location = parse_fixture("duplicate-rows.json").locations[0]

    assert bead_level(location, "residential") is BeadLevel.SERVED
    assert summary(provider_lines(location)) == [
        ("AT&T Inc", "fiber", 5000, 5000, "X"),
        ("Spectrum", "cable", 1000, 35, "X"),
        ("AT&T Inc", "dsl", 75, 8, "X"),
    ]


def test_several_structures_for_one_address_are_kept_apart():
    result = parse_fixture("multi-location.json")

    first, second = result.locations
    assert result.result_count == 2
    assert (first.bsl_flag, first.unit_count, first.building_type_code) == (True, 240, "R")
    assert (second.bsl_flag, second.unit_count, second.building_type_code) == (False, 0, "X")
    assert bead_level(first, "residential") is BeadLevel.SERVED
    assert second.rows == ()
    assert bead_level(second, "residential") is BeadLevel.UNSERVED
    assert provider_lines(second) == []


def test_no_match_is_a_result_without_locations_not_an_error():
    result = parse_fixture("no-match.json")

    assert result.found is False
    assert result.locations == ()
    assert result.message == "No location found for address"


@pytest.mark.parametrize("data", ["null", "[]"])
def test_empty_or_null_data_means_nothing_found(data):
    body = envelope().replace('"data": []', f'"data": {data}')

    assert parse_response(body).found is False


# --- Failures -------------------------------------------------------------------------------------


def test_a_failure_inside_a_200_envelope_is_unavailable_with_the_service_message():
    with pytest.raises(ServiceabilityUnavailable) as caught:
        parse_fixture("upstream-failed.json")

    assert "reported a failure" in str(caught.value)
    assert "FCC service temporarily unavailable" in str(caught.value)
    assert caught.value.retryable is True


def test_an_html_error_page_is_unavailable_with_a_short_excerpt():
    with pytest.raises(ServiceabilityUnavailable) as caught:
        parse_fixture("upstream-502.html")

    assert "unavailable" in caught.value.message
    assert "502 Bad Gateway" in caught.value.excerpt
    assert "\n" not in caught.value.excerpt
    assert len(caught.value.excerpt) <= 200


@pytest.mark.parametrize(
    "body",
    ["", "   ", "Service Temporarily Unavailable", "[1, 2]", '"successful"', "{not json at all", b"\xff\xfe\x00"],
)
def test_a_body_that_is_not_a_json_object_is_unavailable(body):
    with pytest.raises(ServiceabilityUnavailable):
        parse_response(body)


@pytest.mark.parametrize(
    "overrides",
    [
        {"status": "failed"},
        {"status": "error", "status_code": 200},
        {"status": "successful", "status_code": 500},
        {"status": "successful", "status_code": "503"},
        {"status": None},
    ],
)
def test_a_status_other_than_successful_or_a_code_other_than_200_is_a_failure(overrides):
    with pytest.raises(ServiceabilityUnavailable, match="reported a failure"):
        parse_response(envelope(**overrides))


def test_a_failure_without_a_message_still_reads_as_a_sentence():
    with pytest.raises(ServiceabilityUnavailable) as caught:
        parse_response(envelope(status="failed"))

    assert str(caught.value) == "The address service reported a failure."


@pytest.mark.parametrize(
    ("overrides", "status_code"),
    [({"status": " SUCCESSFUL\n"}, 200), ({"status_code": "200"}, 200), ({"status_code": None}, None)],
)
def test_a_successful_status_is_recognized_loosely(overrides, status_code):
    result = parse_response(envelope(**overrides))

    assert result.status_code == status_code
    assert result.found is False


def test_errors_survive_pickling():
    error = ServiceabilityUnavailable("The address service could not be reached.", "excerpt", 502, False)

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes, as the cache stores them)

    assert type(copy) is ServiceabilityUnavailable
    assert isinstance(copy, ServiceabilityError)
    assert (str(copy), copy.excerpt, copy.http_status, copy.retryable) == (
        "The address service could not be reached.",
        "excerpt",
        502,
        False,
    )


# --- Tolerance details ----------------------------------------------------------------------------


def test_it_keeps_unknown_fields_at_every_level():
    body = envelope(
        data=[
            {
                "coordinates": [1, 2],
                "census_block": " 060855046011 ",
                "detail": [{"provider_id": "1", "technology_code": 50, "new_flag": {"a": [" x "]}}],
            }
        ],
        api_version="2",
    )

    result = parse_response(body)

    assert result.extra == {"api_version": "2"}
    assert result.locations[0].extra == {"census_block": "060855046011"}
    assert result.locations[0].rows[0].extra == {"new_flag": {"a": ["x"]}}


def test_repair_leaves_the_inside_of_strings_alone():
    # The trailing comma forces the tolerant path; the string holds everything the repair rewrites.
    body = '{"status": "successful", "message": "latitud, ]  NaN,}\\"x", "data": [],}'

    assert parse_response(body).message == 'latitud, ]  NaN,}"x'


def test_bare_words_become_null_and_bare_keys_are_quoted():
    body = '{status: "successful", data: [{"coordinates": [latitud, -Infinity], unitCount: 2,}], message: undefined}'

    result = parse_response(body)

    assert (result.locations[0].coordinates, result.locations[0].unit_count) == (None, 2)
    assert result.message is None


def test_unreadable_values_become_none_without_failing_the_answer():
    row = '{"technology_code": "fiber", "maxdown": "fast", "maxup": NaN, "lowlatency": "2"}'
    location_text = f'{{"coordinates": ["north", 2], "unitCount": "many", "bsl_flag": "maybe", "detail": [{row}, 7]}}'
    body = envelope().replace('"data": []', f'"data": [{location_text}]')

    location = parse_response(body).locations[0]

    assert (location.coordinates, location.unit_count, location.bsl_flag) == (None, None, None)
    assert len(location.rows) == 1
    parsed = location.rows[0]
    assert (parsed.technology_code, parsed.maxdown, parsed.maxup, parsed.lowlatency) == (None, None, None, None)


@pytest.mark.parametrize(("sent", "expected"), [("r", "R"), (" x ", "X"), ("b", "B"), ("Q", "Q"), (None, "")])
def test_bizrescode_is_upper_cased_when_known(sent, expected):
    body = envelope(data=[{"detail": [{"bizrescode": sent}]}])

    assert parse_response(body).locations[0].rows[0].bizrescode == expected


@pytest.mark.parametrize(
    ("sent", "expected"), [(1, True), (0, False), ("1", True), ("0", False), ("true", True), ("FALSE", False)]
)
def test_lowlatency_accepts_numbers_strings_and_booleans(sent, expected):
    body = envelope(data=[{"detail": [{"lowlatency": sent}]}])

    assert parse_response(body).locations[0].rows[0].lowlatency is expected


def test_it_accepts_bytes_with_a_byte_order_mark():
    body = "\ufeff" + envelope(message="ok")

    assert parse_response(body.encode("utf-8")).message == "ok"


# --- Snapshots ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PARSEABLE)
def test_a_result_round_trips_through_json(name):
    result = parse_fixture(name)

    stored = json.loads(json.dumps(result.to_dict()))

    assert ServiceabilityResult.from_dict(stored) == result
    assert ServiceabilityResult.from_dict(stored).to_dict() == stored


def test_locations_and_rows_round_trip_on_their_own():
    location = parse_fixture("duplicate-rows.json").locations[0]

    assert Location.from_dict(json.loads(json.dumps(location.to_dict()))) == location
    row = location.rows[0]
    assert ProviderRow.from_dict(json.loads(json.dumps(row.to_dict()))) == row


def test_a_snapshot_missing_newer_fields_still_loads():
    assert ServiceabilityResult.from_dict({"status": "successful"}).locations == ()
