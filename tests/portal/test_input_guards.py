"""No 500 for any input: NUL and control characters, over-long sign-ins, out-of-range admin
filters, non-ASCII digits, implausible dates, and error messages that never echo a whole value."""

import pytest

from leads.models import Contact, Lead

from ..leads.helpers import FULL_CONTACT, FULL_LEAD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path", ["/leads/?q=%00", "/contacts/?q=a%00b", "/check/history/?page=%00", "/crm/search/?q=%00"]
)
def test_a_nul_in_a_query_parameter_is_dropped_not_a_500(client, owner, path):
    client.force_login(owner)
    assert client.get(path).status_code == 200


def test_a_nul_in_a_form_value_is_dropped_before_validation(client, owner):
    client.force_login(owner)
    response = client.post("/leads/new/", {**FULL_LEAD, "firstname": "A\x00nn", "assigned_user_id": "self"})
    assert response.status_code in (200, 302)


def test_a_sign_in_with_a_256_character_username_is_a_message(client):
    response = client.post("/accounts/login/", {"username": "u" * 300, "password": "x"})
    assert response.status_code == 200
    assert "A username has at most 150 characters" in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/crm/crmaccount/?created_at__year=99999",
        "/admin/auth/user/?date_joined__year=99999",
        "/admin/leads/lead/?created_at__year=99999&created_at__month=13",
        "/admin/leads/lead/?created_at__day=40&created_at__month=2&created_at__year=2026",
    ],
)
def test_an_out_of_range_admin_filter_is_the_admins_invalid_filter_answer(admin_client, path):
    response = admin_client.get(path)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "e=1" in response["Location"]


@pytest.mark.parametrize(
    "field, value",
    [("code", "３０３０３"), ("zip4", "١٢٣٤"), ("phone", "４０４ ５５５ ０１２３")],
)
def test_digits_must_be_ascii(client, owner, field, value):
    client.force_login(owner)
    page = client.post("/leads/new/", {**FULL_LEAD, field: value, "assigned_user_id": "self"}).content.decode()
    assert not Lead.objects.exists()
    assert "field-error" in page


def test_an_ssn_in_full_width_digits_is_refused(client, owner):
    client.force_login(owner)
    client.post("/contacts/new/", {**FULL_CONTACT, "ssn": "１２３-４５-６７８９", "assigned_user_id": "self"})
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("dl_expdate", "1901-01-01", "Enter a license expiry date between"),
        ("dl_expdate", "2150-01-01", "Enter a license expiry date between"),
        ("service_dt", "1850-06-01", "Enter a service date between"),
        ("birthday", "1850-06-01", "Enter a birthday after 1900"),
    ],
)
def test_every_date_has_a_plausible_range(client, owner, field, value, message):
    client.force_login(owner)
    page = client.post("/contacts/new/", {**FULL_CONTACT, field: value, "assigned_user_id": "self"}).content.decode()
    assert message in page and not Contact.objects.exists()


def test_an_error_never_echoes_a_huge_value(client, owner):
    client.force_login(owner)
    huge = "x" * 100_000
    response = client.post("/leads/new/", {**FULL_LEAD, "leadsource": huge, "state": huge, "assigned_user_id": huge})
    page = response.content.decode()
    assert "Choose one of the options in the list." in page
    assert huge[:1000] not in page
