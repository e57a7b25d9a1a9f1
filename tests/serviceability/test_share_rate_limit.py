"""Requests under /s/ are limited per client address (SHARE_RATE_LIMIT_PER_MINUTE, fixed one-minute
windows), with 429 and Retry-After past the limit; the client address respects PROXY_COUNT."""

import pytest
from django.test import Client, RequestFactory

from serviceability import ratelimit
from serviceability.ratelimit import client_address
from tests.serviceability.share_helpers import checked, shared, visible_text

# 20 seconds into a minute: the window ends in 40.
WINDOW_START = 1_800_000_000 - 1_800_000_000 % 60
MOMENT = WINDOW_START + 20.0
UNKNOWN = "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/"


@pytest.fixture(autouse=True)
def _limit(settings, monkeypatch):
    settings.SHARE_RATE_LIMIT_PER_MINUTE = 3
    settings.PROXY_COUNT = 0
    # Hold the clock inside one window, so that a minute boundary cannot fall between requests.
    monkeypatch.setattr(ratelimit, "now", lambda: MOMENT)


@pytest.fixture
def path(sandbox, owner):
    return shared(checked(owner), owner)[1]


def _get(path, address="203.0.113.7", **headers):
    return Client(REMOTE_ADDR=address, **headers).get(path)


def test_the_request_past_the_limit_gets_429_with_retry_after(path):
    for _ in range(3):
        assert _get(path).status_code == 200

    response = _get(path)

    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    html = response.content.decode()
    assert "Please wait a minute" in visible_text(html)
    assert "Xfinity" not in html and "Trinity" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_another_address_still_gets_the_page(path):
    for _ in range(4):
        _get(path)

    assert _get(path, address="198.51.100.9").status_code == 200


def test_not_found_and_gone_answers_count_too(path):
    for _ in range(3):
        assert _get(UNKNOWN).status_code == 404

    assert _get(path).status_code == 429
    assert _get("/s/anything/else").status_code == 429


def test_the_next_minute_has_a_fresh_budget(path, monkeypatch):
    for _ in range(4):
        _get(path)

    monkeypatch.setattr(ratelimit, "now", lambda: MOMENT + 60)

    assert _get(path).status_code == 200


@pytest.mark.django_db
def test_with_a_proxy_each_forwarded_client_has_its_own_budget(settings):
    settings.PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for _ in range(3):
        _get(UNKNOWN, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")

    assert _get(UNKNOWN, proxy, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert _get(UNKNOWN, proxy, HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 404


@pytest.mark.django_db
def test_with_a_proxy_a_client_cannot_escape_by_sending_its_own_forwarded_for(settings):
    settings.PROXY_COUNT = 1
    for number in range(3):
        _get(UNKNOWN, "10.0.0.2", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}, 203.0.113.7")

    assert _get(UNKNOWN, "10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7").status_code == 429


@pytest.mark.django_db
def test_without_a_proxy_forwarded_for_is_ignored():
    for number in range(3):
        _get(UNKNOWN, "203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")

    assert _get(UNKNOWN, "203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429


@pytest.mark.django_db
def test_a_limit_of_zero_turns_it_off(settings):
    settings.SHARE_RATE_LIMIT_PER_MINUTE = 0

    assert all(_get(UNKNOWN).status_code == 404 for _ in range(5))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "", "203.0.113.7"),
        (0, "203.0.113.7", "198.51.100.9", "203.0.113.7"),
        (1, "10.0.0.2", "192.0.2.1, 198.51.100.9", "198.51.100.9"),
        (2, "10.0.0.3", "192.0.2.1, 198.51.100.9, 10.0.0.2", "198.51.100.9"),
        (2, "10.0.0.3", "198.51.100.9", "10.0.0.3"),  # did not come through both proxies
        (1, "10.0.0.2", "not-an-address", "10.0.0.2"),
        (1, "10.0.0.2", "198.51.100.9:51234", "198.51.100.9"),
        (1, "10.0.0.2", "[2001:db8:1:2::7]:443", "2001:db8:1:2::/64"),
        (0, "2001:db8:1:2:aaaa::1", "", "2001:db8:1:2::/64"),  # one household, one budget
        (0, "::ffff:203.0.113.7", "", "203.0.113.7"),
    ],
)
def test_client_address_trusts_only_as_many_forwarded_entries_as_proxies(
    settings, proxies, remote, forwarded, expected
):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/s/x/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_address(request) == expected
