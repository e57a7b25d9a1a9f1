"""Creating Leads and Contacts (the create view and leads/saving.py) in the sandbox CRM, over real
HTTP, as the rep: every field, bad input, the CRM's refusal, double submits, no CRM account yet.
How a send fails and is retried is tests/leads/test_submission_sync.py."""

import threading

import pytest
from django.db import connection
from django.test import Client

from leads.models import Contact, Lead, Status
from mycrm_portal.crm.sessions import crm_session_for

from .helpers import FULL_CONTACT, FULL_LEAD, crm_leads, new_token, own_choice, post_new, run_worker


def retrieve_over_the_webservice(user, crm_id):
    return crm_session_for(user).retrieve(crm_id)


def test_it_requires_sign_in(client, transactional_db):
    response = client.get("/leads/new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.mycrm_profile
def test_it_creates_the_lead_in_the_crm_as_the_rep_with_every_field(signed_in, owner, owner_crm, sandbox):
    response = post_new(signed_in, "lead", FULL_LEAD)

    lead = Lead.objects.get()
    assert response.redirect_chain[-1][0] == f"/leads/{lead.pk}/"
    assert lead.in_mycrm
    assert lead.crm_id.startswith("10x")
    assert f"Lead {lead.crm_id} created in MyCRM".encode() in response.content

    record = retrieve_over_the_webservice(owner, lead.crm_id)
    owner_crm.refresh_from_db()
    assert record["assigned_user_id"] == owner_crm.crm_user_id  # created as the rep, assigned to them
    expected = {
        **FULL_LEAD,
        "phone": "(404) 555-0123",
        "mobile": "(404) 555-0199",
        "code": "30303",
        "zip4": "1234",
    }
    for name, value in expected.items():
        assert record[name] == value, name


@pytest.mark.mycrm_profile
def test_it_creates_the_contact_with_every_field_and_dates_as_yyyy_mm_dd(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "contact", FULL_CONTACT)

    contact = Contact.objects.get()
    assert contact.in_mycrm
    assert contact.crm_id.startswith("12x")
    record = retrieve_over_the_webservice(owner, contact.crm_id)
    assert record["birthday"] == "1980-05-17"
    assert record["service_dt"] == "2026-12-01"
    assert record["dl_expdate"] == "2030-05-17"
    assert record["is_customer"] == "1"
    assert record["ssn"] == "123-45-6789"
    assert record["dl_license"] == "D12345678"
    assert (record["mailingzip"], record["zip4"]) == ("73301", "0001")
    assert record["homephone"] == "(212) 555-0101"
    assert record["csg_number"] == "CSG-001"


def test_the_utm_fields_come_from_the_page_link_and_survive_a_validation_error(signed_in, owner_crm, sandbox):
    page = signed_in.get("/leads/new/?utm_source=newsletter&utm_campaign=winter").content.decode()
    assert 'name="utm_source" value="newsletter"' in page
    assert 'name="utm_campaign" value="winter"' in page
    response = post_new(signed_in, "lead", {"firstname": "Ann", "lastname": "", "utm_source": "newsletter"})
    assert 'name="utm_source" value="newsletter"' in response.content.decode()
    assert Lead.objects.count() == 0


def test_bad_input_comes_back_next_to_the_field_with_everything_typed_kept(signed_in, owner_crm, sandbox):
    response = post_new(signed_in, "lead", {**FULL_LEAD, "email": "not-an-email", "phone": "12"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="errors-email"' in page and "Enter a valid email address" in page
    assert "US phone number" in page
    assert 'value="55 Trinity Ave SW"' in page  # the rest is kept
    assert sandbox.counters("crm").get("create", 0) == 0


def test_the_crm_refusing_shows_its_message_at_the_field_it_names(signed_in, owner, owner_crm, sandbox):
    """A CRM user offered in the list is removed before the form is sent: the CRM refuses
    (ACCESS_DENIED "Cannot assign record to the given user") and the rep sees it at "Assigned to"."""
    colleague = sandbox.sandbox_user_create(user_name="leaver", first_name="Lee", last_name="Ver")
    signed_in.get("/leads/new/")
    run_worker()  # the CRM's user list is fetched in the background
    page = signed_in.get("/leads/new/").content.decode()
    assert colleague.ws_id in page  # listed from the CRM's Users query
    sandbox.sandbox_user_delete(user_name="leaver")

    response = post_new(signed_in, "lead", FULL_LEAD, assigned=colleague.ws_id)

    lead = Lead.objects.get()
    assert lead.status == Status.REJECTED
    assert lead.last_error_field == "assigned_user_id"
    assert response.redirect_chain[-1][0] == f"/leads/{lead.pk}/edit/"
    page = response.content.decode()
    assert "MyCRM: Cannot assign record to the given user" in page
    errors = page.split('id="errors-assigned_user_id"')[1].split("</div>")[0]
    assert "Cannot assign record" in errors
    # The summary at the top names the field and links to it.
    summary = page.split('id="error-summary"')[1].split("</div>")[0]
    assert (
        '<a href="#id_assigned_user_id" data-focus-field="id_assigned_user_id">Assigned to: MyCRM: Cannot assign'
        in summary
    )
    assert 'value="55 Trinity Ave SW"' in page  # nothing typed is lost


def test_a_rejected_lead_is_fixed_and_sent_again(signed_in, owner, owner_crm, sandbox):
    """With duplicate prevention on (by e-mail), a second lead with the same e-mail is refused
    (code 0); the rep changes the e-mail and sends it again."""
    sandbox.fault_set(target="crm", mode="duplicates")
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "First"})
    assert Lead.objects.get(lastname="First").in_mycrm
    response = post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Second"})
    second = Lead.objects.get(lastname="Second")
    assert second.status == Status.REJECTED
    assert "Duplicate(s) detected!" in response.content.decode()

    form = response.content.decode()
    assert 'value="ann.smith@example.com"' in form
    response = signed_in.post(
        f"/leads/{second.pk}/edit/",
        {
            **FULL_LEAD,
            "lastname": "Second",
            "email": "ann.second@example.com",
            "assigned_user_id": second.assigned_user_id,
        },
        follow=True,
    )
    second.refresh_from_db()
    assert second.in_mycrm
    assert f"Lead {second.crm_id} updated in MyCRM".encode() in response.content
    assert retrieve_over_the_webservice(owner, second.crm_id)["email"] == "ann.second@example.com"


def test_a_reloaded_post_gives_back_the_same_lead(signed_in, owner_crm, sandbox):
    token = new_token()
    first = post_new(signed_in, "lead", FULL_LEAD, token=token)
    again = post_new(signed_in, "lead", FULL_LEAD, token=token)
    lead = Lead.objects.get()
    assert first.redirect_chain[-1][0] == again.redirect_chain[-1][0] == f"/leads/{lead.pk}/"
    assert len(crm_leads(sandbox, "Smith")) == 1
    assert sandbox.counters("crm")["create"] == 1


@pytest.mark.mycrm_profile  # transport and timing: the same against both
def test_a_double_click_creates_one_lead_and_one_crm_record(owner, owner_crm, sandbox, settings):
    sandbox.fault_set(target="crm", mode="slow", seconds=0.5)  # both clicks land while the first is sending
    token = new_token()
    first_client = Client()
    first_client.force_login(owner)
    assigned = own_choice(first_client, "/leads/new/")
    results = []

    def click():
        c = Client()
        c.force_login(owner)
        try:
            results.append(post_new(c, "lead", FULL_LEAD, token=token, assigned=assigned, follow=False).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [302, 302]
    lead = Lead.objects.get()
    assert lead.in_mycrm
    assert len(crm_leads(sandbox, "Smith")) == 1
    assert sandbox.counters("crm")["create"] == 1


def test_without_a_crm_account_the_lead_is_kept_and_sent_once_the_rep_connects(signed_in, owner, sandbox):
    response = post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED
    assert "Connect your MyCRM account" in response.content.decode()

    crm_user = sandbox.sandbox_user_create(user_name="owner", first_name="Olivia", last_name="Owner")
    signed_in.post("/crm/account/", {"crm_username": "owner", "access_key": crm_user.access_key})
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert retrieve_over_the_webservice(owner, lead.crm_id)["assigned_user_id"] == crm_user.ws_id


def test_a_token_from_another_reps_form_still_creates_a_new_lead(signed_in, owner, colleague, owner_crm, sandbox):
    other = Lead.objects.create(submitted_by=colleague, firstname="C", lastname="Other", assigned_user_id="19x9")
    post_new(signed_in, "lead", FULL_LEAD, token=str(other.token))
    mine = Lead.objects.get(submitted_by=owner)
    assert mine.token != other.token and mine.in_mycrm
