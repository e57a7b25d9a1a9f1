"""normalize_address: one key per address, the unit kept apart, the lookup string sent upstream."""

import pytest

from serviceability.address import US_STATES, is_state_code, normalize_address, state_code


@pytest.mark.parametrize(
    ("street", "city", "state"),
    [
        ("1600 Amphitheatre Parkway, Apt 4", "Mountain View", "ca"),
        ("1600  amphitheatre pkwy.", "Mountain View", "CA"),
        ("1600 AMPHITHEATRE PKWY", "  mountain   view ", " Ca "),
        ("1600 Amphitheatre Pkwy Suite 200", "Mountain View,", "California"),
        ("1600 Amphitheatre Pky #12", "Mountain View", "CA"),
    ],
)
def test_spellings_of_one_address_share_a_key(street, city, state):
    assert normalize_address(street, city, state).key == "1600 AMPHITHEATRE PKWY|MOUNTAIN VIEW|CA"


def test_different_addresses_have_different_keys():
    one = normalize_address("1600 Amphitheatre Pkwy", "Mountain View", "CA")

    assert normalize_address("1601 Amphitheatre Pkwy", "Mountain View", "CA").key != one.key
    assert normalize_address("1600 Amphitheatre Pkwy", "Mountain View", "NV").key != one.key
    assert normalize_address("1600 Amphitheatre Ct", "Mountain View", "CA").key != one.key


@pytest.mark.parametrize(
    ("street", "unit"),
    [
        ("123 Main St Apt 4B", "APT 4B"),
        ("123 Main St, Apartment 4b", "APT 4B"),
        ("123 Main St Apt. #4B", "APT 4B"),
        ("123 Main St #4B", "# 4B"),
        ("123 Main St # 4B", "# 4B"),
        ("123 Main St Unit 7", "UNIT 7"),
        ("123 Main St Ste. 200", "STE 200"),
        ("123 Main St Suite 200", "STE 200"),
        ("123 Main St Bldg 3 Fl 2", "BLDG 3 FL 2"),
        ("123 Main St Floor 2", "FL 2"),
        ("123 Main St Rm 12", "RM 12"),
        ("123 Main St Lot 5", "LOT 5"),
        ("123 Main St Spc 9", "SPC 9"),
        ("123 Main St Trlr 4", "TRLR 4"),
        ("123 Main St", ""),
    ],
)
def test_it_keeps_the_unit_apart(street, unit):
    address = normalize_address(street, "Atlanta", "GA")

    assert address.unit == unit
    assert address.street == "123 Main St"
    assert address.key == "123 MAIN ST|ATLANTA|GA"


@pytest.mark.parametrize("street", ["100 Space Center Dr", "5 Parking Lot Rd", "12 Unit Rd"])
def test_a_designator_word_inside_the_street_name_is_not_a_unit(street):
    address = normalize_address(street, "Houston", "TX")

    assert (address.street, address.unit) == (street, "")


def test_the_lookup_is_street_city_comma_state_without_the_unit():
    address = normalize_address(" 1600  Amphitheatre Pkwy, Apt 4 ", "Mountain  View", "ca")

    assert address.lookup == "1600 Amphitheatre Pkwy Mountain View, CA"
    assert (address.street, address.unit, address.city, address.state) == (
        "1600 Amphitheatre Pkwy",
        "APT 4",
        "Mountain View",
        "CA",
    )


@pytest.mark.parametrize(
    ("street", "key_street"),
    [
        ("100 Avenue of the Americas", "100 AVENUE OF THE AMERICAS"),
        ("100 Park Avenue", "100 PARK AVE"),
        ("100 Street Road", "100 STREET RD"),
        ("100 Main Street North", "100 MAIN ST N"),
        ("100 Main St. Southwest", "100 MAIN ST SW"),
        ("100 North Main Street", "100 N MAIN ST"),
        ("100 North Ave", "100 NORTH AVE"),
        ("100 Broadway", "100 BROADWAY"),
        ("100 Pacific Coast Highway", "100 PACIFIC COAST HWY"),
        ("7 Times Square", "7 TIMES SQ"),
        ("9 Peachtree Crossing", "9 PEACHTREE XING"),
    ],
)
def test_suffixes_and_directionals_are_abbreviated_only_where_they_belong(street, key_street):
    assert normalize_address(street, "X", "NY").key == f"{key_street}|X|NY"


def test_the_street_keeps_the_reps_spelling():
    address = normalize_address("12 O'Brien Court", "Coeur d'Alene", "id")

    assert (address.street, address.city) == ("12 O'Brien Court", "Coeur d'Alene")
    assert address.key == "12 OBRIEN CT|COEUR DALENE|ID"


@pytest.mark.parametrize(
    ("given", "code"),
    [("ca", "CA"), ("California", "CA"), ("new york", "NY"), ("D.C.", "DC"), ("Puerto Rico", "PR"), ("Guam", "GU")],
)
def test_a_state_name_or_code_becomes_the_code(given, code):
    assert state_code(given) == code
    assert normalize_address("1 Main St", "X", given).state == code


def test_the_state_list_covers_states_dc_and_territories():
    codes = [code for code, _ in US_STATES]

    assert len(codes) == len(set(codes)) == 56
    assert {"DC", "PR", "GU", "VI", "AS", "MP"} <= set(codes)
    assert ("WY", "Wyoming") in US_STATES


@pytest.mark.parametrize(
    ("value", "expected"), [("CA", True), ("ca", True), (" pr ", True), ("XX", False), ("", False)]
)
def test_is_state_code(value, expected):
    assert is_state_code(value) is expected
