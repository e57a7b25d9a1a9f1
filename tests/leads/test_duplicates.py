"""Duplicates before they happen (leads/duplicates.py): Leads and Contacts already in MyCRM with the
phone or e-mail being typed show under the field; on submit the rep is asked once; after MyCRM's
own duplicate prevention refuses a create, the same records are offered."""

from leads.models import Lead, Status
from mycrm_portal.crm.sessions import crm_session_for

from .helpers import FULL_LEAD, new_token, post_new


def existing(sandbox, **values):
    base = {"firstname": "Ann", "lastname": "Existing", "assigned_user_id": "19x1"}
    return sandbox.record_create(module="Leads", values={**base, **values})


def typed(client, name, value):
    data = {**FULL_LEAD, "assigned_user_id": "self", name: value}
    return client.post("/leads/validate/?dupes=1", data, headers={"HX-Request": "true", "HX-Trigger-Name": name})


def test_a_matching_phone_shows_under_the_field_while_typing_and_is_asked_once(signed_in, owner_crm, sandbox):
    record = existing(sandbox, phone="404.555.0123")
    crm_session_for(owner_crm.user).listtypes()
    sandbox.counters_reset()

    body = typed(signed_in, "phone", "(404) 555-0123").content.decode()

    assert 'id="dupes-phone"' in body and 'hx-swap-oob="true"' in body
    assert "Ann Existing" in body and f'href="/crm/leads/{record["id"]}/"' in body and "Update this one" in body
    queries = sandbox.counters("crm")["query"]
    assert queries == 2  # one per module: Leads and Contacts
    typed(signed_in, "phone", "(404) 555-0123")  # on blur, the same value
    assert sandbox.counters("crm")["query"] == queries  # already checked: no CRM call


def test_an_email_in_another_case_matches(signed_in, owner_crm, sandbox):
    existing(sandbox, email="ann.smith@example.com")
    body = typed(signed_in, "email", "ANN.Smith@example.com").content.decode()
    assert "Ann Existing" in body


def test_no_match_and_no_value_show_nothing(signed_in, owner_crm, sandbox):
    existing(sandbox, phone="404-555-9999")
    assert "Already in MyCRM" not in typed(signed_in, "phone", "(404) 555-0123").content.decode()
    assert "Already in MyCRM" not in typed(signed_in, "phone", "").content.decode()


def test_on_submit_a_match_asks_create_anyway_or_update_and_saves_nothing(signed_in, owner_crm, sandbox):
    existing(sandbox, email=FULL_LEAD["email"])
    token = new_token()
    page = post_new(signed_in, "lead", FULL_LEAD, token=token).content.decode()
    assert "MyCRM already has a record with this phone or e-mail" in page
    assert "Create anyway" in page and "Update this one" in page
    assert FULL_LEAD["lane"] in page  # what the rep typed is still on the form
    assert not Lead.objects.exists()

    post_new(signed_in, "lead", {**FULL_LEAD, "duplicates": "create"}, token=token)
    assert Lead.objects.get().in_mycrm
    assert len(sandbox.records("Leads")) == 2


def test_update_the_existing_one_opens_its_form_with_what_was_typed(signed_in, owner_crm, sandbox):
    record = existing(sandbox, email=FULL_LEAD["email"], city="Macon")
    body = {**FULL_LEAD, "assigned_user_id": "self", "from_form": "1"}
    page = signed_in.post(f"/crm/leads/{record['id']}/edit/", body).content.decode()
    assert "Update lead in MyCRM" in page
    assert 'value="Atlanta"' in page  # the city the rep typed, to review, over MyCRM's Macon
    assert sandbox.record(record["id"])["city"] == "Macon"  # nothing sent yet


def test_after_mycrms_own_refusal_the_matching_records_are_offered(signed_in, owner_crm, sandbox):
    existing(sandbox, email=FULL_LEAD["email"])
    sandbox.fault_set(target="crm", mode="duplicates")  # MyCRM's duplicate prevention on e-mail
    response = post_new(signed_in, "lead", {**FULL_LEAD, "duplicates": "create"})
    lead = Lead.objects.get()
    assert lead.status == Status.REJECTED and lead.last_error_code == "0"
    page = response.content.decode()
    assert "MyCRM refused to create this lead: it already holds a record with the same details" in page
    assert "Ann Existing" in page and "Update this one" in page


def test_values_checked_while_typing_cost_no_query_on_submit(signed_in, owner_crm, sandbox):
    typed(signed_in, "email", FULL_LEAD["email"])
    typed(signed_in, "phone", FULL_LEAD["phone"])
    typed(signed_in, "mobile", FULL_LEAD["mobile"])
    sandbox.counters_reset()
    post_new(signed_in, "lead", FULL_LEAD)
    assert "query" not in sandbox.counters("crm")  # the create alone
    assert Lead.objects.get().in_mycrm
