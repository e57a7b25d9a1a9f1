"""Fixtures for the sandbox's own tests: a raw webservice client over real HTTP (not the portal's
client: these tests pin the protocol itself), and logged-in sessions of the admin and of a
non-admin user with the captured apiuser's settings."""

import hashlib
import json

import pytest
import requests
from django.conf import settings

# These tests touch only the sandbox's tables: flushing just those after each test (instead of
# every table, then re-creating permissions) makes a live-server test several times cheaper.
SANDBOX_TABLES_ONLY = pytest.mark.django_db(transaction=True, available_apps=["mycrm_portal.sandbox"])


def parse(response: requests.Response):
    """The JSON of an answer, found after any PHP warnings (the protocol page's rule)."""
    text = response.text
    start = text.find('{"success"')
    return json.loads(text[start:]) if start >= 0 else None


class Crm:
    """The webservice spoken by hand: every request as the captures show it."""

    def __init__(self, base_url: str):
        self.url = f"{base_url}/webservice.php"

    def get(self, timeout: float = 10, **params) -> requests.Response:
        return requests.get(self.url, params=params, timeout=timeout)

    def post(self, timeout: float = 10, query=None, **data) -> requests.Response:
        return requests.post(self.url, params=query, data=data, timeout=timeout)

    def challenge(self, user_name: str) -> str:
        return parse(self.get(operation="getchallenge", username=user_name))["result"]["token"]

    def login(self, user_name: str, access_key: str) -> dict:
        token = self.challenge(user_name)
        key = hashlib.md5((token + access_key).encode()).hexdigest()
        answer = parse(self.post(operation="login", username=user_name, accessKey=key))
        assert answer["success"], answer
        return answer["result"]

    def create(self, session: str, module: str, element: dict, **extra) -> dict:
        return parse(
            self.post(operation="create", sessionName=session, elementType=module, element=json.dumps(element), **extra)
        )

    def write(self, operation: str, session: str, element: dict) -> dict:
        return parse(self.post(operation=operation, sessionName=session, element=json.dumps(element)))

    def retrieve(self, session: str, ws_id: str) -> dict:
        return parse(self.get(operation="retrieve", sessionName=session, id=ws_id))

    def query(self, session: str, text: str) -> dict:
        return parse(self.get(operation="query", sessionName=session, query=text))


@pytest.fixture(scope="package", autouse=True)
def _cheap_flush_on_postgresql():
    """After each live-server test the sandbox's tables are emptied. PostgreSQL's TRUNCATE takes
    ~70 ms for them whatever they hold, DELETE of the few rows a test leaves well under 1 ms (the
    foreign keys are deferred, so the order does not matter). Package-scoped so that it is in place
    before pytest-django's own fixtures, and only for this folder."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return

    def sql_flush(style, tables, *, reset_sequences=False, allow_cascade=False):
        # Table names from Django itself, quoted: nothing user-supplied reaches this SQL.
        return [f"DELETE FROM {connection.ops.quote_name(table)};" for table in tables]  # noqa: S608

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(connection.ops, "sql_flush", sql_flush)
        yield


@pytest.fixture
def crm(sandbox) -> Crm:
    return Crm(settings.MYCRM_URL)


@pytest.fixture
def admin_session(crm) -> str:
    return crm.login("admin", settings.SANDBOX_ACCESS_KEY)["sessionName"]


@pytest.fixture
def apiuser(sandbox):
    """A non-admin like the captured `apiuser` (19x5, date format mm-dd-yyyy)."""
    return sandbox.sandbox_user_create(
        user_name="apiuser", first_name="Rest", last_name="Api", email="api@example.com", date_format="mm-dd-yyyy"
    )


@pytest.fixture
def user_session(crm, apiuser) -> str:
    return crm.login(apiuser.user_name, apiuser.access_key)["sessionName"]


LEAD = {
    "lastname": "Peer-Smith",
    "firstname": "Ann",
    "assigned_user_id": "19x1",
    "phone": "+1 (555) 123-4567",
    "email": "ann.smith@example.com",
    "lane": "123 Main St",
    "city": "Springfield",
    "state": "IL",
    "code": "62701",
}
CONTACT = {
    "lastname": "Peer-Jones",
    "firstname": "Bob",
    "assigned_user_id": "19x1",
    "mailingstreet": "9 Elm St",
    "mailingcity": "Austin",
    "mailingstate": "TX",
    "mailingzip": "73301",
    "birthday": "1980-05-17",
    "email": "bob@example.com",
}
