"""Reconciling a create that timed out (leads/reconciling.py): the record the CRM may have made is
looked for before anything is created again, and a search the CRM refuses creates nothing."""

from leads.models import Lead, Status
from leads.reconciling import submission_find_in_crm
from mycrm_portal.crm.sessions import crm_session_for

from .helpers import FULL_LEAD, crm_leads, post_new, run_worker


def timed_out_create(signed_in, sandbox, settings):
    """A lead whose create reached the CRM (which made it) but answered too late."""
    sandbox.fault_set(target="crm", mode="commit_then_timeout", seconds=settings.CRM_READ_TIMEOUT + 1.5)
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED and lead.create_unconfirmed
    return lead


def test_it_finds_the_record_a_timed_out_create_left(signed_in, owner, owner_crm, sandbox, settings):
    lead = timed_out_create(signed_in, sandbox, settings)
    sandbox.faults_clear()
    found = submission_find_in_crm(session=crm_session_for(owner), submission=lead)
    assert found is not None
    assert [found["id"]] == [r["id"] for r in crm_leads(sandbox, "Smith")]


def test_it_finds_nothing_when_the_crm_did_not_create_it(signed_in, owner, owner_crm, sandbox):
    lead = Lead.objects.create(
        submitted_by=owner, firstname="Nobody", lastname="Here", assigned_user_id="self", status=Status.QUEUED
    )
    Lead.objects.filter(pk=lead.pk).update(first_attempt_at=lead.created_at)
    lead.refresh_from_db()
    assert submission_find_in_crm(session=crm_session_for(owner), submission=lead) is None


def test_a_search_the_crm_refuses_keeps_it_queued_and_creates_nothing(signed_in, owner_crm, sandbox, settings):
    lead = timed_out_create(signed_in, sandbox, settings)
    sandbox.fault_set(target="crm", mode="query_denied")
    sandbox.counters_reset()
    run_worker(max_tasks=1)

    lead.refresh_from_db()
    assert lead.status == Status.QUEUED
    assert lead.create_unconfirmed  # still to be looked for: never created blindly
    assert "could not be searched for an earlier copy" in lead.last_error_message
    assert sandbox.counters("crm").get("create", 0) == 0
    assert len(crm_leads(sandbox, "Smith")) == 1
    page = signed_in.get(f"/leads/{lead.pk}/").content.decode()
    assert "Queued" in page

    sandbox.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [lead.crm_id] == [r["id"] for r in crm_leads(sandbox, "Smith")]
