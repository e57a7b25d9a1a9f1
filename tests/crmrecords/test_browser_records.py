"""In a real browser: a duplicate shows under the phone field while the rep types, and the conflict
screen lets the rep choose between MyCRM's value and theirs."""

import json

import pytest

from mycrm_portal.sandbox import webservice
from mycrm_portal.sandbox.models import SandboxUser
from tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.mycrm_profile]


def test_a_duplicate_shows_under_the_phone_while_typing(page, live_server, sandbox, owner, owner_crm):
    record = sandbox.record_create(
        module="Leads",
        values={"firstname": "Ann", "lastname": "Existing", "phone": "404.555.0123", "assigned_user_id": "19x1"},
    )
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/leads/new/")
    page.fill("#id_firstname", "Ann")
    page.fill("#id_lastname", "New")
    page.locator("#id_phone").press_sequentially("404 555 0123", delay=20)
    page.wait_for_selector("#dupes-phone >> text=Ann Existing", timeout=10_000)
    assert page.locator(f'#dupes-phone a[href="/crm/leads/{record["id"]}/"]').count() == 1
    assert "Update this one" in page.locator("#dupes-phone").inner_text()


def test_the_conflict_screen_keeps_what_the_rep_chooses(page, live_server, sandbox, owner, owner_crm):
    record = sandbox.record_create(
        module="Leads", values={"firstname": "Ann", "lastname": "Smith", "city": "Atlanta", "assigned_user_id": "19x1"}
    )
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/crm/leads/{record['id']}/edit/")
    admin = SandboxUser.objects.get(ws_num=1)
    webservice.execute("revise", {"element": json.dumps({"id": record["id"], "city": "Macon"})}, admin)
    page.fill("#id_city", "Savannah")
    page.click("text=Save in MyCRM")
    page.wait_for_selector("text=Choose what to keep")
    assert "Macon" in page.inner_text("#conflict-form") and "Savannah" in page.inner_text("#conflict-form")
    page.check('input[name="keep_city"][value="theirs"]')
    page.click("text=Save my choice in MyCRM")
    page.wait_for_url(f"{live_server.url}/crm/leads/{record['id']}/")
    assert sandbox.record(record["id"])["city"] == "Macon"
