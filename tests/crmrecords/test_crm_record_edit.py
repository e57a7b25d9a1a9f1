"""Updating a MyCRM record (/crm/leads/<id>/edit/): the create form's fields, prefilled from MyCRM;
only the fields the rep changed are sent (one retrieve, one revise), a field someone else changed
meanwhile is shown side by side, others' changes are kept, and an outage queues the change."""

import json

import pytest

from crmrecords.models import RecordEdit
from mycrm_portal.crm.sessions import crm_session_for
from mycrm_portal.sandbox import webservice
from mycrm_portal.sandbox.models import SandboxUser
from tests.leads.helpers import run_worker

from .helpers import form_values


def open_form(client, crm_id, kind="leads"):
    page = client.get(f"/crm/{kind}/{crm_id}/edit/").content.decode()
    return form_values(page, f"/crm/{kind}/{crm_id}/edit/")


def save(client, crm_id, values, kind="leads"):
    return client.post(f"/crm/{kind}/{crm_id}/edit/", values, follow=True)


def change_in_mycrm(sandbox, crm_id, **values):
    """Someone else's change, made in MyCRM itself (by its admin)."""
    admin = SandboxUser.objects.get(ws_num=1)
    webservice.execute("revise", {"element": json.dumps({"id": crm_id, **values})}, admin)


def test_the_form_is_prefilled_from_mycrm_with_the_create_forms_field_names(signed_in, owner_crm, make):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta", lane="55 Trinity Ave SW", description="A & B")
    values = open_form(signed_in, lead["id"])
    assert values["firstname"] == "Ann" and values["city"] == "Atlanta" and values["lane"] == "55 Trinity Ave SW"
    assert values["description"] == "A & B"
    assert "token" in values and "base" in values


def test_only_what_the_rep_changed_is_sent_and_others_changes_are_kept(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta", phone="404-555-0177")
    values = open_form(signed_in, lead["id"])
    change_in_mycrm(sandbox, lead["id"], phone="404-555-0100")  # a colleague, meanwhile
    crm_session_for(owner_crm.user).listtypes()
    sandbox.counters_reset()

    response = save(signed_in, lead["id"], {**values, "city": "Savannah"})

    assert "Saved in MyCRM: city." in response.content.decode()
    assert sandbox.counters("crm") == {"retrieve": 2, "revise": 1}  # the read before the write; the page after
    stored = sandbox.record(lead["id"])
    assert stored["city"] == "Savannah" and stored["phone"] == "404-555-0100"
    edit = RecordEdit.objects.get()
    assert edit.fields == ["city"] and edit.status == RecordEdit.Status.SAVED
    page = signed_in.get(f"/crm/leads/{lead['id']}/").content.decode()
    assert "Changes made in the portal" in page and "city" in page


def test_nothing_changed_sends_nothing(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", phone="404-555-0177")
    values = open_form(signed_in, lead["id"])
    sandbox.counters_reset()
    response = save(signed_in, lead["id"], values)
    assert "Nothing changed." in response.content.decode()
    assert "revise" not in sandbox.counters("crm") and not RecordEdit.objects.exists()


@pytest.mark.parametrize("keep", ["mine", "theirs"])
def test_a_field_changed_by_someone_else_meanwhile_is_chosen_side_by_side(signed_in, owner_crm, make, sandbox, keep):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta", state="GA")
    values = open_form(signed_in, lead["id"])
    change_in_mycrm(sandbox, lead["id"], city="Macon")

    response = save(signed_in, lead["id"], {**values, "city": "Savannah", "lane": "1 Bull St"})

    page = response.content.decode()
    assert "Choose what to keep" in page
    assert "Macon" in page and "Savannah" in page
    edit = RecordEdit.objects.get()
    assert edit.status == RecordEdit.Status.CONFLICT and edit.conflicts == {"city": "Macon"}
    assert sandbox.record(lead["id"])["lane"] == ""  # nothing written while the rep chooses

    done = signed_in.post(f"/crm/edits/{edit.pk}/", {"keep_city": keep}, follow=True).content.decode()

    stored = sandbox.record(lead["id"])
    assert stored["city"] == ("Savannah" if keep == "mine" else "Macon")
    assert stored["lane"] == "1 Bull St"  # the rep's other change went through
    assert "Saved in MyCRM" in done


def test_an_edit_during_an_outage_is_queued_then_sent_once(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta")
    values = open_form(signed_in, lead["id"])
    sandbox.fault_set(target="crm", mode="down")
    response = save(signed_in, lead["id"], {**values, "city": "Savannah"})
    assert "Saved, not yet in MyCRM" in response.content.decode()  # (the record page after it: MyCRM is down)
    edit = RecordEdit.objects.get()
    assert edit.status == RecordEdit.Status.QUEUED

    sandbox.faults_clear()
    sandbox.counters_reset()
    run_worker()
    edit.refresh_from_db()
    assert edit.status == RecordEdit.Status.SAVED
    assert sandbox.counters("crm").get("revise") == 1
    assert sandbox.record(lead["id"])["city"] == "Savannah"
    run_worker()
    assert sandbox.counters("crm").get("revise") == 1  # never applied twice


def test_the_same_form_posted_twice_is_one_edit(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta")
    values = {**open_form(signed_in, lead["id"]), "city": "Savannah"}
    save(signed_in, lead["id"], values)
    save(signed_in, lead["id"], values)
    assert RecordEdit.objects.count() == 1 and sandbox.counters("crm").get("revise") == 1


@pytest.mark.mycrm_profile
def test_a_sensitive_change_is_sent_and_never_shown_in_the_history(signed_in, owner_crm, make, sandbox):
    contact = make(module="Contacts", firstname="Bob", lastname="Jones", ssn="123-45-6789")
    values = open_form(signed_in, contact["id"], kind="contacts")
    assert values.get("ssn", "") == ""  # never rendered back
    save(signed_in, contact["id"], {**values, "ssn": "234-56-7891"}, kind="contacts")
    assert sandbox.record(contact["id"])["ssn"] == "234-56-7891"
    page = signed_in.get(f"/crm/contacts/{contact['id']}/").content.decode()
    assert "ssn" in page and "234-56-7891" not in page and "***-**-7891" in page


def test_a_change_mycrm_refuses_says_so(signed_in, owner_crm, make, sandbox):
    lead = make(firstname="Ann", lastname="Smith", city="Atlanta")
    values = open_form(signed_in, lead["id"])
    sandbox.fault_set(target="sharing", mode="private")  # the record is the admin's
    response = save(signed_in, lead["id"], {**values, "city": "Savannah"})
    assert RecordEdit.objects.get().last_error_message == "MyCRM does not let you change this record."
    assert response.status_code == 403  # the record page after it: MyCRM refuses the record
