"""Making a share link: "Share with customer" on the result page and the permalink, a POST that
stores a hashed token and shows the link once to the rep who made it."""

import hashlib
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from serviceability.models import ShareLink
from tests.serviceability.helpers import check_params, demo_address, latest_check
from tests.serviceability.share_helpers import TOKEN_IN_URL, checked, shared


@pytest.fixture
def colleague_client(colleague):
    client = Client()
    client.force_login(colleague)
    return client


def _share(client, check):
    return client.post(f"/check/{check.pk}/share/")


def _new_link_url(html: str) -> str:
    start = html.index('id="share-link-url"')
    value = html.index('value="', html.rindex("<input", 0, start)) + len('value="')
    return html[value : html.index('"', value)]


def test_sharing_from_the_permalink_redirects_back_and_shows_the_link_once_with_a_copy_button(
    sandbox, signed_in, owner
):
    check = checked(owner)

    response = _share(signed_in, check)

    assert response.status_code == 302
    assert response["Location"] == f"/check/{check.pk}/"
    html = signed_in.get(response["Location"]).content.decode()
    url = _new_link_url(html)
    assert TOKEN_IN_URL.fullmatch(url.removeprefix("http://testserver"))
    assert f'<button type="button" data-copy="{url}">Copy share link</button>' in html
    assert "Share link created." in html

    again = signed_in.get(f"/check/{check.pk}/").content.decode()
    assert url not in again
    assert "Share link created." not in again


def test_the_database_holds_a_hash_of_the_token_never_the_token(sandbox, signed_in, owner):
    check = checked(owner)
    _share(signed_in, check)
    url = _new_link_url(signed_in.get(f"/check/{check.pk}/").content.decode())
    token = TOKEN_IN_URL.search(url).group(1)

    link = ShareLink.objects.get()
    assert len(token) >= 32  # secrets.token_urlsafe(24): 192 bits
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert link.token_prefix == token[:6]
    stored = " ".join(str(value) for value in ShareLink.objects.values().get().values())
    assert token not in stored
    # Nor does the session keep it once the page has shown it.
    assert token not in str(dict(signed_in.session))


def test_the_link_expires_after_share_link_days(sandbox, signed_in, owner, settings):
    settings.SHARE_LINK_DAYS = 3
    check = checked(owner)
    before = timezone.now()

    _share(signed_in, check)

    link = ShareLink.objects.get()
    assert link.created_by == owner
    assert link.address_check == check
    assert before <= link.created_at <= timezone.now()
    assert link.expires_at - link.created_at == timedelta(days=3)
    assert link.revoked_at is None and link.is_active


def test_each_share_makes_a_new_link(sandbox, signed_in, owner):
    check = checked(owner)

    _share(signed_in, check)
    _share(signed_in, check)

    hashes = set(ShareLink.objects.values_list("token_hash", flat=True))
    assert len(hashes) == 2


def test_the_result_page_offers_the_share_button_and_it_leads_to_the_permalink(sandbox, signed_in, owner):
    street, city, state = demo_address("seed-sample")

    html = signed_in.get("/check/", check_params(street, city, state)).content.decode()

    check = latest_check()
    assert f'formaction="/check/{check.pk}/share/"' in html
    assert '<form id="share-link-form" method="post" hidden>' in html
    assert "Share with customer</button>" in html
    response = _share(signed_in, check)
    assert response["Location"] == f"/check/{check.pk}/"


def test_the_result_fragment_offers_the_share_button_too(sandbox, signed_in):
    street, city, state = demo_address("seed-sample")

    html = signed_in.get("/check/", check_params(street, city, state), headers={"HX-Request": "true"}).content.decode()

    assert 'form="share-link-form"' in html and "Share with customer</button>" in html


def test_a_colleague_may_share_another_reps_check(sandbox, owner, colleague, colleague_client):
    check = checked(owner)

    response = _share(colleague_client, check)

    assert response.status_code == 302
    assert ShareLink.objects.get().created_by == colleague


def test_the_permalink_lists_active_links_with_revoke_only_for_their_maker(
    sandbox, owner, colleague, signed_in, colleague_client
):
    check = checked(owner)
    own, _ = shared(check, owner)
    theirs, _ = shared(check, colleague)
    revoked, _ = shared(check, owner)
    revoked.revoked_at = timezone.now()
    revoked.save()

    html = signed_in.get(f"/check/{check.pk}/").content.decode()

    assert "Customer share links" in html
    assert f"/s/{own.token_prefix}…" in html and f"/s/{theirs.token_prefix}…" in html
    assert f"/s/{revoked.token_prefix}…" not in html
    assert "Olivia Owner" in html and "Carl Colleague" in html
    assert f'action="/check/share/{own.pk}/revoke/"' in html
    assert f'action="/check/share/{theirs.pk}/revoke/"' not in html


def test_a_check_without_a_result_cannot_be_shared(sandbox, owner, signed_in):
    sandbox.fault_set(target="fcc", mode="down")
    failed = checked(owner)

    html = signed_in.get(f"/check/{failed.pk}/").content.decode()
    assert "Share with customer" not in html

    response = _share(signed_in, failed)
    assert response.status_code == 302
    assert "This check has no result to share" in signed_in.get(response["Location"]).content.decode()
    assert ShareLink.objects.count() == 0


def test_a_check_that_found_no_location_cannot_be_shared(sandbox, owner, signed_in):
    nowhere = checked(owner, "no-match")

    assert "Share with customer" not in signed_in.get(f"/check/{nowhere.pk}/").content.decode()
    _share(signed_in, nowhere)
    assert ShareLink.objects.count() == 0


def test_sharing_requires_sign_in(sandbox, owner, client):
    check = checked(owner)

    response = _share(client, check)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert ShareLink.objects.count() == 0


def test_sharing_is_a_post(sandbox, owner, signed_in):
    check = checked(owner)

    assert signed_in.get(f"/check/{check.pk}/share/").status_code == 405
    assert ShareLink.objects.count() == 0


@pytest.mark.django_db
def test_sharing_an_unknown_check_is_not_found(signed_in):
    assert signed_in.post("/check/999999/share/").status_code == 404
