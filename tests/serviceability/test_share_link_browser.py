"""In a real browser: a rep shares a result; a customer with no session opens the link on a phone
and sees the providers and the level; the rep revokes it and the link answers 410."""

import re

import pytest

from tests.conftest import sign_in
from tests.serviceability.helpers import demo_address
from tests.serviceability.share_helpers import COMPANY, GONE_TEXT

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 375, "height": 667}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def test_a_rep_shares_a_result_a_customer_opens_it_on_a_phone_and_the_rep_revokes_it(
    sandbox, live_server, page, owner, settings, _playwright_browser
):
    from playwright.sync_api import expect

    settings.COMPANY_NAME = COMPANY
    base = live_server.url
    street, city, state = demo_address("seed-sample")
    csp_violations = []

    sign_in(page, base, "owner")
    page.goto(f"{base}/check/")
    page.fill("#id_street", street)
    page.fill("#id_city", city)
    page.select_option("#id_state", state)
    page.click("#check-form button[type=submit]")
    expect(page.locator("#results .check-result .levels .badge-served").first).to_have_text("Served")

    # "Share with customer" right on the answer: it lands on the check's own page with the new link.
    page.get_by_role("button", name="Share with customer").click()
    page.wait_for_url(re.compile(r"/check/\d+/$"))
    permalink = page.url
    expect(page.locator(".share-new")).to_contain_text("Share link created.")
    share_url = page.locator("#share-link-url").input_value()
    assert re.fullmatch(rf"{re.escape(base)}/s/[A-Za-z0-9_-]{{32}}/", share_url)
    assert page.locator(".share-new button[data-copy]").get_attribute("data-copy") == share_url

    phone = _playwright_browser.new_context(**PHONE)
    try:
        customer = phone.new_page()
        customer.on("console", lambda msg: "Content Security Policy" in msg.text and csp_violations.append(msg.text))
        response = customer.goto(share_url)
        assert response.status == 200
        expect(customer.locator("h1")).to_have_text("Internet service at your address")
        expect(customer.locator(".public-share-address")).to_contain_text(street)
        expect(customer.locator(".public-share-level .badge-served")).to_have_text("Served")
        providers = customer.locator(".public-share-providers")
        for brand in ("Crown Castle Fiber", "Xfinity", "AT&T"):
            expect(providers).to_contain_text(brand)
        expect(customer.locator("body")).to_contain_text(f"Call your {COMPANY} representative, Olivia Owner.")
        expect(customer.locator("body")).not_to_contain_text("CostQuest")
        assert customer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert customer.evaluate("window.innerWidth") == 375
        assert phone.cookies() == []

        page.get_by_role("button", name=re.compile("^Revoke share link")).click()
        page.wait_for_url(permalink)
        expect(page.locator(".messages")).to_contain_text("revoked")

        response = customer.reload()
        assert response.status == 410
        expect(customer.locator("main")).to_contain_text(GONE_TEXT)
        expect(customer.locator("body")).not_to_contain_text(street)
        expect(customer.locator("body")).not_to_contain_text("Olivia")
        assert customer.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        assert csp_violations == []
    finally:
        phone.close()
