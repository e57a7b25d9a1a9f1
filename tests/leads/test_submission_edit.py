"""Editing a submission (the edit view and leads/saving.py's submission_edit): the change goes to
the CRM record it created, only the fields the rep changed, without blanking or overwriting anything
else; a queued record's edit changes what will be sent."""

import pytest

from leads.models import Contact, Lead, Status
from mycrm_portal.crm.sessions import crm_session_for

from .helpers import FULL_CONTACT, FULL_LEAD, post_new, run_worker


def edit(client, submission, **changes):
    page_data = {**FULL_LEAD, "assigned_user_id": submission.assigned_user_id, **changes}
    return client.post(f"/leads/{submission.pk}/edit/", page_data, follow=True)


def test_an_edit_revises_only_what_the_rep_changed(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    crm = crm_session_for(owner)
    # Meanwhile someone changes the record in the CRM itself.
    crm.revise({"id": lead.crm_id, "description": "Changed in MyCRM by the manager", "pobox": "PO 99"})
    sandbox.counters_reset()

    response = edit(signed_in, lead, city="Decatur", pobox="PO 42")

    lead.refresh_from_db()
    assert lead.in_mycrm
    assert f"Lead {lead.crm_id} updated in MyCRM".encode() in response.content
    record = crm.retrieve(lead.crm_id)
    assert record["city"] == "Decatur"
    assert record["description"] == "Changed in MyCRM by the manager"  # not overwritten
    assert record["pobox"] == "PO 99"  # the rep did not change it (PO 42 both before and after)
    assert record["lane"] == "55 Trinity Ave SW"  # not blanked
    counts = sandbox.counters("crm")
    assert counts.get("revise") == 1 and not counts.get("update") and not counts.get("create")
    assert lead.sync_attempts.first().operation == "revise"


def test_an_edit_with_no_change_sends_nothing(signed_in, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    sandbox.counters_reset()
    response = edit(signed_in, lead)
    assert b"Nothing changed" in response.content
    assert not sandbox.counters("crm").get("revise")


def test_editing_a_queued_lead_changes_what_will_be_sent(signed_in, owner, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED

    edit(signed_in, lead, lastname="Smith-Jones")
    lead.refresh_from_db()
    assert lead.status == Status.QUEUED

    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    records = [r for r in sandbox.records("Leads") if r["firstname"] == "Ann"]
    assert [(r["id"], r["lastname"]) for r in records] == [(lead.crm_id, "Smith-Jones")]


def test_an_update_during_an_outage_is_queued_then_revised_once(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    sandbox.fault_set(target="crm", mode="down")
    edit(signed_in, lead, city="Marietta")
    lead.refresh_from_db()
    assert lead.status == Status.QUEUED
    assert lead.pending_changes == {"city": "Marietta"}

    sandbox.faults_clear()
    sandbox.counters_reset()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm and lead.pending_changes == {}
    assert crm_session_for(owner).retrieve(lead.crm_id)["city"] == "Marietta"
    assert sandbox.counters("crm").get("revise") == 1


def test_a_record_deleted_in_the_crm_makes_the_update_rejected_with_its_message(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    crm_session_for(owner).delete(lead.crm_id)
    response = edit(signed_in, lead, city="Macon")
    lead.refresh_from_db()
    assert lead.status == Status.REJECTED
    assert "Permission to perform the operation is denied" in response.content.decode()


@pytest.mark.mycrm_profile
def test_a_synced_contact_keeps_its_ssn_in_the_crm_when_the_edit_leaves_it_empty(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "contact", FULL_CONTACT)
    contact = Contact.objects.get()
    assert (contact.ssn, contact.dl_license) == ("", "")  # dropped locally once in the CRM
    page = signed_in.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert "On file: ***-**-6789" in page
    assert "123-45-6789" not in page

    data = {
        **FULL_CONTACT,
        "ssn": "",
        "dl_license": "",
        "birthday": "",
        "mailingcity": "Round Rock",
        "assigned_user_id": contact.assigned_user_id,
    }
    signed_in.post(f"/contacts/{contact.pk}/edit/", data)
    record = crm_session_for(owner).retrieve(contact.crm_id)
    assert record["mailingcity"] == "Round Rock"
    assert record["ssn"] == "123-45-6789"
    assert record["birthday"] == "1980-05-17"

    signed_in.post(f"/contacts/{contact.pk}/edit/", {**data, "ssn": "123-45-6790"})
    assert crm_session_for(owner).retrieve(contact.crm_id)["ssn"] == "123-45-6790"
    contact.refresh_from_db()
    assert contact.ssn == "" and contact.ssn_last4 == "6790"


def test_an_edit_made_on_a_form_opened_before_the_worker_sent_the_lead_never_duplicates_it(
    signed_in, owner, owner_crm, sandbox
):
    """The rep opens the edit form of a queued lead; meanwhile the worker sends it. Saving the
    form revises that record: it never loses its CRM id or creates a second one."""
    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    stale = Lead.objects.get(pk=lead.pk)  # what the edit view loaded
    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm

    from leads.saving import submission_edit

    submission_edit(submission=stale, user=owner, data={**FULL_LEAD, "city": "Decatur"})
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [r["city"] for r in sandbox.records("Leads")] == ["Decatur"]
    assert sandbox.counters("crm")["create"] == 1


def test_another_rep_gets_a_404(client, colleague, lead):
    client.force_login(colleague)
    assert client.get(f"/leads/{lead.pk}/edit/").status_code == 404


def test_another_rep_cannot_edit_by_post(client, colleague, lead):
    client.force_login(colleague)
    response = client.post(f"/leads/{lead.pk}/edit/", {**FULL_LEAD, "assigned_user_id": "self"})
    assert response.status_code == 404
    lead.refresh_from_db()
    assert lead.lastname == "Smith"


def test_it_requires_sign_in(client, lead):
    response = client.get(f"/leads/{lead.pk}/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
