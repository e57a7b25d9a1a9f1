"""The choices that come from MyCRM (Lead Source picklist, CRM users): a form page never waits for
the CRM; it shows the cached lists or the built-in fallback while a task refreshes them."""

from leads.crm_options import assignee_choices, leadsource_choices
from mycrm_portal.crm.selectors import crm_account_for

from .helpers import run_worker


def test_a_cold_form_renders_at_once_with_the_fallback_and_asks_the_crm_in_the_background(
    signed_in, owner, owner_crm, sandbox
):
    page = signed_in.get("/leads/new/").content.decode()
    assert sandbox.counters("crm") == {}  # the page itself made no CRM call
    assert "Word of mouth" in page  # the stock picklist
    assert [value for value, _ in assignee_choices(user=owner, account=crm_account_for(user=owner))] == ["self"]

    sandbox.sandbox_user_create(user_name="teammate", first_name="Tea", last_name="Mate")
    run_worker()
    counts = sandbox.counters("crm")
    assert counts["describe"] == 2 and counts["query"] == 1
    names = [name for _, name in assignee_choices(user=owner, account=crm_account_for(user=owner))]
    assert "Tea Mate" in names
    assert leadsource_choices(user=owner, module="Leads")[0] == "Cold Call"


def test_a_fresh_list_is_not_asked_for_again(signed_in, owner, owner_crm, sandbox):
    signed_in.get("/leads/new/")
    run_worker()
    sandbox.counters_reset()
    signed_in.get("/leads/new/")
    signed_in.get("/contacts/new/")
    run_worker()
    assert sandbox.counters("crm") == {}


def test_a_crm_outage_keeps_showing_the_last_lists_it_gave(signed_in, owner, owner_crm, sandbox):
    from django.core.cache import cache

    # What the CRM answered last time (MyCRM's own picklist), now past its freshness.
    cache.set("crm:options:Leads:leadsource", {"values": ["Door to door", "Referral"], "fresh_until": 0}, 3600)
    sandbox.fault_set(target="crm", mode="down")
    page = signed_in.get("/leads/new/").content.decode()
    run_worker()  # the refresh fails

    assert leadsource_choices(user=owner, module="Leads") == ["Door to door", "Referral"]
    assert "Door to door" in page and "Word of mouth" not in page
