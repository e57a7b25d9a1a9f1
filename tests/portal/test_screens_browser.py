"""The rep's screens in a real browser at a phone's, a tablet's and a laptop's size: nothing scrolls
sideways, the answer of a check is in the first screen, a form with errors leads to them, every page
passes axe-core (no serious or critical violation), and "/" goes where a rep types.

axe-core is vendored under tests/vendor/axe-core and injected into each page; nothing is fetched.
"""

import re
from pathlib import Path

import pytest

from tests.conftest import connect_to_sandbox, sign_in
from tests.serviceability.helpers import demo_address

AXE = (Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js").read_text()
SIZES = {"phone": (390, 844), "tablet": (820, 1180), "laptop": (1366, 768)}


@pytest.fixture(params=list(SIZES), ids=[f"size={name}" for name in SIZES])
def screen(request, _playwright_browser):
    """A browser context of one screen size (CSP bypassed only so that axe can be injected)."""
    width, height = SIZES[request.param]
    context = _playwright_browser.new_context(viewport={"width": width, "height": height}, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def rep(owner, sandbox):
    connect_to_sandbox(owner, sandbox)
    return owner


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.evaluate(AXE)
    results = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def assert_screen_is_sound(page, what: str):
    width = page.evaluate("window.innerWidth")
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{what}: {scroll_width}px wide on a {width}px screen"
    assert axe_violations(page) == [], what


def in_view(page, locator) -> bool:
    """Entirely inside the viewport as the page is scrolled now."""
    box = locator.bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def check_address(page, base, name="seed-sample"):
    street, city, state = demo_address(name)
    page.goto(f"{base}/check/")
    page.fill("#id_street", street)
    page.fill("#id_city", city)
    page.select_option("#id_state", state)
    page.click("#check-form button[type=submit]")
    page.locator(".check-result").wait_for()


def test_the_answer_of_a_check_is_in_the_first_screen_at_every_size(live_server, rep, screen):
    from playwright.sync_api import expect

    page = screen.new_page()
    sign_in(page, live_server.url, "owner")
    check_address(page, live_server.url)

    result = page.locator(".check-result")
    expect(result.locator(".check-result-title")).to_be_focused()
    badge = result.locator(".levels .badge").first
    expect(badge).to_have_text("Served")
    first_speeds = result.locator("table.providers tbody tr").first.locator("td.speeds")
    expect(first_speeds).to_contain_text("1200 / 35")
    page.evaluate("window.scrollTo(0, 0)")
    assert in_view(page, badge), "the level is below the first screen"
    assert in_view(page, first_speeds), "the first provider's speeds are below the first screen"
    # The form folded into one line; "change" opens it.
    expect(page.locator("#id_street")).to_be_hidden()
    page.locator(".check-fold summary").click()
    expect(page.locator("#id_street")).to_be_visible()
    assert_screen_is_sound(page, "check page with a result")


def test_the_answer_is_in_the_first_screen_without_javascript(live_server, rep, _playwright_browser):
    context = _playwright_browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server.url, "owner")
        street, city, state = demo_address("rural-unserved")
        page.goto(f"{live_server.url}/check/?street={street}&city={city}&state={state}")
        assert page.evaluate("window.scrollY") == 0  # no script: the first screen as it loads
        result = page.locator(".check-result")
        assert in_view(page, result.locator(".levels .badge").first)
        first = result.locator("table.providers tbody tr").first
        assert first.locator("th").inner_text() == "Starlink"  # 220 Mbps before 7/1 DSL
        assert in_view(page, first.locator("td.speeds"))
    finally:
        context.close()


@pytest.mark.parametrize("kind", ["lead", "contact"])
def test_a_form_sent_with_errors_focuses_a_summary_that_leads_to_each_field(live_server, rep, screen, kind):
    from playwright.sync_api import expect

    page = screen.new_page()
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/{kind}s/new/")
    assert_screen_is_sound(page, f"new {kind} form")
    page.fill("#id_email", "not an e-mail")
    page.click("form.submission-form .actions button[type=submit]")

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert in_view(page, summary)
    links = summary.locator("a")
    expect(links.first).to_have_text(re.compile(r"^First name: "))
    expect(summary).to_contain_text("Email: Enter a valid email address.")
    links.last.focus()
    page.keyboard.press("Enter")  # with the keyboard, as a rep at the form would
    expect(page.locator("#id_email")).to_be_focused()
    assert in_view(page, page.locator("#id_email"))
    expect(page.locator("#id_email")).to_have_value("not an e-mail")  # nothing typed is lost
    assert_screen_is_sound(page, f"{kind} form with errors")


def test_lists_record_pages_and_the_public_page_fit_every_screen(live_server, rep, screen):
    from playwright.sync_api import expect

    base = live_server.url
    page = screen.new_page()
    sign_in(page, base, "owner")
    page.goto(f"{base}/leads/new/")
    page.fill("#id_firstname", "Avery")
    page.fill("#id_lastname", "Stone-Whitfield-Okonkwo")
    page.fill("#id_email", "avery.stone-whitfield.okonkwo@example-broadband-customers.com")
    page.fill("#id_lane", "55 Trinity Ave SW")
    page.fill("#id_city", "Atlanta")
    page.click("form.submission-form .actions button[type=submit]")
    page.wait_for_url(re.compile(r"/leads/\d+/$"))
    record = page.url

    # The record page: the MyCRM id opens the record in MyCRM's own web UI; no empty sections.
    crm_link = page.locator("#submission-status a[target=_blank]")
    expect(crm_link).to_have_attribute("href", re.compile(r"/sandbox/index\.php\?module=Leads&view=Detail&record=\d+$"))
    expect(page.locator(".record-grid h2")).not_to_contain_text(["Campaign"])
    assert_screen_is_sound(page, "lead record page")

    page.goto(f"{base}/leads/")
    row = page.locator("table.cards tbody tr").first
    for text in ("Avery", "In MyCRM", "Atlanta"):
        expect(row).to_contain_text(text)
        assert row.get_by_text(text, exact=False).first.is_visible()
    assert_screen_is_sound(page, "leads list")

    for path in (
        "/",
        "/contacts/",
        "/check/",
        "/check/history/",
        "/check/bulk/",
        "/crm/search/?q=Stone",
        "/help/",
        "/profile/",
    ):
        page.goto(base + path)
        assert_screen_is_sound(page, path)
    page.goto(f"{record}edit/")
    assert_screen_is_sound(page, "lead edit form")
    from leads.models import Lead

    crm_id = Lead.objects.get(lastname="Stone-Whitfield-Okonkwo").crm_id
    for path in (
        f"/crm/leads/{crm_id}/",
        f"/crm/leads/{crm_id}/edit/",
        f"/crm/leads/{crm_id}/convert/",
        "/crm/account/",
    ):
        page.goto(base + path)
        assert_screen_is_sound(page, path)

    check_address(page, base, "multi-location")
    page.get_by_role("button", name="Share with customer").click()
    page.wait_for_url(re.compile(r"/check/\d+/$"))
    assert_screen_is_sound(page, "a check's own page with a new share link")
    share_url = page.locator("#share-link-url").input_value()
    customer = screen.browser.new_context(viewport=page.viewport_size, bypass_csp=True).new_page()
    try:
        customer.goto(share_url)
        expect(customer.locator(".public-share-contact")).to_contain_text("owner@example.com")
        assert_screen_is_sound(customer, "the public page")
    finally:
        customer.context.close()


def test_the_sign_in_page_fits_every_screen(live_server, screen):
    page = screen.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert_screen_is_sound(page, "sign-in page")
    page.click("button[type=submit]")
    assert_screen_is_sound(page, "sign-in page with errors")


def test_slash_goes_to_the_address_check_or_the_search(live_server, rep, _playwright_browser):
    from playwright.sync_api import expect

    context = _playwright_browser.new_context()
    try:
        page = context.new_page()
        base = live_server.url
        sign_in(page, base, "owner")
        page.goto(f"{base}/")
        page.keyboard.press("/")
        expect(page.locator(".quick-check input[name=street]")).to_be_focused()

        page.goto(f"{base}/leads/")
        page.keyboard.press("/")
        expect(page.locator(".nav-search")).to_be_focused()
        page.keyboard.type("Stone")  # the "/" itself is not typed into the box
        expect(page.locator(".nav-search")).to_have_value("Stone")

        check_address(page, base)
        page.locator("body").click(position={"x": 5, "y": 300})
        page.keyboard.press("/")
        expect(page.locator("#id_street")).to_be_focused()  # the folded form opened

        # Every action of the answer is reachable with the keyboard, in the order of the page.
        names = []
        for _ in range(40):
            page.keyboard.press("Tab")
            names.append(page.evaluate("document.activeElement.textContent.trim()"))
        order = [
            n
            for n in ("Create a lead at this address", "Share with customer", "Copy link for colleagues")
            if n in names
        ]
        assert order == ["Create a lead at this address", "Share with customer", "Copy link for colleagues"]
        assert names.index(order[0]) < names.index(order[1]) < names.index(order[2])
    finally:
        context.close()


def test_the_reports_page_fits_every_screen(live_server, rep, staff, screen):
    from playwright.sync_api import expect

    page = screen.new_page()
    sign_in(page, live_server.url, "owner")
    check_address(page, live_server.url)
    page.get_by_role("button", name="Create a lead at this address").click()
    page.fill("#id_firstname", "Avery")
    page.fill("#id_lastname", "Stone")
    page.click("form.submission-form .actions button[type=submit]")
    page.wait_for_url(re.compile(r"/leads/\d+/$"))
    page.context.clear_cookies()
    sign_in(page, live_server.url, "staff")

    page.goto(f"{live_server.url}/reports/")

    expect(page.locator("main")).to_contain_text("1 check; a lead was started from 1 of them (100 %).")
    expect(page.locator("svg.chart").first).to_be_visible()
    assert_screen_is_sound(page, "reports")


def test_a_bulk_list_page_fits_every_screen(live_server, rep, screen):
    page = screen.new_page()
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/check/bulk/")
    page.fill("#id_lines", "55 Trinity Ave SW, Atlanta, GA, 30303\n12 Oak St, , GA\n39 Main St, Montpelier, VT")
    page.get_by_role("button", name="Check these addresses").click()
    page.wait_for_url(re.compile(r"/check/bulk/\d+/$"))
    assert_screen_is_sound(page, "a bulk list while it is checked")


def test_a_crm_edit_in_conflict_and_the_staff_pages_fit_every_screen(live_server, rep, staff, screen):
    from crmrecords.models import RecordEdit

    edit = RecordEdit(user=rep, module="Leads", crm_id="10x5", record_name="Ann Zebra", fields=["phone", "city"])
    edit.changes = {"phone": "(404) 555-0111", "city": "Macon"}
    edit.status = RecordEdit.Status.CONFLICT
    edit.conflicts = {"phone": "(404) 555-0199", "city": "Atlanta"}
    edit.save()
    page = screen.new_page()
    sign_in(page, live_server.url, "owner")
    page.goto(f"{live_server.url}/crm/edits/{edit.pk}/")
    assert page.locator("main").inner_text().count("(404) 555-0199") == 1
    assert_screen_is_sound(page, "a CRM edit in conflict")

    page.context.clear_cookies()
    sign_in(page, live_server.url, "staff")
    for path in ("/crm/fields/", "/check/history/", "/leads/"):
        page.goto(live_server.url + path)
        assert_screen_is_sound(page, f"{path} as staff")
