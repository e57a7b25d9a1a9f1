"""What the rep sees as "In MyCRM" is what MyCRM holds (leads/sending.py, crm/storage.py), against the
sandbox's stock-vtiger profile (a default vtiger 8.2: no custom field but cf_854 "Business Name",
emoji stored as ????, the script rule) and its mycrm profile."""

import time

import pytest

from leads.models import Contact, Lead, Status
from leads.sending import submission_sync
from mycrm_portal.crm.fieldfit import describe_refresh
from mycrm_portal.crm.models import CrmFieldChoice
from mycrm_portal.crm.sessions import crm_session_for

from .helpers import FULL_CONTACT, FULL_LEAD, crm_leads, post_new, run_worker


@pytest.fixture
def stock(sandbox, crm_profile):
    """The sandbox as a stock vtiger 8.2 (tests using it are marked stock_profile)."""
    assert crm_profile == "stock-vtiger"
    return sandbox


@pytest.fixture
def described(owner, owner_crm):
    """The portal has read MyCRM's fields (as on connecting the account)."""
    describe_refresh(crm_session_for(owner))


def test_an_emoji_is_refused_at_its_field_with_the_character_named(signed_in, owner_crm, sandbox):
    response = post_new(signed_in, "lead", {**FULL_LEAD, "description": "Great customer 👍 loves fiber"})
    page = response.content.decode()
    assert "MyCRM cannot store 👍: remove it." in page
    assert "Great customer 👍 loves fiber" in page  # what was typed is kept on the form
    assert not Lead.objects.exists() and crm_leads(sandbox, "Smith") == []


@pytest.mark.mycrm_profile
def test_where_mycrm_keeps_4_byte_characters_they_are_sent(signed_in, owner_crm, sandbox, settings):
    settings.MYCRM_TEXT_4BYTE = True
    post_new(signed_in, "lead", {**FULL_LEAD, "description": "Great customer 👍 loves fiber"})
    assert Lead.objects.get().status == Status.SYNCED
    assert crm_leads(sandbox, "Smith")[0]["description"] == "Great customer 👍 loves fiber"


@pytest.mark.stock_profile
def test_an_emoji_a_stock_vtiger_loses_makes_it_in_mycrm_with_differences(signed_in, owner_crm, stock, settings):
    settings.MYCRM_TEXT_4BYTE = True  # a setting that is wrong for this MyCRM
    response = post_new(signed_in, "lead", {**FULL_LEAD, "description": "Great customer 👍 loves fiber"})
    lead = Lead.objects.get()
    assert lead.status == Status.DIFFERS
    assert lead.crm_differences["description"] == {"why": "four_byte", "stored": "Great customer ???? loves fiber"}
    page = response.content.decode()
    assert "In MyCRM, with differences" in page
    assert "MyCRM stored characters it cannot keep (such as emoji) as ????" in page
    assert "Great customer ???? loves fiber" in page


@pytest.mark.stock_profile
def test_text_under_the_script_rule_is_reported_as_stored_encoded(signed_in, owner_crm, stock):
    note = 'Asked about <script>alert("x")</script> in the "portal"'
    post_new(signed_in, "lead", {**FULL_LEAD, "description": note})
    lead = Lead.objects.get()
    assert lead.status == Status.DIFFERS
    stored = crm_leads(stock, "Smith")[0]["description"]
    assert stored == note.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    assert lead.crm_differences["description"] == {"why": "encoded", "stored": stored}
    assert lead.description == note  # the portal keeps what was typed


def test_a_value_whose_stored_form_would_be_cut_is_refused_with_the_limit(signed_in, owner_crm, sandbox):
    lastname = "<script>x</script>" + "y" * 60  # 78 characters, 90 once < and > are written out
    page = post_new(signed_in, "lead", {**FULL_LEAD, "lastname": lastname}).content.decode()
    assert "MyCRM keeps at most 80 characters here" in page and "which makes this 90" in page
    assert not Lead.objects.exists()


@pytest.mark.mycrm_profile
def test_mycrm_holding_everything_is_a_plain_success(signed_in, owner_crm, sandbox):
    post_new(signed_in, "contact", FULL_CONTACT)
    contact = Contact.objects.get()
    assert contact.status == Status.SYNCED and contact.crm_differences == {}
    assert contact.ssn == ""  # MyCRM holds it: dropped locally


@pytest.mark.stock_profile
def test_a_contact_whose_ssn_mycrm_lacks_keeps_it_locally_and_says_so(signed_in, owner_crm, stock):
    response = post_new(signed_in, "contact", FULL_CONTACT)
    contact = Contact.objects.get()
    assert contact.status == Status.DIFFERS
    assert contact.crm_differences["ssn"] == {"why": "missing", "stored": None}
    assert contact.ssn == "123-45-6789" and contact.dl_license == "D12345678"  # never deleted into the void
    page = response.content.decode()
    assert "MyCRM has no such field: it was not stored" in page
    assert "123-45-6789" not in page


@pytest.mark.stock_profile
def test_once_described_a_field_mycrm_lacks_is_kept_in_the_portal_and_never_sent(
    signed_in, owner_crm, stock, described
):
    form = signed_in.get("/contacts/new/").content.decode()
    assert "Kept in the portal only: MyCRM has no such field." in form
    post_new(signed_in, "contact", FULL_CONTACT)
    contact = Contact.objects.get()
    assert contact.status == Status.DIFFERS
    assert contact.crm_differences["ssn"] == {"why": "portal_only", "stored": None}
    assert "missing" not in {d["why"] for d in contact.crm_differences.values()}  # nothing sent into the void
    assert contact.ssn == "123-45-6789"
    page = signed_in.get(f"/contacts/{contact.pk}/").content.decode()
    assert "kept in the portal only" in page
    assert contact.crm_differences.keys() >= {"business_name", "zip4", "apart", "is_customer", "csg_number"}


@pytest.mark.stock_profile
def test_a_field_mapped_by_staff_reaches_the_mapped_custom_field(signed_in, owner_crm, stock, described):
    CrmFieldChoice.objects.create(
        module="Leads", field="business_name", action=CrmFieldChoice.Action.MAP, crm_field="cf_854"
    )
    post_new(signed_in, "lead", FULL_LEAD)
    lead = Lead.objects.get()
    assert crm_leads(stock, "Smith")[0]["cf_854"] == FULL_LEAD["business_name"]
    assert "business_name" not in lead.crm_differences
    assert lead.crm_differences["zip4"]["why"] == "portal_only"


@pytest.mark.stock_profile
def test_a_hidden_field_is_not_on_the_form(signed_in, owner_crm, stock, described):
    CrmFieldChoice.objects.create(module="Leads", field="zip4", action=CrmFieldChoice.Action.HIDE)
    form = signed_in.get("/leads/new/").content.decode()
    assert 'name="zip4"' not in form and 'name="apart"' in form


@pytest.mark.stock_profile
def test_a_timed_out_create_with_script_in_its_note_and_a_last_name_mycrm_cuts_is_found_not_duplicated(
    owner, owner_crm, stock, settings
):
    # 80 characters here (saved before the form checked the stored length), 92 once MyCRM writes
    # < and > out under its script rule: MyCRM keeps the first 80 of those.
    lastname = "A <script>x</script> " + "x" * 59
    assert len(lastname) == 80
    lead = Lead.objects.create(
        submitted_by=owner,
        firstname="Ann",
        lastname=lastname,
        email="ann.81@example.com",
        description="Said <script>alert(1)</script> twice",
        assigned_user_id="self",
    )
    stock.fault_set(target="crm", mode="commit_then_timeout", seconds=settings.CRM_READ_TIMEOUT + 1.5)
    assert submission_sync(submission=lead, actor="test") == Status.QUEUED
    lead.refresh_from_db()
    assert lead.in_doubt
    assert len(stock.records("Leads")) == 1

    stock.faults_clear()
    run_worker()
    lead.refresh_from_db()
    assert lead.status == Status.DIFFERS  # found: its stored last name is cut, its note encoded
    assert [r["id"] for r in stock.records("Leads")] == [lead.crm_id]
    assert lead.sync_attempts.filter(operation="reconcile", outcome="found").exists()
    assert {"lastname", "description"} <= lead.crm_differences.keys()


def test_a_crm_still_working_after_the_timeout_is_looked_for_only_after_crm_request_max_seconds(
    signed_in, client, staff, owner_crm, sandbox, settings
):
    """The CRM takes longer than the portal waits (a 60-second create on a real server): the
    create commits after the portal gave up. Looking before CRM_REQUEST_MAX_SECONDS would find
    nothing and create a second record."""
    settings.CRM_REQUEST_MAX_SECONDS = 5
    crm_session_for(owner_crm.user).listtypes()  # signed in to MyCRM before it slows down
    sandbox.fault_set(target="crm", mode="slow", seconds=settings.CRM_READ_TIMEOUT + 2)
    started = time.monotonic()
    post_new(signed_in, "lead", {**FULL_LEAD, "duplicates": "create"})  # no duplicate check first
    lead = Lead.objects.get()
    assert lead.status == Status.QUEUED and lead.in_doubt
    sandbox.faults_clear()
    assert crm_leads(sandbox, "Smith") == []  # still being created

    client.force_login(staff)
    page = client.post(f"/leads/{lead.pk}/resend/", follow=True).content.decode()
    assert "In doubt" in page
    run_worker()  # too early: the retry is not due
    assert lead.sync_attempts.count() == 1  # neither looked for nor sent again yet
    assert sandbox.counters("crm")["create"] == 1

    time.sleep(max(0.0, settings.CRM_READ_TIMEOUT + 2.5 - (time.monotonic() - started)))
    assert len(crm_leads(sandbox, "Smith")) == 1  # the slow create went through after all
    # Counted from when the portal stopped waiting.
    due = settings.CRM_READ_TIMEOUT + settings.CRM_REQUEST_MAX_SECONDS + 0.5
    time.sleep(max(0.0, due - (time.monotonic() - started)))
    run_worker()
    lead.refresh_from_db()
    assert lead.in_mycrm
    assert [r["id"] for r in crm_leads(sandbox, "Smith")] == [lead.crm_id]
