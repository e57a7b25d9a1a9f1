"""A link that expired, was revoked or never existed: 410 or 404 with one friendly page that names
no rep and no address. Its maker or staff revoke it; other reps cannot."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from serviceability.models import ShareLink
from tests.serviceability.share_helpers import COMPANY, GONE_TEXT, checked, shared, visible_text


@pytest.fixture(autouse=True)
def _company(settings):
    settings.COMPANY_NAME = COMPANY


@pytest.fixture
def customer():
    return Client()


@pytest.fixture
def link_and_path(sandbox, owner):
    return shared(checked(owner, unit="Apt 4"), owner)


def _client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _assert_the_friendly_page_naming_nobody(response, status):
    assert response.status_code == status
    html = response.content.decode()
    assert GONE_TEXT in visible_text(html)
    assert COMPANY in html
    for private in ("Trinity", "Atlanta", "Apt 4", "Olivia", "Owner", "Xfinity", "CostQuest"):
        assert private not in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_an_expired_link_is_gone(link_and_path, customer):
    link, path = link_and_path
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    _assert_the_friendly_page_naming_nobody(customer.get(path), 410)


def test_the_maker_revokes_the_link_and_it_is_gone_at_once(link_and_path, owner, signed_in, customer):
    link, path = link_and_path
    assert customer.get(path).status_code == 200

    response = signed_in.post(f"/check/share/{link.pk}/revoke/")

    assert response.status_code == 302
    assert response["Location"] == link.address_check.get_absolute_url()
    html = signed_in.get(response["Location"]).content.decode()
    assert f"Share link {link.token_prefix}… revoked" in html
    assert f"/s/{link.token_prefix}…</code>" not in html  # no longer listed as active
    link.refresh_from_db()
    assert link.revoked_at is not None and link.revoked_by == owner
    _assert_the_friendly_page_naming_nobody(customer.get(path), 410)


def test_another_rep_cannot_revoke_it(link_and_path, colleague, customer):
    link, path = link_and_path

    response = _client_for(colleague).post(f"/check/share/{link.pk}/revoke/")

    assert response.status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None
    assert customer.get(path).status_code == 200


def test_staff_can_revoke_any_link(link_and_path, staff, customer):
    link, path = link_and_path

    response = _client_for(staff).post(f"/check/share/{link.pk}/revoke/")

    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_by == staff
    assert customer.get(path).status_code == 410


def test_revoking_twice_keeps_the_first_revocation(link_and_path, owner, staff, signed_in):
    link, _ = link_and_path
    signed_in.post(f"/check/share/{link.pk}/revoke/")

    response = _client_for(staff).post(f"/check/share/{link.pk}/revoke/", follow=True)

    assert "was already revoked" in response.content.decode()
    link.refresh_from_db()
    assert link.revoked_by == owner


def test_revoking_is_a_post_and_requires_sign_in(link_and_path, signed_in, customer):
    link, _ = link_and_path

    assert signed_in.get(f"/check/share/{link.pk}/revoke/").status_code == 405
    response = customer.post(f"/check/share/{link.pk}/revoke/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    link.refresh_from_db()
    assert link.revoked_at is None


@pytest.mark.django_db
def test_an_unknown_token_is_not_found_with_the_same_page(customer):
    _assert_the_friendly_page_naming_nobody(customer.get("/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"), 404)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/s/", "/s/not/a/link/", "/s/%3Cscript%3E/"])
def test_any_other_path_under_s_is_not_found_with_the_same_page_and_no_sign_in(customer, path):
    _assert_the_friendly_page_naming_nobody(customer.get(path), 404)


def test_a_link_whose_check_was_deleted_is_not_found(link_and_path, customer):
    link, path = link_and_path
    link.address_check.delete()

    assert customer.get(path).status_code == 404
