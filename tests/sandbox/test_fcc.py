"""The serviceability emulator at /sandbox/fcc: demo addresses, generated answers, faults."""

import json
import re
from pathlib import Path

import pytest
import requests

from mycrm_portal.sandbox import fcc

from .conftest import SANDBOX_TABLES_ONLY

pytestmark = SANDBOX_TABLES_ONLY

TEST_FIXTURES = Path(__file__).resolve().parent.parent / "data" / "serviceability"


@pytest.fixture
def check(sandbox, live_server):
    def get(address=None, **kwargs):
        params = {} if address is None else {"address": address}
        kwargs.setdefault("timeout", 10)
        return requests.get(f"{live_server.url}/sandbox/fcc", params=params, **kwargs)

    return get


def _tolerant_json(text: str):
    return json.loads(re.sub(r",(\s*[\]}])", r"\1", text))


@pytest.mark.parametrize(("street", "city", "state", "fixture", "description"), fcc.DEMO_ADDRESSES)
def test_each_demo_address_answers_its_fixture_byte_for_byte(check, street, city, state, fixture, description):
    response = check(f"{street} {city}, {state}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.content == (TEST_FIXTURES / fixture).read_bytes()


def test_demo_addresses_match_loosely(check):
    expected = (TEST_FIXTURES / "seed-sample.json").read_bytes()
    for address in ("55 trinity avenue southwest  atlanta GA", "55 Trinity Ave. S.W., Atlanta, GA"):
        assert check(address).content == expected


def test_the_demo_addresses_lie_where_their_fixtures_say():
    for street, city, state, fixture, _ in fcc.DEMO_ADDRESSES:
        if fixture.endswith(".json") and fixture != "no-match.json":
            data = json.loads((TEST_FIXTURES / fixture).read_text())["data"]
            lat, lon = (float(c) for c in data[0]["coordinates"])
            center_lat, center_lon, dlat, dlon = fcc.STATE_AREAS[state]
            assert abs(lat - center_lat) < 3 and abs(lon - center_lon) < 5, (street, city)


def test_any_other_address_gets_a_stable_plausible_answer(check):
    address = "1600 Amphitheatre Pkwy Mountain View, CA"
    first, second = check(address), check(address)
    body = _tolerant_json(first.text)
    assert {k: v for k, v in body.items() if k != "request_date"} == {
        k: v for k, v in _tolerant_json(second.text).items() if k != "request_date"
    }
    assert body["status"] == "successful" and body["status_code"] == 200
    assert body["result_count"] == len(body["data"]) >= 1
    location = body["data"][0]
    lat, lon = location["coordinates"]
    center_lat, center_lon, dlat, dlon = fcc.STATE_AREAS["CA"]
    assert abs(lat - center_lat) <= dlat and abs(lon - center_lon) <= dlon
    assert location["license"] == fcc.LICENSE
    assert 2 <= len(location["detail"]) <= 7


def test_generated_answers_look_like_fcc_data(check):
    technologies, satellites, padded, trailing_commas, twins = set(), 0, 0, 0, 0
    for number in range(60):
        text = check(f"{number} Oak Rd Springfield, IL").text
        try:
            json.loads(text)
        except ValueError:
            trailing_commas += 1
        body = _tolerant_json(text)
        for location in body["data"]:
            rows = location["detail"]
            assert location["unitCount"] >= 0 and location["buildingTypeCode"] in "RBX"
            assert isinstance(location["bsl_flag"], bool)
            if location["bsl_flag"]:
                assert 2 <= len(rows) <= 7
                satellites += any(r["technology_code"] in ("60", "61") for r in rows)
            for row in rows:
                technologies.add(row["technology_code"])
                assert re.fullmatch(r"\d{6}", row["provider_id"]) and re.fullmatch(r"\d{10}", row["frn"])
                assert 1_000_000_000 <= row["location_id"] <= 9_999_999_999
                assert row["bizrescode"] in "RBX" and row["maxdown"] >= row["maxup"] > 0
                padded += row["brand_name"] != row["brand_name"].strip()
            providers = [(r["provider_id"], r["technology_code"]) for r in rows]
            twins += len(providers) != len(set(providers))
    assert technologies == {"10", "40", "50", "60", "61", "70", "71"}
    assert satellites == 60
    assert padded and trailing_commas and twins


def test_an_address_in_no_known_state_finds_nothing(check):
    body = check("1 Main St Nowhere, ZZ").json()
    assert (body["data"], body["result_count"], body["status"]) == ([], 0, "successful")


def test_an_empty_address_is_a_failure_envelope(check):
    for address in (None, "", "   "):
        body = check(address).json()
        assert (body["status"], body["status_code"], body["data"]) == ("failed", 400, None)
        assert body["message"]


def test_it_needs_no_portal_login(check):
    assert check("55 Trinity Ave SW Atlanta, GA", allow_redirects=False).status_code == 200


def test_faults_apply(check, sandbox):
    sandbox.fault_set(target="fcc", mode="down")
    assert check("55 Trinity Ave SW Atlanta, GA").status_code == 503
    sandbox.fault_set(target="fcc", mode="html_error")
    response = check("55 Trinity Ave SW Atlanta, GA")
    assert (response.status_code, response.content) == (502, (TEST_FIXTURES / "upstream-502.html").read_bytes())
    sandbox.fault_set(target="fcc", mode="failed")
    response = check("55 Trinity Ave SW Atlanta, GA")
    assert (response.status_code, response.content) == (200, (TEST_FIXTURES / "upstream-failed.json").read_bytes())
    sandbox.fault_set(target="fcc", mode="slow", seconds=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        check("55 Trinity Ave SW Atlanta, GA", timeout=0.2)
    assert check("55 Trinity Ave SW Atlanta, GA").status_code == 200
    assert sandbox.counters("fcc") == {"check": 5}
