"""A submission's record page: who may open it, and what it shows."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_requires_sign_in(client, lead):
    response = client.get(f"/leads/{lead.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_another_rep_gets_a_404(client, colleague, lead):
    client.force_login(colleague)
    assert client.get(f"/leads/{lead.pk}/").status_code == 404


def test_the_rep_sees_the_fields_status_and_history(client, owner, lead):
    client.force_login(owner)
    page = client.get(f"/leads/{lead.pk}/").content.decode()
    assert "Ann Smith" in page and "Queued" in page
