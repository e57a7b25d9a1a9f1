"""Sending a submission to MyCRM (leads/sending.py) over real HTTP against the sandbox: queued during an
outage and sent exactly once after it, garbage answers, time-outs with and without the CRM acting."""

import pytest

from leads.models import Lead, Status

from .helpers import FULL_LEAD, crm_leads, post_new, run_worker


def test_during_an_outage_it_is_queued_then_sent_exactly_once_by_the_worker(signed_in, owner, owner_crm, sandbox):
    sandbox.fault_set(target="crm", mode="down")
    response = post_new(signed_in, "lead", FULL_LEAD)

    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED
    page = response.content.decode()
    assert page.count("will be sent automatically") == 1  # one status message, not a flash beside it
    assert crm_leads(sandbox, "Smith") == []
    list_page = signed_in.get("/leads/").content.decode()
    assert "Queued" in list_page

    run_worker(max_tasks=3)  # still down: stays queued, tries again later
    lead.refresh_from_db()
    assert lead.status == Status.QUEUED and lead.attempts >= 2

    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [r["id"] for r in crm_leads(sandbox, "Smith")] == [lead.crm_id]
    assert "In MyCRM" in signed_in.get(f"/leads/{lead.pk}/").content.decode()
    assert "In MyCRM" in signed_in.get("/leads/").content.decode()
    outcomes = list(lead.sync_attempts.order_by("at").values_list("outcome", flat=True))
    assert outcomes[0] == "queued" and outcomes[-1] == "synced"


@pytest.mark.parametrize("mode", ["html_error", "php_notice"])
def test_garbage_from_the_crm_queues_or_is_read_through(signed_in, owner_crm, sandbox, mode):
    sandbox.fault_set(target="crm", mode=mode)
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    # An HTML error page is a transient failure; PHP warnings before the JSON are read through.
    assert lead.status == Status.QUEUED if mode == "html_error" else lead.in_mycrm


def test_a_crm_slower_than_the_timeout_queues_it_and_the_worker_never_duplicates(
    signed_in, owner, owner_crm, sandbox, settings
):
    """Commit-then-time-out: the CRM creates the record but answers after the read timeout. The
    retry finds that record instead of creating a second one."""
    sandbox.fault_set(target="crm", mode="commit_then_timeout", seconds=settings.CRM_READ_TIMEOUT + 1.5)
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED
    assert lead.create_unconfirmed
    assert len(crm_leads(sandbox, "Smith")) == 1  # the CRM did create it

    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [r["id"] for r in crm_leads(sandbox, "Smith")] == [lead.crm_id]
    assert lead.sync_attempts.filter(operation="reconcile", outcome="found").exists()


@pytest.mark.mycrm_profile  # transport and timing: the same against both
def test_a_retry_after_a_timeout_where_the_crm_did_nothing_creates_it(signed_in, owner_crm, sandbox, settings):
    sandbox.fault_set(target="crm", mode="slow", seconds=settings.CRM_READ_TIMEOUT + 1.5)
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED
    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert len(crm_leads(sandbox, "Smith")) == 1
