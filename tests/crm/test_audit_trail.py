"""The audit trail of CRM writes: every create, revise and convert the portal sends to MyCRM, with
who, when, which record, which fields by name (never a value), outcome and duration; read-only in
the admin; pruned after AUDIT_RETENTION_DAYS by a task the writes schedule once a day."""

from datetime import timedelta

import pytest
from django.utils import timezone

from leads.models import Contact, Lead
from mycrm_portal.crm.audit import crm_writes_prune
from mycrm_portal.crm.models import CrmWrite
from tests.leads.helpers import FULL_CONTACT, FULL_LEAD, crm_leads, post_new, run_worker

pytestmark = pytest.mark.both_profiles


def test_a_create_is_recorded_with_its_fields_by_name_and_no_value(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "contact", FULL_CONTACT)

    contact = Contact.objects.get()
    write = CrmWrite.objects.get(operation="create")
    assert (write.user, write.crm_username, write.module) == (owner, owner_crm.crm_username, "Contacts")
    assert write.crm_id == contact.crm_id and write.outcome == CrmWrite.Outcome.DONE
    assert "ssn" in write.fields and "lastname" in write.fields and "id" not in write.fields
    assert write.duration_ms >= 0 and timezone.now() - write.at < timedelta(minutes=1)
    stored = repr(list(CrmWrite.objects.values()))
    for secret in ("123-45-6789", "6789", "D1234-5678", "Jones"):
        assert secret not in stored


def test_an_edit_is_recorded_as_a_revise_of_that_record(signed_in, owner, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    page = signed_in.get(f"/leads/{lead.pk}/edit/").content.decode()
    assert "Save and send to MyCRM" in page
    data = {**FULL_LEAD, "phone": "404-555-0111", "assigned_user_id": lead.assigned_user_id}

    signed_in.post(f"/leads/{lead.pk}/edit/", data, follow=True)

    revise = CrmWrite.objects.exclude(operation="create").get()
    assert revise.operation in ("revise", "update") and revise.crm_id == lead.crm_id
    assert revise.module == "Leads" and revise.outcome == CrmWrite.Outcome.DONE
    assert "phone" in revise.fields


def test_a_refusal_and_an_outage_are_recorded_with_their_outcome(signed_in, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="duplicates")
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "First"})
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Second"})
    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Third", "email": "third@example.com"})

    outcomes = list(CrmWrite.objects.order_by("at", "pk").values_list("outcome", "error_code"))
    assert outcomes[0] == (CrmWrite.Outcome.DONE, "")
    assert outcomes[1] == (CrmWrite.Outcome.REFUSED, "0")  # MyCRM's duplicate prevention
    assert outcomes[2][0] == CrmWrite.Outcome.UNAVAILABLE


@pytest.mark.mycrm_profile
def test_a_conversion_is_recorded_with_the_fields_of_the_contact_it_makes(signed_in, owner_crm, sandbox):
    from tests.crmrecords.helpers import form_values

    lead = sandbox.record_create(
        module="Leads",
        values={"firstname": "Cora", "lastname": "Conv", "assigned_user_id": owner_crm.crm_user_id or "19x1"},
    )
    values = form_values(signed_in.get(f"/crm/leads/{lead['id']}/convert/").content.decode(), "")

    signed_in.post(f"/crm/leads/{lead['id']}/convert/", values, follow=True)

    convert = CrmWrite.objects.get(operation="convertlead")
    assert convert.crm_id == lead["id"] and convert.module == "Leads"
    assert "Contacts.lastname" in convert.fields
    assert convert.outcome == CrmWrite.Outcome.DONE


@pytest.mark.django_db
def test_rows_past_the_retention_are_pruned_and_the_rest_kept(settings, owner):
    settings.AUDIT_RETENTION_DAYS = 400
    now = timezone.now()
    old = CrmWrite.objects.create(
        user=owner, operation="create", outcome="done", duration_ms=5, at=now - timedelta(days=401)
    )
    kept = CrmWrite.objects.create(
        user=owner, operation="create", outcome="done", duration_ms=5, at=now - timedelta(days=399)
    )

    assert crm_writes_prune(now=now) == 1

    assert not CrmWrite.objects.filter(pk=old.pk).exists() and CrmWrite.objects.filter(pk=kept.pk).exists()


def test_the_first_write_of_the_day_schedules_the_prune_once(signed_in, owner, owner_crm, sandbox, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    CrmWrite.objects.create(
        user=owner, operation="create", outcome="done", duration_ms=5, at=timezone.now() - timedelta(days=31)
    )

    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "One"})
    post_new(signed_in, "lead", {**FULL_LEAD, "lastname": "Two", "email": "two@example.com"})
    run_worker()

    from django_tasks_db.models import DBTaskResult

    prunes = DBTaskResult.objects.filter(task_path__endswith="prune_crm_writes")
    assert prunes.count() == 1
    assert CrmWrite.objects.filter(at__lt=timezone.now() - timedelta(days=30)).count() == 0
    assert CrmWrite.objects.filter(operation="create").count() == 2


@pytest.mark.django_db
def test_the_admin_lists_the_trail_read_only_with_its_filters(client, staff, owner):
    CrmWrite.objects.create(
        user=owner,
        crm_username="owner",
        operation="create",
        module="Leads",
        crm_id="10x9",
        fields=["firstname", "lastname"],
        outcome="refused",
        error_code="0",
        duration_ms=42,
    )
    client.force_login(staff)

    page = client.get("/admin/crm/crmwrite/", {"outcome__exact": "refused"}).content.decode()

    assert "10x9" in page and "firstname, lastname" in page and "Refused by MyCRM" in page
    assert "/admin/crm/crmwrite/add/" not in page
    assert client.get("/admin/crm/crmwrite/", {"outcome__exact": "done"}).content.decode().count("10x9") == 0
    write = CrmWrite.objects.get()
    assert client.post(f"/admin/crm/crmwrite/{write.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_the_admin_filters_the_trail_by_team(client, staff, people):
    for who, crm_id in ((people["rep"], "10x1"), (people["other"], "10x2")):
        CrmWrite.objects.create(
            user=who, operation="create", module="Leads", crm_id=crm_id, outcome="done", duration_ms=1
        )
    client.force_login(staff)
    south = people["rep"].teams.get()

    page = client.get("/admin/crm/crmwrite/", {"team": south.pk}).content.decode()

    assert "10x1" in page and "10x2" not in page


def test_a_create_is_recorded_even_when_its_lead_is_deleted_while_on_the_wire(
    signed_in, owner_crm, sandbox, monkeypatch
):
    """The record MyCRM made stays in the trail when there is no submission left to store the
    outcome on (an admin deleted the queued lead while the worker was sending it)."""
    import requests

    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    sandbox.faults_clear()
    real_send = requests.Session.send

    def send_then_delete(self, request, **kwargs):
        answer = real_send(self, request, **kwargs)
        body = request.body or b""
        if request.method == "POST" and b"operation=create" in (body if isinstance(body, bytes) else body.encode()):
            Lead.objects.filter(pk=lead.pk).delete()
        return answer

    monkeypatch.setattr(requests.Session, "send", send_then_delete)
    run_worker()

    assert not Lead.objects.exists()
    made = crm_leads(sandbox, FULL_LEAD["lastname"])
    write = CrmWrite.objects.get(operation="create", outcome=CrmWrite.Outcome.DONE)
    assert len(made) == 1 and write.crm_id == made[0]["id"]
