"""The sandbox's staff page at /sandbox/."""

import pytest
from django.urls import reverse

from mycrm_portal.sandbox import services

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(reverse("sandbox_home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_it_refuses_non_staff(client, owner):
    client.force_login(owner)
    assert client.get(reverse("sandbox_home")).status_code == 403
    assert client.post(reverse("sandbox_home"), {"action": "faults_clear"}).status_code == 403


def test_staff_see_faults_counters_users_and_demo_addresses(client, staff):
    services.fault_set(target="crm", mode="php_notice")
    services.sandbox_user_create(user_name="rep1")
    from mycrm_portal.sandbox.faults import count

    count("crm", "create")
    client.force_login(staff)
    page = client.get(reverse("sandbox_home")).content.decode()
    assert "php_notice" in page
    assert "<td>create</td>" in page
    assert "rep1" in page and "19x5" in page
    assert "55 Trinity Ave SW" in page
    assert 'style="' not in page  # CSP: no inline styles


def test_staff_can_set_and_clear_a_fault(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("sandbox_home"), {"action": "fault", "target": "crm", "mode": "slow", "seconds": "3"}
    )
    assert response.status_code == 302
    assert services.faults() == {"crm": {"mode": "slow", "seconds": 3.0}}
    client.post(reverse("sandbox_home"), {"action": "fault", "target": "crm", "mode": "off"})
    assert services.faults() == {}
    client.post(reverse("sandbox_home"), {"action": "fault", "target": "fcc", "mode": "failed"})
    client.post(reverse("sandbox_home"), {"action": "faults_clear"})
    assert services.faults() == {}


def test_a_new_crm_users_access_key_is_shown_once(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("sandbox_home"), {"action": "user_create", "user_name": "rep2", "date_format": "yyyy-mm-dd"}
    )
    key = services.sandbox_user_get_or_create(user_name="rep2").access_key
    assert key in response.content.decode()
    assert key not in client.get(reverse("sandbox_home")).content.decode()


def test_a_taken_user_name_is_an_error_on_the_form(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("sandbox_home"), {"action": "user_create", "user_name": "admin", "date_format": "yyyy-mm-dd"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()


def test_staff_can_reset_counters_and_end_sessions(client, staff):
    services.session_open(user_name="admin")
    client.force_login(staff)
    client.post(reverse("sandbox_home"), {"action": "sessions_invalidate"})
    client.post(reverse("sandbox_home"), {"action": "counters_reset"})
    assert services.sessions_invalidate() == 0
    assert services.counters() == {}
