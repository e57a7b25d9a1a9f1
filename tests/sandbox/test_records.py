"""create, retrieve, update, revise and delete of Leads and Contacts in the sandbox CRM."""

import json
import re

from mycrm_portal.crm import schema
from mycrm_portal.sandbox import records

from .conftest import CONTACT, LEAD, SANDBOX_TABLES_ONLY, parse

CAPTURED_LEAD_KEYS = [
    "salutationtype", "firstname", "lead_no", "phone", "lastname", "mobile", "company", "fax", "designation",
    "email", "leadsource", "website", "industry", "leadstatus", "annualrevenue", "rating", "noofemployees",
    "assigned_user_id", "secondaryemail", "createdtime", "modifiedtime", "modifiedby", "emailoptout", "source",
    "starred", "tags", "lane", "code", "city", "country", "state", "pobox", "description",
]  # fmt: skip
LEAD_CUSTOM = [f.name for f in schema.LEAD_FIELDS if f.custom]
CONTACT_CUSTOM = [f.name for f in schema.CONTACT_FIELDS if f.custom]

pytestmark = SANDBOX_TABLES_ONLY


def test_it_creates_a_lead_with_every_stock_field_and_mycrm_custom_fields(crm, admin_session):
    element = {**LEAD, "business_name": "Acme LLC", "zip4": "1234", "apart": "Apt 5", "utm_source": "google"}
    result = crm.create(admin_session, "Leads", element)["result"]
    assert list(result) == CAPTURED_LEAD_KEYS + LEAD_CUSTOM + ["id", "label"]
    assert re.fullmatch(r"10x\d+", result["id"])
    assert re.fullmatch(r"LEA\d+", result["lead_no"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", result["createdtime"])
    assert result["label"] == "Ann Peer-Smith"
    assert result["source"] == "WEBSERVICE"
    assert result["modifiedby"] == "19x1"
    assert (result["annualrevenue"], result["noofemployees"], result["emailoptout"], result["starred"]) == (
        "0.00000000",
        "0",
        "0",
        "0",
    )
    assert (result["business_name"], result["zip4"], result["apart"], result["utm_source"]) == (
        "Acme LLC",
        "1234",
        "Apt 5",
        "google",
    )
    assert result["utm_medium"] == ""


def test_it_creates_a_contact_with_its_custom_fields(crm, admin_session):
    element = {
        **CONTACT,
        "ssn": "123-45-6789",
        "csg_number": "CSG-001",
        "is_customer": True,
        "dl_expdate": "2030-01-31",
    }
    result = crm.create(admin_session, "Contacts", element)["result"]
    assert re.fullmatch(r"12x\d+", result["id"])
    assert re.fullmatch(r"CON\d+", result["contact_no"])
    assert list(result)[-len(CONTACT_CUSTOM) - 2 :] == CONTACT_CUSTOM + ["id", "label"]
    assert (result["ssn"], result["csg_number"], result["is_customer"], result["dl_expdate"]) == (
        "123-45-6789",
        "CSG-001",
        "1",
        "2030-01-31",
    )
    assert result["birthday"] == "1980-05-17"
    assert result["donotcall"] == result["portal"] == result["isconvertedfromlead"] == "0"


def test_ids_come_from_one_sequence_across_modules(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    contact = crm.create(admin_session, "Contacts", CONTACT)["result"]
    lead_number = int(lead["id"].split("x")[1])
    assert contact["id"] == f"12x{lead_number + 1}"
    assert (lead["lead_no"], contact["contact_no"]) == ("LEA1", "CON1")


def test_create_takes_the_element_type_exactly(crm, admin_session):
    for element_type in ("Lead", "leads", "Accounts", ""):
        answer = crm.create(admin_session, element_type, LEAD)
        assert answer["error"] == {"message": "Permission to perform the operation is denied", "code": "ACCESS_DENIED"}


def test_create_by_get_finds_no_element_type(crm, admin_session):
    answer = parse(
        crm.get(operation="create", sessionName=admin_session, elementType="Leads", element=json.dumps(LEAD))
    )
    assert answer["error"]["message"] == "Permission to perform the operation is denied"


def test_create_needs_a_lastname_and_an_owner(crm, admin_session):
    for element, field in (
        ({k: v for k, v in LEAD.items() if k != "lastname"}, "lastname"),
        ({**LEAD, "lastname": ""}, "lastname"),
        ({**LEAD, "lastname": None}, "lastname"),
        ({k: v for k, v in LEAD.items() if k != "assigned_user_id"}, "assigned_user_id"),
        ({**LEAD, "assigned_user_id": ""}, "assigned_user_id"),
    ):
        answer = crm.create(admin_session, "Leads", element)
        assert answer["error"] == {"message": f"{field} does not have a value", "code": "MANDATORY_FIELDS_MISSING"}


def test_an_element_that_is_not_json_counts_as_empty(crm, admin_session):
    for element in ("lastname=Foo&assigned_user_id=19x1", "", "[1, 2]"):
        answer = parse(crm.post(operation="create", sessionName=admin_session, elementType="Leads", element=element))
        assert answer["error"]["message"] == "lastname does not have a value"


def test_it_stores_every_value_as_a_string(crm, admin_session):
    element = {
        **LEAD,
        "phone": 5551234567,
        "noofemployees": 12,
        "annualrevenue": 1000.5,
        "emailoptout": True,
        "city": None,
    }
    result = crm.create(admin_session, "Leads", element)["result"]
    assert (
        result["phone"],
        result["noofemployees"],
        result["annualrevenue"],
        result["emailoptout"],
        result["city"],
    ) == (
        "5551234567",
        "12",
        "1000.50000000",
        "1",
        "",
    )


def test_it_cuts_long_values_silently_at_the_column_size(crm, admin_session):
    result = crm.create(admin_session, "Leads", {**LEAD, "lastname": "X" * 300, "zip4": "123456789"})["result"]
    assert result["lastname"] == "X" * 80
    assert result["zip4"] == "1234"
    assert result["label"] == ("Ann " + "X" * 300)[:255]


def test_it_validates_nothing_the_real_server_does_not(crm, admin_session):
    element = {**LEAD, "email": "not-an-email", "leadsource": "NotAPicklistValue", "lastname": "  "}
    result = crm.create(admin_session, "Leads", element)["result"]
    assert (result["email"], result["leadsource"], result["lastname"], result["label"]) == (
        "not-an-email",
        "NotAPicklistValue",
        "  ",
        "Ann",
    )


def test_it_drops_unknown_fields_and_ignores_read_only_ones(crm, admin_session):
    element = {**LEAD, "nosuchfield": "x", "id": "10x1", "lead_no": "LEA999", "createdtime": "2001-01-01 00:00:00"}
    result = crm.create(admin_session, "Leads", element)["result"]
    assert "nosuchfield" not in result
    assert result["id"] != "10x1"
    assert result["lead_no"] == "LEA1"
    assert not result["createdtime"].startswith("2001")


def test_special_characters_survive(crm, admin_session):
    text = "A & B <b>bold</b> \"dq\" 'sq' / slash \\ backslash é ü 日本"
    response = crm.post(
        operation="create",
        sessionName=admin_session,
        elementType="Leads",
        element=json.dumps({**LEAD, "city": "O'Fallon", "description": text}),
    )
    assert "<\\/b>" in response.text and "\\u65e5" in response.text  # PHP's json_encode
    result = parse(response)["result"]
    assert (result["city"], result["description"]) == ("O'Fallon", text)
    revised = crm.write("revise", admin_session, {"id": result["id"], "state": "NE"})["result"]
    assert revised["description"] == text


def test_dates_are_stored_right_only_as_year_month_day(crm, admin_session, user_session):
    admin_cases = {
        "1980-05-17": "1980-05-17",
        "05/17/1980": "0000-00-00",
        "17-05-1980": "1980-05-17",
        "1980/05/17": "1980-05-17",
        "not-a-date": "",
        "19800517": "",
    }
    for sent, stored in admin_cases.items():
        assert crm.create(admin_session, "Contacts", {**CONTACT, "birthday": sent})["result"]["birthday"] == stored
    user_cases = {"1980-05-17": "1980-05-17", "05-17-1980": "", "17-05-1980": ""}
    for sent, stored in user_cases.items():
        element = {"lastname": "NA", "assigned_user_id": "19x5", "birthday": sent}
        assert crm.create(user_session, "Contacts", element)["result"]["birthday"] == stored


def test_an_admin_may_assign_to_anything(crm, admin_session):
    expected = {
        "19x999": "999",
        "999": "19x1",
        "abc": "19x1",
        "20x1": "19x1",
        "12x1": "19x1",
        "1": "19x1",
        "20x3": "20x3",
    }
    for sent, stored in expected.items():
        result = crm.create(admin_session, "Leads", {**LEAD, "assigned_user_id": sent})["result"]
        assert result["assigned_user_id"] == stored, sent


def test_a_non_admin_assigns_only_to_existing_users_and_groups(crm, user_session):
    for owner in ("19x5", "19x1", "20x3"):
        result = crm.create(user_session, "Leads", {**LEAD, "assigned_user_id": owner})["result"]
        assert result["assigned_user_id"] == owner
        assert result["modifiedby"] == "19x5"
    for owner in ("19x999", "20x999", "999", "12x5", "20x1"):
        answer = crm.create(user_session, "Leads", {**LEAD, "assigned_user_id": owner})
        assert answer["error"] == {"message": "Cannot assign record to the given user", "code": "ACCESS_DENIED"}


def test_a_non_admin_sees_fields_sorted_by_column_and_is_not_starred_on_others_records(
    crm, admin_session, user_session
):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    seen = crm.retrieve(user_session, lead["id"])["result"]
    stock = [k for k in seen if k in CAPTURED_LEAD_KEYS]
    assert stock[:3] == ["annualrevenue", "city", "code"]
    assert stock[-7:] == ["secondaryemail", "assigned_user_id", "source", "starred", "state", "tags", "website"]
    assert list(seen)[-2:] == ["id", "label"]
    assert seen["starred"] == ""


def test_a_contact_account_may_not_point_to_a_lead(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    answer = crm.create(admin_session, "Contacts", {**CONTACT, "account_id": lead["id"]})
    assert answer["error"] == {"message": "Invalid reference specified for account_id", "code": "REFERENCE_INVALID"}
    assert crm.create(admin_session, "Contacts", {**CONTACT, "account_id": "11x99999"})["result"]["account_id"] == ""


def test_retrieve_returns_what_create_returned(crm, admin_session):
    created = crm.create(admin_session, "Leads", LEAD)["result"]
    assert crm.retrieve(admin_session, created["id"])["result"] == created


def test_retrieve_errors_follow_the_captures(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    number = lead["id"].split("x")[1]
    assert crm.retrieve(admin_session, "10x999999")["error"]["code"] == "ACCESS_DENIED"
    assert crm.retrieve(admin_session, number)["error"]["message"] == "Permission to perform the operation is denied"
    assert crm.retrieve(admin_session, f"12x{number}")["error"] == {
        "message": "Id specified is incorrect",
        "code": "INVALID_ID_ATTRIBUTE",
    }
    by_post = parse(crm.post(operation="retrieve", sessionName=admin_session, id=lead["id"]))
    assert by_post["error"]["message"] == "Permission to perform the operation is denied for id"


def test_update_needs_every_mandatory_field_and_keeps_omitted_ones(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    answer = crm.write("update", admin_session, {"id": lead["id"], "city": "Peoria"})
    assert answer["error"] == {"message": "lastname does not have a value", "code": "MANDATORY_FIELDS_MISSING"}
    element = {"id": lead["id"], "lastname": "Peer-Smith", "assigned_user_id": "19x1", "city": "Peoria"}
    result = crm.write("update", admin_session, element)["result"]
    assert (result["city"], result["phone"], result["createdtime"]) == ("Peoria", LEAD["phone"], lead["createdtime"])
    assert crm.retrieve(admin_session, lead["id"])["result"]["city"] == "Peoria"


def test_update_accepts_the_full_record_it_returned(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    result = crm.write("update", admin_session, {**lead, "city": "Chicago", "zip4": "9999"})["result"]
    assert (result["city"], result["zip4"], result["lead_no"]) == ("Chicago", "9999", lead["lead_no"])


def test_revise_is_a_partial_update(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    result = crm.write("revise", admin_session, {"id": lead["id"], "city": "Naperville", "phone": "555-9999"})["result"]
    assert (result["city"], result["phone"], result["email"]) == ("Naperville", "555-9999", LEAD["email"])
    answer = crm.write("revise", admin_session, {"id": lead["id"], "lastname": ""})
    assert answer["error"]["code"] == "MANDATORY_FIELDS_MISSING"


def test_revise_renames_the_label(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    assert (
        crm.write("revise", admin_session, {"id": lead["id"], "firstname": "Anna"})["result"]["label"]
        == "Anna Peer-Smith"
    )


def test_update_and_revise_errors_follow_the_captures(crm, admin_session):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    number = lead["id"].split("x")[1]
    for operation in ("update", "revise"):
        assert crm.write(operation, admin_session, {"lastname": "X", "assigned_user_id": "19x1"})["error"] == {
            "message": "Permission to perform the operation is denied for id",
            "code": "ACCESS_DENIED",
        }
        full = {**LEAD, "id": "10x999999"}
        assert crm.write(operation, admin_session, full)["error"]["code"] == "ACCESS_DENIED"
        full = {**LEAD, "id": f"12x{number}"}
        assert crm.write(operation, admin_session, full)["error"]["code"] == "INVALID_ID_ATTRIBUTE"
    by_get = parse(crm.get(operation="update", sessionName=admin_session, element=json.dumps(lead)))
    assert by_get["error"]["message"] == "Permission to perform the operation is denied for id"


def test_delete_hides_the_record_for_good(crm, admin_session, sandbox):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    assert parse(crm.post(operation="delete", sessionName=admin_session, id=lead["id"]))["result"] == {
        "status": "successful"
    }
    assert crm.retrieve(admin_session, lead["id"])["error"]["code"] == "ACCESS_DENIED"
    assert crm.write("revise", admin_session, {"id": lead["id"], "city": "X"})["error"]["code"] == "ACCESS_DENIED"
    assert (
        parse(crm.post(operation="delete", sessionName=admin_session, id=lead["id"]))["error"]["code"]
        == "ACCESS_DENIED"
    )
    by_get = parse(crm.get(operation="delete", sessionName=admin_session, id=lead["id"]))
    assert by_get["error"]["message"] == "Permission to perform the operation is denied for id"
    assert sandbox.record(lead["id"]) is None


def test_users_cannot_be_created_through_the_webservice(crm, admin_session):
    answer = crm.create(admin_session, "Users", {"user_name": "x", "last_name": "X"})
    assert answer["error"] == {
        "message": "Permission to perform the operation is denied for id",
        "code": "ACCESS_DENIED",
    }


def test_the_services_show_records_as_the_crm_returns_them(crm, admin_session, sandbox):
    lead = crm.create(admin_session, "Leads", LEAD)["result"]
    contact = crm.create(admin_session, "Contacts", CONTACT)["result"]
    assert sandbox.record(lead["id"]) == lead
    assert sandbox.records("Contacts") == [contact]
    assert sandbox.record("10x999999") is None
    assert sandbox.record("nonsense") is None


def test_record_create_service_uses_the_webservice_rules(sandbox):
    created = sandbox.record_create(module="Leads", values={"lastname": "Direct", "assigned_user_id": "19x1"})
    assert created["label"] == "Direct"
    try:
        sandbox.record_create(module="Leads", values={"assigned_user_id": "19x1"})
    except ValueError as exc:
        assert str(exc) == "lastname does not have a value"
    else:
        raise AssertionError("the sandbox accepted a lead without lastname")


def test_the_record_fields_follow_the_portal_schema_lengths():
    lengths = {f.name: f.max_length for f in records.fields("Contacts")}
    assert lengths["ssn"] == 11
    assert lengths["mailingcity"] == 40
    assert lengths["firstname"] == 40


def test_a_deleted_users_records_show_the_bare_owner_number(crm, admin_session, sandbox, apiuser):
    lead = crm.create(admin_session, "Leads", {**LEAD, "assigned_user_id": "19x5"})["result"]
    assert sandbox.sandbox_user_delete(user_name="apiuser") is True
    assert sandbox.record(lead["id"])["assigned_user_id"] == "5"
    assert sandbox.sandbox_user_delete(user_name="apiuser") is False
