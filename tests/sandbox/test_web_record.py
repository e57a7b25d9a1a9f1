"""The sandbox's stand-in for MyCRM's web UI: the record page a "MyCRM id" link opens."""

import pytest

from mycrm_portal.sandbox import services

pytestmark = pytest.mark.django_db


def test_a_records_detail_view_shows_what_mycrm_stores_with_secrets_masked(client, owner):
    services.ensure_admin()
    contact = services.record_create(
        module="Contacts",
        values={"firstname": "Ann", "lastname": "Smith", "ssn": "123-45-6789", "assigned_user_id": "19x1"},
    )
    number = contact["id"].partition("x")[2]
    client.force_login(owner)

    response = client.get("/sandbox/index.php", {"module": "Contacts", "view": "Detail", "record": number})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Smith" in page and "<code>firstname</code>" in page
    assert "123-45-6789" not in page and "6789" in page


@pytest.mark.parametrize(
    "params",
    [
        {"module": "Leads", "view": "Detail", "record": "999999"},
        {"module": "Users", "view": "Detail", "record": "1"},
        {"module": "Leads", "view": "List", "record": "1"},
        {"module": "Leads", "view": "Detail", "record": "x"},
    ],
)
def test_anything_else_is_not_found(client, owner, params):
    client.force_login(owner)

    assert client.get("/sandbox/index.php", params).status_code == 404
