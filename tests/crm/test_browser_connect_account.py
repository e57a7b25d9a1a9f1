"""In a real browser: a rep signs in and connects their CRM account; a wrong key says so."""

import pytest

from tests.conftest import sign_in

pytestmark = pytest.mark.browser


def test_a_rep_signs_in_and_connects_their_crm_account(page, live_server, sandbox, owner):
    crm_user = sandbox.sandbox_user_create(user_name="olivia", first_name="Olivia", last_name="Owner")
    sign_in(page, live_server.url, "owner")
    assert page.locator("h1").inner_text().startswith("Hello")

    page.click("text=CRM account")
    page.fill("#id_crm_username", "olivia")
    page.fill("#id_access_key", "wrong-key-123")
    page.click("text=Verify and save")
    assert "did not accept this username and access key" in page.locator("#errors-access_key").inner_text()
    assert page.input_value("#id_access_key") == ""  # never rendered back
    assert page.input_value("#id_crm_username") == "olivia"  # what was typed is kept

    page.fill("#id_access_key", crm_user.access_key)
    page.click("text=Verify and save")
    assert f"Connected to MyCRM as olivia ({crm_user.ws_id})" in page.locator(".messages").inner_text()
    assert "Connected" in page.locator("article").first.inner_text()
    assert crm_user.access_key not in page.content()
