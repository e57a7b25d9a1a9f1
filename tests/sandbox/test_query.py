"""The sandbox CRM's query operation: the VTQL subset a client needs, with vtiger's errors."""

import pytest

from .conftest import CONTACT, LEAD, SANDBOX_TABLES_ONLY, parse

pytestmark = SANDBOX_TABLES_ONLY


@pytest.fixture
def leads(crm, admin_session):
    made = []
    for lastname, email, city in (
        ("Peer-Smith", "ann.smith@example.com", "Springfield"),
        ("Peer-Brown", "bob@example.com", "Chicago"),
        ("Peer-Black", "ann.smith@example.com", "Peoria"),
        ("Other", "other@example.com", "O'Fallon"),
    ):
        made.append(
            crm.create(admin_session, "Leads", {**LEAD, "lastname": lastname, "email": email, "city": city})["result"]
        )
    return made


def test_select_star_answers_records_without_label(crm, admin_session, leads):
    rows = crm.query(admin_session, "select * from Leads where lastname='Peer-Smith';")["result"]
    expected = {k: v for k, v in leads[0].items() if k != "label"}
    assert rows == [expected]


def test_columns_come_in_the_order_asked(crm, admin_session, leads):
    rows = crm.query(admin_session, "select id, lastname, email from Leads order by id desc limit 0, 3;")["result"]
    assert rows == [{"id": lead["id"], "lastname": lead["lastname"], "email": lead["email"]} for lead in leads[:0:-1]]


def test_like_or_and_limit(crm, admin_session, leads):
    text = "select id,lastname from Leads where lastname like 'Peer-B%' or email='other@example.com' limit 5;"
    rows = crm.query(admin_session, text)["result"]
    assert [r["lastname"] for r in rows] == ["Peer-Brown", "Peer-Black", "Other"]


def test_and_binds_tighter_than_or(crm, admin_session, leads):
    text = "select lastname from Leads where city='Chicago' or email='ann.smith@example.com' and city='Peoria';"
    assert [r["lastname"] for r in crm.query(admin_session, text)["result"]] == ["Peer-Brown", "Peer-Black"]


def test_matching_is_case_insensitive_like_mysql(crm, admin_session, leads):
    rows = crm.query(admin_session, "select id from Leads where email='ANN.SMITH@EXAMPLE.COM';")["result"]
    assert [r["id"] for r in rows] == [leads[0]["id"], leads[2]["id"]]


def test_id_in_and_comparisons(crm, admin_session, leads):
    # VTQL sent to the sandbox, not SQL: S608 does not apply.
    ids = ",".join(f"'{lead['id']}'" for lead in leads[:2])
    rows = crm.query(admin_session, f"select id,lastname from Leads where id in ({ids});")["result"]  # noqa: S608
    assert [r["id"] for r in rows] == [leads[0]["id"], leads[1]["id"]]
    rows = crm.query(admin_session, f"select id from Leads where id >= '{leads[2]['id']}';")["result"]  # noqa: S608
    assert [r["id"] for r in rows] == [leads[2]["id"], leads[3]["id"]]
    rows = crm.query(admin_session, "select lastname from Leads where lastname != 'Other' order by lastname;")["result"]
    assert [r["lastname"] for r in rows] == ["Peer-Black", "Peer-Brown", "Peer-Smith"]


def test_count(crm, admin_session, leads):
    assert crm.query(admin_session, "select count(*) from Leads;")["result"] == [{"count": "4"}]
    assert crm.query(admin_session, "select count(*) from Leads where city='Nowhere';")["result"] == [{"count": "0"}]


def test_no_match_is_an_empty_list(crm, admin_session, leads):
    assert crm.query(admin_session, "select * from Leads where lastname='NoSuchName';")["result"] == []


def test_at_most_a_hundred_rows(crm, admin_session, sandbox):
    for number in range(105):
        sandbox.record_create(module="Leads", values={"lastname": f"L{number}", "assigned_user_id": "19x1"})
    assert len(crm.query(admin_session, "select id from Leads;")["result"]) == 100
    assert len(crm.query(admin_session, "select id from Leads limit 500;")["result"]) == 100
    assert len(crm.query(admin_session, "select id from Leads limit 100, 10;")["result"]) == 5


def test_deleted_records_are_not_found(crm, admin_session, leads):
    crm.post(operation="delete", sessionName=admin_session, id=leads[0]["id"])
    assert crm.query(admin_session, "select count(*) from Leads;")["result"] == [{"count": "3"}]


def test_contacts_and_custom_fields_can_be_queried(crm, admin_session):
    contact = crm.create(admin_session, "Contacts", {**CONTACT, "zip4": "1234"})["result"]
    rows = crm.query(admin_session, "select id, zip4 from Contacts where mailingzip='73301' limit 2;")["result"]
    assert rows == [{"id": contact["id"], "zip4": "1234"}]


def test_users_can_be_listed(crm, admin_session, apiuser):
    rows = crm.query(admin_session, "select * from Users;")["result"]
    assert rows == [
        {
            "id": "19x1",
            "user_name": "admin",
            "first_name": "",
            "last_name": "Administrator",
            "email1": "admin@example.com",
            "is_admin": "on",
            "status": "Active",
        },
        {
            "id": "19x5",
            "user_name": "apiuser",
            "first_name": "Rest",
            "last_name": "Api",
            "email1": "api@example.com",
            "is_admin": "off",
            "status": "Active",
        },
    ]


def test_the_trailing_semicolon_is_required(crm, admin_session):
    answer = crm.query(admin_session, "select * from Leads where lastname='Peer-Smith'")
    message = "Syntax Error on line 1: token ''Peer-Smith'' Unexpected End of Input(0), expected one of: SEMICOLON"
    assert answer["error"] == {"message": message, "code": "QUERY_SYNTAX_ERROR"}


def test_syntax_errors_read_like_vtiger(crm, admin_session):
    answer = crm.query(admin_session, "selec * from Leads;")
    assert (
        answer["error"]["message"]
        == "Syntax Error on line 1: token 'selec' Unexpected Unknown(selec), expected one of: SELECT"
    )


def test_a_quote_cannot_be_escaped(crm, admin_session, leads):
    answer = crm.query(admin_session, "select id,city from Leads where city='O\\'Fallon';")
    assert answer["error"] == {
        "message": "Syntax Error on line 1: token 'Fallon' Unexpected COLUMNNAME(Fallon), expected one of: SEMICOLON",
        "code": "QUERY_SYNTAX_ERROR",
    }


def test_unknown_columns_and_modules_are_denied(crm, admin_session):
    assert crm.query(admin_session, "select * from Leads where zip5='1';")["error"] == {
        "message": "Permission to access zip5 attribute denied.",
        "code": "ACCESS_DENIED",
    }
    assert crm.query(admin_session, "select nosuch from Leads;")["error"]["message"] == (
        "Permission to access nosuch attribute denied."
    )
    assert crm.query(admin_session, "select * from Lead;")["error"] == {
        "message": "Permission to perform the operation is denied for name : Lead",
        "code": "ACCESS_DENIED",
    }


def test_query_by_post_finds_no_query(crm, admin_session):
    answer = parse(crm.post(operation="query", sessionName=admin_session, query="select * from Leads;"))
    assert answer["error"]["message"] == "Permission to perform the operation is denied for query"


def test_a_non_admin_sees_every_record(crm, admin_session, user_session, leads):
    assert crm.query(user_session, "select count(*) from Leads;")["result"] == [{"count": "4"}]
