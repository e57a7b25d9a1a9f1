"""Converting a MyCRM Lead to a Contact (/crm/leads/<id>/convert/): the Contact form prefilled from
the lead, convertlead where MyCRM can do it (then revise for the contact-only fields), a plain
create where it cannot (a stock vtiger 8.2 answers HTTP 500), never a second contact."""

import json

import pytest

from leads.models import Contact, Status
from mycrm_portal.sandbox import webservice
from mycrm_portal.sandbox.models import SandboxUser
from tests.leads.helpers import run_worker

from .helpers import form_values

LEAD = {
    "firstname": "Cora",
    "lastname": "Conv",
    "phone": "312-555-0199",
    "email": "cora@example.com",
    "lane": "9 Elm St",
    "city": "Aurora",
    "state": "IL",
    "code": "60505",
    "leadsource": "Web Site",
    "description": "Signed up",
}


def open_form(client, lead_id):
    return form_values(client.get(f"/crm/leads/{lead_id}/convert/").content.decode(), "")


def contacts(sandbox):
    return sandbox.records("Contacts")


def test_the_contact_form_is_prefilled_from_the_lead(signed_in, owner_crm, make):
    lead = make(**LEAD)
    values = open_form(signed_in, lead["id"])
    assert values["firstname"] == "Cora" and values["lastname"] == "Conv" and values["phone"] == "312-555-0199"
    assert values["mailingstreet"] == "9 Elm St" and values["mailingcity"] == "Aurora"
    assert values["mailingstate"] == "IL" and values["mailingzip"] == "60505"
    assert values["description"] == "Signed up" and values["email"] == "cora@example.com"
    assert values["birthday"] == "" and values["ssn"] == ""


def test_a_lead_is_converted_without_the_optional_fields(signed_in, owner_crm, make, sandbox, crm_profile):
    lead = make(**LEAD)
    values = open_form(signed_in, lead["id"])
    sandbox.counters_reset()
    response = signed_in.post(f"/crm/leads/{lead['id']}/convert/", values, follow=True)

    contact = Contact.objects.get()
    assert contact.in_mycrm and contact.converted_from_lead == lead["id"]
    assert "Converted: contact" in response.content.decode()
    assert [c["id"] for c in contacts(sandbox)] == [contact.crm_id]
    made = contacts(sandbox)[0]
    assert (made["firstname"], made["mailingcity"], made["email"]) == ("Cora", "Aurora", "cora@example.com")
    counts = sandbox.counters("crm")
    if crm_profile == "mycrm":
        assert counts["convertlead"] == 1 and "create" not in counts
        assert made["isconvertedfromlead"] == "1"
    else:
        assert counts["convertlead"] == 1 and counts["create"] == 1  # HTTP 500, then the portal creates it
    page = signed_in.get(f"/crm/leads/{lead['id']}/").content.decode()
    assert f'href="{contact.get_absolute_url()}"' in page  # the lead's page links to its contact
    again = signed_in.get(f"/crm/leads/{lead['id']}/convert/", follow=True).content.decode()
    assert "converted already" in again and Contact.objects.count() == 1


def test_the_contact_only_fields_are_set(signed_in, owner_crm, make, sandbox, crm_profile):
    lead = make(**LEAD)
    values = {**open_form(signed_in, lead["id"]), "birthday": "1980-05-17", "ssn": "123-45-6789", "csg_number": "C-9"}
    signed_in.post(f"/crm/leads/{lead['id']}/convert/", values)
    contact = Contact.objects.get()
    made = contacts(sandbox)[0]
    assert made["birthday"] == "1980-05-17"
    if crm_profile == "mycrm":
        assert made["ssn"] == "123-45-6789" and made["csg_number"] == "C-9" and contact.ssn == ""
    else:
        assert contact.status == Status.DIFFERS and contact.ssn == "123-45-6789"  # MyCRM has no SSN field


def test_a_retry_after_a_time_out_never_makes_a_second_contact(
    signed_in, owner_crm, make, sandbox, settings, crm_profile
):
    lead = make(**LEAD)
    values = open_form(signed_in, lead["id"])
    sandbox.fault_set(target="crm", mode="commit_then_timeout", seconds=settings.CRM_READ_TIMEOUT + 1.5)
    signed_in.post(f"/crm/leads/{lead['id']}/convert/", values)
    contact = Contact.objects.get()
    assert contact.status == Status.QUEUED and contact.in_doubt
    # convertlead made the contact before its answer was lost (a stock vtiger's made nothing).
    assert len(contacts(sandbox)) == (1 if crm_profile == "mycrm" else 0)

    sandbox.faults_clear()
    run_worker()
    contact.refresh_from_db()
    assert contact.in_mycrm
    assert [c["id"] for c in contacts(sandbox)] == [contact.crm_id]
    if crm_profile == "mycrm":  # found, not made again
        assert contact.sync_attempts.filter(operation="reconcile", outcome="found").exists()


@pytest.mark.mycrm_profile
def test_a_lead_mycrm_says_is_already_converted_gets_a_message_and_its_contact(signed_in, owner_crm, make, sandbox):
    lead = make(**LEAD)
    values = open_form(signed_in, lead["id"])
    admin = SandboxUser.objects.get(ws_num=1)
    element = {"leadId": lead["id"], "entities": {"Contacts": {"create": True, "name": "Contacts"}}}
    theirs = webservice.execute("convertlead", {"element": json.dumps(element)}, admin)["Contacts"]

    page = signed_in.post(f"/crm/leads/{lead['id']}/convert/", values, follow=True).content.decode()

    assert "MyCRM says this lead is already converted" in page
    contact = Contact.objects.get()
    assert contact.status == Status.REJECTED and contact.lead_contact_id == theirs
    assert f'href="/crm/contacts/{theirs}/"' in page
    assert len(contacts(sandbox)) == 1


@pytest.mark.stock_profile
def test_where_mycrm_cannot_convert_the_leads_status_is_set_when_configured(
    signed_in, owner_crm, make, sandbox, settings
):
    settings.LEAD_CONVERTED_STATUS = "Converted"
    lead = make(**LEAD)
    signed_in.post(f"/crm/leads/{lead['id']}/convert/", open_form(signed_in, lead["id"]))
    assert Contact.objects.get().in_mycrm
    assert sandbox.record(lead["id"])["leadstatus"] == "Converted"


def test_a_synced_lead_submission_offers_the_conversion(signed_in, owner_crm, sandbox):
    from tests.leads.helpers import FULL_LEAD, post_new

    post_new(signed_in, "lead", {**FULL_LEAD, "duplicates": "create"})
    from leads.models import Lead

    lead = Lead.objects.get()
    page = signed_in.get(f"/leads/{lead.pk}/").content.decode()
    assert f'href="/crm/leads/{lead.crm_id}/convert/"' in page
    values = form_values(signed_in.get(f"/crm/leads/{lead.crm_id}/convert/").content.decode(), "")
    signed_in.post(f"/crm/leads/{lead.crm_id}/convert/", values)
    contact = Contact.objects.get()
    page = signed_in.get(f"/leads/{lead.pk}/").content.decode()
    assert f'href="{contact.get_absolute_url()}"' in page  # the lead's page links to its contact
