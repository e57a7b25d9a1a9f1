"""Staff's "MyCRM fields" page and `manage.py crm_fields`: each portal field against MyCRM's describe,
with what the portal does with the ones MyCRM lacks."""

from io import StringIO

import pytest
from django.core.management import call_command

from mycrm_portal.crm.fieldfit import describe_refresh, send_plan
from mycrm_portal.crm.models import CrmFieldChoice
from mycrm_portal.crm.sessions import crm_session_for
from tests.conftest import connect_to_sandbox


@pytest.fixture
def staff_crm(staff, sandbox):
    return connect_to_sandbox(staff, sandbox, is_admin=True)


def test_only_staff_may_open_it(client, owner, transactional_db):
    client.force_login(owner)
    response = client.get("/crm/fields/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_before_describe_every_field_is_sent_and_the_page_says_so(client, staff, staff_crm):
    client.force_login(staff)
    page = client.get("/crm/fields/").content.decode()
    assert "Not read from MyCRM yet" in page
    assert send_plan("Contacts").outgoing["ssn"] == "ssn"


@pytest.mark.both_profiles
def test_reading_describe_shows_what_mycrm_lacks_and_suggests_the_custom_field(client, staff, staff_crm, crm_profile):
    client.force_login(staff)
    response = client.post("/crm/fields/", follow=True)
    page = response.content.decode()
    assert "fields were read again." in page
    row = page[page.index('id="fit-Leads-business_name"') :][:900]
    if crm_profile == "stock-vtiger":
        assert "missing; kept in the portal only (no choice made yet)" in row
        assert "cf_854" in row and "action=map" in row  # the field labelled "Business Name"
        assert "business_name" not in send_plan("Leads").outgoing
    else:
        assert "in MyCRM" in row and "missing" not in row


@pytest.mark.stock_profile
def test_a_choice_made_in_the_admin_changes_what_is_sent(client, staff, staff_crm):
    before = send_plan("Leads")  # the plan is kept in the cache from here on
    assert before.outgoing["business_name"] == "business_name"
    describe_refresh(crm_session_for(staff))
    assert "business_name" in send_plan("Leads").portal_only  # describe's answer replaced the kept plan
    client.force_login(staff)
    form = client.get("/admin/crm/crmfieldchoice/add/?module=Leads&field=business_name").content.decode()
    assert "MyCRM&#x27;s field labelled like it: cf_854." in form or "MyCRM's field labelled like it: cf_854." in form
    client.post(
        "/admin/crm/crmfieldchoice/add/",
        {"module": "Leads", "field": "business_name", "action": "map", "crm_field": "cf_854"},
    )
    assert CrmFieldChoice.objects.get().crm_field == "cf_854"
    assert send_plan("Leads").outgoing["business_name"] == "cf_854"
    page = client.get("/crm/fields/").content.decode()
    assert "missing; sent to cf_854" in page
    CrmFieldChoice.objects.get().delete()
    assert "business_name" in send_plan("Leads").portal_only  # the choice is gone, and so is its plan


@pytest.mark.stock_profile
def test_the_command_prints_the_fit_and_can_read_describe_again(staff, staff_crm):
    out = StringIO()
    call_command("crm_fields", "--refresh", "staff", stdout=out)
    text = out.getvalue()
    assert "Leads (read " in text
    assert "business_name" in text and "suggested: cf_854" in text
    assert "ssn" in text and "kept in the portal only" in text
