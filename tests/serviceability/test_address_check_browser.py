"""In a real browser: a rep checks an address, filters to business, shares the link; a colleague
opens it and starts a lead from it."""

import re

import pytest

from tests.conftest import sign_in
from tests.serviceability.helpers import demo_address

pytestmark = pytest.mark.browser


def test_a_rep_checks_filters_and_shares_and_a_colleague_starts_a_lead(sandbox, live_server, page, owner, colleague):
    from playwright.sync_api import expect

    base = live_server.url
    street, city, state = demo_address("seed-sample")  # Crown Castle Fiber there is business-only
    csp_violations = []
    page.on("console", lambda msg: "Content Security Policy" in msg.text and csp_violations.append(msg.text))

    sign_in(page, base, "owner")
    page.goto(f"{base}/check/")
    page.fill("#id_street", f"{street} Apt 4")
    page.fill("#id_city", city)
    page.select_option("#id_state", state)
    page.evaluate("window.notReloaded = true")
    page.click("#check-form button[type=submit]")

    result = page.locator("#results .check-result")
    expect(result.locator(".levels .badge-served").first).to_have_text("Served")
    providers = result.locator("table.providers tbody")
    expect(providers).to_contain_text("Xfinity")
    expect(providers).to_contain_text("Crown Castle Fiber")
    # htmx swapped the result in under the form and pushed a shareable URL; the page did not reload.
    expect(page).to_have_url(re.compile(r"/check/\?street=.+&city=.+&state=" + state))
    assert page.evaluate("window.notReloaded === true")
    expect(page.locator("#id_street")).to_have_value(f"{street} Apt 4")  # in the folded form
    expect(page.locator(".check-fold-address")).to_have_text(f"{street} Apt 4, {city}, {state}")
    expect(result.locator(".check-result-title")).to_be_focused()

    result.locator(".audience-filter a", has_text="Residential").click()
    expect(result.locator("caption")).to_have_text("Providers for residential customers, best for the customer first")
    expect(providers).not_to_contain_text("Crown Castle")

    result.locator(".audience-filter a", has_text="Business").click()
    expect(result.locator("caption")).to_have_text("Providers for business customers, best for the customer first")
    expect(providers).to_contain_text("Crown Castle Fiber")
    expect(providers).to_contain_text("Xfinity")  # it serves both
    assert page.evaluate("window.notReloaded === true")

    copy = result.locator("button[data-copy]")
    permalink = copy.get_attribute("data-copy")
    assert re.fullmatch(rf"{re.escape(base)}/check/\d+/", permalink)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == permalink
    assert csp_violations == []

    other_context = page.context.browser.new_context()
    try:
        other = other_context.new_page()
        sign_in(other, base, "colleague")
        other.goto(permalink)
        shared = other.locator(".check-result")
        expect(shared.locator(".levels .badge-served").first).to_have_text("Served")
        expect(shared.locator("table.providers tbody")).to_contain_text("Crown Castle Fiber")
        expect(other.locator("h1")).to_contain_text("Address check of")

        shared.get_by_role("button", name="Create a lead at this address").click()
        other.wait_for_url(re.compile(r"/leads/new/\?"))
        expect(other.locator("[name=lane]")).to_have_value(street)
        expect(other.locator("[name=city]")).to_have_value(city)
        expect(other.locator("[name=state]")).to_have_value(state)
        expect(other.locator("[name=apart]")).to_have_value("APT 4")
        expect(other.locator("[name=description]")).to_have_value(re.compile(r"^Served \(residential\)\. Best per"))
    finally:
        other_context.close()
