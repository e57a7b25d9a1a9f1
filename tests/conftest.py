"""Shared fixtures: users (an owner rep, a colleague, an outsider, staff), the sandbox CRM and
serviceability service served over real HTTP by pytest-django's live_server, and a browser."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be usable.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    # The live server's listen backlog is 10 by default: 20 clients connecting at once (the
    # concurrency tests) would see SYN retries and connect time-outs that gunicorn's backlog of
    # 2048 never gives in production.
    from django.core.servers.basehttp import WSGIServer

    WSGIServer.request_queue_size = 128


PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, dropped at the end even when a sandbox request thread is still asleep
    in a slow-CRM fault with a connection open (PostgreSQL refuses to drop a database in use)."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


_DB_FIXTURES = {"db", "transactional_db", "live_server", "sandbox", "django_user_model", "client"}


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The cache is shared state (session locks, results, rate limits): each test that can reach
    it starts with it empty. (The default cache lives in the database.)"""
    if request.node.get_closest_marker("django_db") or _DB_FIXTURES & set(request.fixturenames):
        request.getfixturevalue("django_db_setup")
        from django.core.cache import cache

        blocker = request.getfixturevalue("django_db_blocker")
        with blocker.unblock():
            cache.clear()
        from mycrm_portal import once

        once.forget()
    yield


# Every test of the portal's CRM paths (tests/leads, tests/crmrecords, and tests marked
# both_profiles) runs against both MyCRMs the sandbox can play: MyCRM itself (its custom fields) and
# a default vtiger 8.2 (none of them, emoji as ????, the script rule). The sandbox's own protocol
# tests, the client's and the address checks', and tests marked mycrm_profile (they are about
# MyCRM's custom fields, or about transport and timing, the same on both) run against the first
# only; tests marked stock_profile (about what a stock vtiger lacks) against the second only.
PROFILES = ("mycrm", "stock-vtiger")
_CRM_PATHS = tuple(f"{os.sep}tests{os.sep}{name}{os.sep}" for name in ("leads", "crmrecords"))


def pytest_generate_tests(metafunc):
    if "crm_profile" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker
    path = str(metafunc.definition.path)
    both = (any(p in path for p in _CRM_PATHS) or marker("both_profiles")) and not marker("mycrm_profile")
    profiles = PROFILES if both else PROFILES[:1]
    if marker("stock_profile"):
        profiles = PROFILES[1:]
    metafunc.parametrize("crm_profile", profiles, indirect=True, ids=[f"crm={p}" for p in profiles])


@pytest.fixture
def crm_profile(request, settings):
    settings.SANDBOX_PROFILE = request.param
    return request.param


@pytest.fixture
def sandbox(live_server, settings, transactional_db, crm_profile):
    """The built-in MyCRM and serviceability emulator, reachable over HTTP, faults cleared, playing
    the MyCRM of `crm_profile`.

    Returns the sandbox's service module (fault switches, counters, CRM users, records).
    """
    from mycrm_portal.sandbox import services

    settings.MYCRM_URL = f"{live_server.url}/sandbox"
    settings.SERVICEABILITY_URL = f"{live_server.url}/sandbox/fcc"
    services.faults_clear()
    services.counters_reset()
    yield services
    services.faults_clear()


def _make_user(django_user_model, username, **extra):
    return django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.com", **extra
    )


@pytest.fixture
def owner(django_user_model):
    return _make_user(django_user_model, "owner", first_name="Olivia", last_name="Owner")


@pytest.fixture
def colleague(django_user_model):
    return _make_user(django_user_model, "colleague", first_name="Carl", last_name="Colleague")


@pytest.fixture
def outsider(django_user_model):
    return _make_user(django_user_model, "outsider", first_name="Otto", last_name="Outsider")


@pytest.fixture
def staff(django_user_model):
    return _make_user(
        django_user_model, "staff", first_name="Sally", last_name="Staff", is_staff=True, is_superuser=True
    )


def connect_to_sandbox(user, sandbox, crm_username=None, *, is_admin=False):
    """Give `user` a CRM user in the sandbox and a CrmAccount for it (no session yet)."""
    from mycrm_portal.crm.models import CrmAccount

    crm_user = sandbox.sandbox_user_create(
        user_name=crm_username or user.username, first_name=user.first_name, last_name=user.last_name, is_admin=is_admin
    )
    return CrmAccount.objects.create(user=user, crm_username=crm_user.user_name, access_key=crm_user.access_key)


@pytest.fixture
def owner_crm(owner, sandbox):
    """The owner rep connected to their own (non-admin) CRM user in the sandbox."""
    return connect_to_sandbox(owner, sandbox)


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


# --- Browser --------------------------------------------------------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def _playwright_browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing (apt-get install chromium); REQUIRE_BROWSER is set.")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_context(_playwright_browser):
    context = _playwright_browser.new_context()
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def page(browser_context):
    return browser_context.new_page()


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


# --- The four roles of the access rule (mycrm_portal/access.py) -----------------------------------
# A rep of team South, South's lead, the lead of team North (with a rep of their own), and staff.


@pytest.fixture
def people(django_user_model):
    from mycrm_portal.models import Team

    rep = _make_user(django_user_model, "rita", first_name="Rita", last_name="Rep")
    lead_here = _make_user(django_user_model, "lena", first_name="Lena", last_name="Lead")
    lead_elsewhere = _make_user(django_user_model, "olaf", first_name="Olaf", last_name="Other")
    other_rep = _make_user(django_user_model, "omar", first_name="Omar", last_name="Otherrep")
    staff = _make_user(django_user_model, "sam", is_staff=True)
    south = Team.objects.create(name="South")
    south.leads.add(lead_here)
    south.members.add(rep)
    north = Team.objects.create(name="North")
    north.leads.add(lead_elsewhere)
    north.members.add(other_rep)
    return {"rep": rep, "lead_here": lead_here, "lead_elsewhere": lead_elsewhere, "staff": staff, "other": other_rep}


def as_(client, people, role):
    client.force_login(people[role])
    return client
