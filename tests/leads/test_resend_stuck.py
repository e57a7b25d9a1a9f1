"""`manage.py resend_stuck`: submissions left Sending by a stopped process are queued again."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from leads.models import Lead

from .helpers import crm_leads, run_worker


def test_a_lead_left_sending_by_a_stopped_process_is_sent_by_resend_stuck(signed_in, owner, owner_crm, sandbox):
    lead = Lead.objects.create(submitted_by=owner, firstname="Ann", lastname="Stuck", assigned_user_id="self")
    Lead.objects.filter(pk=lead.pk).update(updated_at=timezone.now() - timedelta(minutes=30))
    call_command("resend_stuck")
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert len(crm_leads(sandbox, "Stuck")) == 1
