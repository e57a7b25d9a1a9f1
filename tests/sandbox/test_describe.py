"""describe and listtypes of the sandbox CRM: the captured stock answers plus MyCRM's custom fields."""

import json
from pathlib import Path

from mycrm_portal.crm import schema

from .conftest import SANDBOX_TABLES_ONLY, parse

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"

pytestmark = SANDBOX_TABLES_ONLY


def _captured(name: str):
    return json.loads((CAPTURES / f"{name}.json").read_text())["response"]["json"]["result"]


def _describe(crm, session, element_type):
    return parse(crm.get(operation="describe", sessionName=session, elementType=element_type))


def test_describe_leads_is_the_captured_answer_with_the_custom_fields_before_id(crm, admin_session):
    result = _describe(crm, admin_session, "Leads")["result"]
    captured = _captured("32_describe_Leads")
    custom = [f.name for f in schema.LEAD_FIELDS if f.custom]
    names = [f["name"] for f in result["fields"]]
    assert names[-len(custom) - 1 :] == custom + ["id"]
    assert [f for f in result["fields"] if f["name"] not in custom] == captured["fields"]
    assert {k: v for k, v in result.items() if k != "fields"} == {k: v for k, v in captured.items() if k != "fields"}
    leadsource = next(f for f in result["fields"] if f["name"] == "leadsource")
    assert [v["value"] for v in leadsource["type"]["picklistValues"]] == list(schema.DEFAULT_LEADSOURCES)


def test_custom_fields_have_labels_and_types(crm, admin_session):
    fields = {f["name"]: f for f in _describe(crm, admin_session, "Contacts")["result"]["fields"]}
    assert (fields["zip4"]["label"], fields["ssn"]["label"], fields["dl_license"]["label"]) == (
        "ZIP+4",
        "SSN",
        "Driver's License",
    )
    assert fields["is_customer"]["type"] == {"name": "boolean"}
    assert fields["service_dt"]["type"] == {"format": "yyyy-mm-dd", "name": "date"}
    assert fields["business_name"] == {
        "name": "business_name",
        "label": "Business Name",
        "mandatory": False,
        "type": {"name": "string"},
        "isunique": False,
        "nullable": True,
        "editable": True,
        "default": "",
    }


def test_describe_for_a_non_admin_is_sorted_by_column_with_their_date_format(crm, user_session):
    result = _describe(crm, user_session, "Contacts")["result"]
    captured = _captured("238_nonadmin_describe_Contacts")
    custom = {f.name for f in schema.CONTACT_FIELDS if f.custom}
    assert [f for f in result["fields"] if f["name"] not in custom] == captured["fields"]


def test_describe_refuses_unknown_types(crm, admin_session):
    assert _describe(crm, admin_session, "Lead")["error"] == {
        "message": "Permission to perform the operation is denied for name : Lead",
        "code": "ACCESS_DENIED",
    }
    by_post = parse(crm.post(operation="describe", sessionName=admin_session, elementType="Leads"))
    assert by_post["error"]["message"] == "Permission to perform the operation is denied for name : "


def test_listtypes_is_the_captured_list(crm, admin_session):
    assert parse(crm.get(operation="listtypes", sessionName=admin_session))["result"] == _captured("30_listtypes")


def test_listtypes_filters_by_field_type(crm, admin_session):
    answer = parse(crm.get(operation="listtypes", sessionName=admin_session, fieldTypeList='["email"]'))
    assert answer["result"] == _captured("31_listtypes_fieldTypeList_email")
    answer = parse(crm.get(operation="listtypes", sessionName=admin_session, fieldTypeList='["date"]'))
    assert answer["result"]["types"] == ["Contacts"]
