"""Staff's "Resend to MyCRM" on a record page: only staff may, and it sends now, once."""

import pytest

from leads.models import Lead, Status

from .helpers import FULL_LEAD, crm_leads, post_new


@pytest.mark.django_db
def test_only_staff_may_resend(client, owner, lead):
    client.force_login(owner)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Resend to MyCRM" not in page
    assert client.post(f"/leads/{lead.pk}/resend/").status_code == 403


def test_a_staff_resend_sends_a_queued_lead_now(signed_in, client, staff, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED
    sandbox.faults_clear()

    client.force_login(staff)
    response = client.post(f"/leads/{lead.pk}/resend/", follow=True)

    assert "Resent: In MyCRM" in response.content.decode()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [r["id"] for r in crm_leads(sandbox, "Smith")] == [lead.crm_id]
    last = lead.sync_attempts.first()
    assert last.outcome == "synced" and last.triggered_by == "staff: staff"


def test_a_resend_while_the_crm_is_down_says_so_and_keeps_it_queued(signed_in, client, staff, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()

    client.force_login(staff)
    page = client.post(f"/leads/{lead.pk}/resend/", follow=True).content.decode()

    assert "Resent: Queued." in page
    lead.refresh_from_db()
    assert lead.status == Status.QUEUED and crm_leads(sandbox, "Smith") == []


def test_resending_a_lead_already_in_mycrm_sends_nothing(signed_in, client, staff, owner_crm, sandbox):
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    sandbox.counters_reset()

    client.force_login(staff)
    client.post(f"/leads/{lead.pk}/resend/")

    assert sandbox.counters("crm") == {}
    assert len(crm_leads(sandbox, "Smith")) == 1
