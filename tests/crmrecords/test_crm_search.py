"""Find in MyCRM (/crm/search/): Leads and Contacts made in MyCRM itself, found by phone in any
format, e-mail in any case, names by prefix, business name and city; paged past MyCRM's 100-row
cap; one query per module and page; a search MyCRM refuses is a message, never a 500."""

import pytest

from mycrm_portal.crm.fieldfit import describe_refresh
from mycrm_portal.crm.models import CrmFieldChoice
from mycrm_portal.crm.sessions import crm_session_for


def search(client, q, **params):
    response = client.get("/crm/search/", {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_it_requires_sign_in(client, transactional_db):
    assert client.get("/crm/search/?q=x").status_code == 302


@pytest.mark.parametrize(
    "typed",
    ["(404) 555-0177", "404-555-0177", "404.555.0177", "+1 404 555 0177", "4045550177", "404 555 0177"],
)
def test_a_phone_typed_any_way_finds_every_way_it_was_stored(signed_in, owner_crm, make, typed):
    for i, stored in enumerate(["(404) 555-0177", "404-555-0177", "+14045550177", "404.555.0177"]):
        make(lastname=f"Phone{i}", phone=stored)
    make(module="Contacts", lastname="ContactPhone", mobile="404 555 0177")
    make(lastname="Other", phone="404-555-0199")
    page = search(signed_in, typed)
    for name in ("Phone0", "Phone1", "Phone2", "Phone3", "ContactPhone"):
        assert name in page
    assert "Other" not in page


def test_an_email_in_any_case(signed_in, owner_crm, make):
    make(lastname="Mailed", email="jane.doe@example.com")
    assert "Mailed" in search(signed_in, "JANE.Doe@Example.com")


def test_names_by_prefix_first_last_or_both(signed_in, owner_crm, make):
    make(firstname="Johanna", lastname="Smithers")
    make(firstname="John", lastname="Brown")
    assert "Smithers" in search(signed_in, "Smith") and "Brown" not in search(signed_in, "Smith")
    assert "Johanna" in search(signed_in, "Joh") and "Brown" in search(signed_in, "Joh")
    both = search(signed_in, "Johanna Smi")
    assert "Smithers" in both and "Brown" not in both


def test_a_quote_in_a_term_works(signed_in, owner_crm, make):
    make(firstname="Pat", lastname="O'Brien")
    assert "O&#x27;Brien" in search(signed_in, "O'Brien") or "O'Brien" in search(signed_in, "O'Brien")


def test_a_city_and_a_business_name(signed_in, owner, owner_crm, make, crm_profile):
    describe_refresh(crm_session_for(owner))  # as on connecting the account: MyCRM's columns known
    make(lastname="Citizen", city="Savannah")
    make(module="Contacts", lastname="Mailer", mailingcity="Savannah")
    page = search(signed_in, "Savan")
    assert "Citizen" in page and "Mailer" in page
    if crm_profile == "mycrm":
        make(lastname="Biz", business_name="Acme Plumbing")
    else:
        make(lastname="Biz", company="Acme Plumbing")  # a stock vtiger's own field
        CrmFieldChoice.objects.create(module="Leads", field="business_name", action="map", crm_field="cf_854")
        make(lastname="Custom", cf_854="Acme Heating")  # the custom field staff mapped
        assert "Custom" in search(signed_in, "Acme")
    assert "Biz" in search(signed_in, "Acme")


def test_results_show_kind_name_phone_email_city_owner_and_link_to_the_record(signed_in, owner_crm, make):
    lead = make(firstname="Ann", lastname="Smith", phone="404-555-0177", email="ann@example.com", city="Atlanta")
    page = search(signed_in, "Ann Smith")
    assert f'href="/crm/leads/{lead["id"]}/"' in page
    for shown in ("404-555-0177", "ann@example.com", "Atlanta", "Lead"):
        assert shown in page


def test_paging_20_at_a_time_past_the_100_row_cap(signed_in, owner_crm, make, sandbox):
    for i in range(125):
        make(lastname=f"Pager{i:03d}", city="Pagetown")
    sandbox.counters_reset()
    first = search(signed_in, "Pagetown", kind="lead")
    assert sandbox.counters("crm")["query"] == 1  # one query per page
    assert first.count('href="/crm/leads/') == 20 and "Next →" in first
    sixth = search(signed_in, "Pagetown", kind="lead", page=6)
    seventh = search(signed_in, "Pagetown", kind="lead", page=7)
    assert sixth.count('href="/crm/leads/') == 20 and seventh.count('href="/crm/leads/') == 5
    assert "Next →" not in seventh
    names = {f"Pager{i:03d}" for i in range(125)}
    seen = set()
    for page in range(1, 8):
        text = search(signed_in, "Pagetown", kind="lead", page=page)
        seen |= {n for n in names if n in text}
    assert seen == names  # every one reachable, none lost between pages


def test_a_search_mycrm_refuses_or_cannot_answer_is_a_message(signed_in, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="query_denied")
    assert "MyCRM refused the search" in search(signed_in, "Smith")
    sandbox.fault_set(target="crm", mode="down")
    assert "MyCRM could not be searched" in search(signed_in, "Smith")


def test_a_backslash_is_refused_with_a_message(signed_in, owner_crm, sandbox):
    assert "MyCRM cannot search for a backslash" in search(signed_in, "Smith\\")


def test_the_quick_search_is_in_the_header(signed_in, owner_crm):
    page = signed_in.get("/").content.decode()
    assert 'action="/crm/search/"' in page and 'aria-label="Find in MyCRM' in page
    assert 'action="/crm/search/"' in signed_in.get("/leads/").content.decode()
