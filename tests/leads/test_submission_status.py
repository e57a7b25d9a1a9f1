"""The status badge the record page polls while a submission is on its way."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_serves_the_badge_alone_to_the_owner(client, owner, lead):
    client.force_login(owner)
    body = client.get(f"/leads/{lead.pk}/status/").content.decode()
    assert "<html" not in body and "Queued" in body


def test_another_rep_gets_a_404(client, colleague, lead):
    client.force_login(colleague)
    assert client.get(f"/leads/{lead.pk}/status/").status_code == 404


def test_it_requires_sign_in(client, lead):
    assert client.get(f"/leads/{lead.pk}/status/").status_code == 302
