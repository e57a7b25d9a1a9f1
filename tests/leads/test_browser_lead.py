"""In a real browser: a rep creates a lead end to end, sees it in MyCRM, and an admin finds it."""

import pytest

from leads.models import Lead
from tests.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.mark.mycrm_profile
def test_a_rep_creates_a_lead_sees_it_synced_and_an_admin_finds_it(
    page, browser_context, live_server, sandbox, owner, owner_crm, staff
):
    sign_in(page, live_server.url, "owner")
    page.click("text=New lead")
    page.fill("#id_firstname", "Ann")
    page.fill("#id_lastname", "Smith")
    page.fill("#id_phone", "404 555 0123")
    page.fill("#id_email", "not-an-email")
    page.locator("#id_email").blur()
    page.wait_for_selector("#errors-email .field-error")  # checked while typing (htmx)
    assert "valid email" in page.locator("#errors-email").inner_text()
    page.fill("#id_email", "ann@example.com")
    page.fill("#id_lane", "55 Trinity Ave SW")
    page.fill("#id_city", "Atlanta")
    page.select_option("#id_state", "GA")
    page.fill("#id_code", "30303-1234")
    page.click("text=Create in MyCRM")

    page.wait_for_url(f"{live_server.url}/leads/*/")
    lead = Lead.objects.get()
    assert f"Lead {lead.crm_id} created in MyCRM" in page.locator(".messages").inner_text()
    assert "In MyCRM" in page.locator("#submission-status").inner_text()
    assert sandbox.record(lead.crm_id)["zip4"] == "1234"

    admin = browser_context.browser.new_context().new_page()
    sign_in(admin, live_server.url, "staff")
    admin.goto(f"{live_server.url}/admin/leads/lead/?q={lead.crm_id}")
    with admin.expect_navigation():
        admin.click("#result_list >> text=Ann Smith")
    admin.wait_for_load_state()
    content = admin.content()
    assert lead.crm_id in content
    assert "In MyCRM" in content
    assert "create" in admin.locator(".inline-group").inner_text()  # the sync history
