"""The sandbox's query as vtiger 8.2 answers it (captures 307-318, 364, 385): several `order by`
columns, `id` added to a select list, the SQL failures that answer success with [], converted leads
never found, and private sharing."""

import json

from .conftest import LEAD, SANDBOX_TABLES_ONLY, parse

pytestmark = SANDBOX_TABLES_ONLY


def make(crm, session, *people, owner="19x1"):
    made = []
    for first, last in people:
        values = {**LEAD, "firstname": first, "lastname": last, "assigned_user_id": owner}
        made.append(crm.create(session, "Leads", values)["result"])
    return made


def names(answer):
    return [(r["firstname"], r["lastname"]) for r in answer["result"]]


def test_order_by_two_columns_with_desc_on_the_last(crm, admin_session):
    make(crm, admin_session, ("Tom", "Jones"), ("Ann", "Brown"), ("Zed", "Jones"), ("Al", "Jones"))
    answer = crm.query(admin_session, "select firstname, lastname from Leads order by lastname, firstname desc;")
    assert names(answer) == [("Ann", "Brown"), ("Zed", "Jones"), ("Tom", "Jones"), ("Al", "Jones")]
    refused = crm.query(admin_session, "select id from Leads order by lastname asc, firstname desc;")
    assert refused["error"]["code"] == "QUERY_SYNTAX_ERROR"


def test_a_select_list_gets_id_as_its_last_key(crm, admin_session):
    made = make(crm, admin_session, ("Ann", "Smith"))
    rows = crm.query(admin_session, "select firstname, lastname from Leads;")["result"]
    assert rows == [{"firstname": "Ann", "lastname": "Smith", "id": made[0]["id"]}]


def test_an_unquoted_value_or_an_unknown_order_by_column_answers_an_empty_success(crm, admin_session):
    make(crm, admin_session, ("Ann", "Smith"), ("Bob", "Jones"))
    assert crm.query(admin_session, "select id from Leads where firstname = Ann;") == {"success": True, "result": []}
    assert crm.query(admin_session, "select id from Leads order by zip5;") == {"success": True, "result": []}
    # A column compared with itself matches every row (315b).
    assert len(crm.query(admin_session, "select id from Leads where lastname = lastname;")["result"]) == 2


def test_parentheses_are_refused(crm, admin_session):
    answer = crm.query(admin_session, "select id from Leads where (lastname like 'Sm%' or lastname = 'Jones');")
    assert answer["error"]["code"] == "QUERY_SYNTAX_ERROR"


def test_a_quote_is_doubled_in_a_literal(crm, admin_session):
    make(crm, admin_session, ("Pat", "O'Brien"))
    answer = crm.query(admin_session, "select lastname from Leads where lastname like 'O''B%';")
    assert [r["lastname"] for r in answer["result"]] == ["O'Brien"]


def test_a_digits_pattern_finds_every_way_a_phone_was_typed(crm, admin_session):
    for phone in ("(312) 555-0134", "312-555-0134", "312.555.0134", "+1 312 555 0134", "3125550134", "312 555 01 34"):
        crm.create(admin_session, "Leads", {**LEAD, "phone": phone})
    answer = crm.query(admin_session, "select phone from Leads where phone like '%312%555%0134%';")
    assert len(answer["result"]) == 5  # not "312 555 01 34" (304b)


def convert(crm, session, lead_id, **contact):
    element = {"leadId": lead_id, "entities": {"Contacts": {"create": True, "name": "Contacts", **contact}}}
    return parse(crm.post(operation="convertlead", sessionName=session, element=json.dumps(element)))


def test_convertlead_makes_a_contact_from_the_lead_and_hides_the_lead_from_queries(crm, admin_session):
    lead = make(crm, admin_session, ("Cora", "Conv"))[0]
    answer = convert(crm, admin_session, lead["id"], birthday="1980-05-17")
    contact_id = answer["result"]["Contacts"]
    contact = crm.retrieve(admin_session, contact_id)["result"]
    assert (contact["firstname"], contact["lastname"], contact["mailingcity"]) == ("Cora", "Conv", LEAD["city"])
    assert contact["birthday"] == "1980-05-17" and contact["isconvertedfromlead"] == "1"
    assert crm.query(admin_session, f"select id from Leads where id = {lead['id']};")["result"] == []
    assert crm.retrieve(admin_session, lead["id"])["success"]  # still retrievable (363)
    again = convert(crm, admin_session, lead["id"])
    assert again["error"] == {"message": "Lead is already converted", "code": "LEAD_ALREADY_CONVERTED"}


def test_a_stock_vtiger_8_2_answers_convertlead_with_an_empty_http_500(crm, admin_session, settings):
    settings.SANDBOX_PROFILE = "stock-vtiger"
    lead = make(crm, admin_session, ("Cora", "Conv"))[0]
    element = {"leadId": lead["id"], "entities": {"Contacts": {"create": True, "name": "Contacts"}}}
    response = crm.post(operation="convertlead", sessionName=admin_session, element=json.dumps(element))
    assert response.status_code == 500 and response.content == b""
    assert len(crm.query(admin_session, "select id from Contacts;")["result"]) == 0


def test_private_sharing_hides_and_refuses_others_records(crm, admin_session, user_session, apiuser, sandbox):
    theirs = make(crm, admin_session, ("Ann", "Admins"))[0]
    mine = make(crm, user_session, ("Bo", "Mine"), owner=apiuser.ws_id)[0]
    sandbox.fault_set(target="sharing", mode="private")

    rows = crm.query(user_session, "select id from Leads;")["result"]
    assert [r["id"] for r in rows] == [mine["id"]]
    assert crm.query(user_session, "select count(*) from Leads;")["result"] == [{"count": "1"}]
    denied = {"message": "Permission to read given object is denied", "code": "ACCESS_DENIED"}
    assert crm.retrieve(user_session, theirs["id"])["error"] == denied
    assert crm.write("revise", user_session, {"id": theirs["id"], "city": "X"})["error"] == denied
    assert crm.retrieve(admin_session, mine["id"])["success"]  # the admin sees everything
