"""Part B's signed-in floor (benchmarks/floor_urls.py): the portal's URLs and one response that
renders nothing, behind the sign-in like every page, so that it measures what every signed-in page
pays first."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("benchmarks.floor_urls")]


def test_the_floor_answers_a_signed_in_rep_with_nothing_rendered(client, owner):
    client.force_login(owner)
    answer = client.get("/bench/signed-in-nothing/")
    assert answer.status_code == 200
    assert answer.content.decode() == f"{owner.pk}\n"  # the user was read, no template
    assert client.get("/help/").status_code == 200  # the portal's own pages are all there


def test_the_floor_sends_a_stranger_to_the_sign_in_page(client):
    answer = client.get("/bench/signed-in-nothing/")
    assert answer.status_code == 302
    assert answer["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_the_portal_itself_has_no_such_url(client, owner):
    client.force_login(owner)
    with override_settings(ROOT_URLCONF="mycrm_portal.urls"):
        assert client.get("/bench/signed-in-nothing/").status_code == 404
