"""services.address_check against the sandbox's serviceability emulator over real HTTP (live_server)."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection

from serviceability import cache as result_cache
from serviceability.models import AddressCheck
from serviceability.selectors import address_check_list, address_check_recent_list
from serviceability.services import address_check
from tests.serviceability.helpers import demo_address, upstream_calls

# A plausible address that is none of the demo fixtures: the sandbox answers it deterministically.
ELSEWHERE = ("742 Evergreen Terrace", "Springfield", "IL")


def test_the_first_check_asks_the_service_once_and_stores_the_check(sandbox, owner):
    street, city, state = demo_address("seed-sample")

    check = address_check(user=owner, street=street, city=city, state=state, zip_code="30303")

    assert upstream_calls(sandbox) == 1
    check.refresh_from_db()
    assert check.user == owner
    assert check.outcome == AddressCheck.Outcome.FOUND
    assert check.from_cache is False
    assert check.fetched_at is not None
    assert check.residential_level == "served"
    assert check.business_level == "served"
    assert (check.street, check.city, check.state, check.zip) == (street, city, state, "30303")
    assert check.normalized_key.endswith(f"|{state}")
    assert check.snapshot["result"]["locations"]
    assert check.error_message == ""


def test_the_same_address_typed_differently_is_a_cache_hit_that_keeps_the_unit(sandbox, owner):
    first = address_check(user=owner, street="55 Trinity Avenue SW", city="Atlanta", state="GA")
    calls = upstream_calls(sandbox)
    assert calls == 1

    again = address_check(user=owner, street="  55   trinity ave sw  Apt 4 ", city="atlanta", state="ga")

    assert upstream_calls(sandbox) == calls
    assert again.from_cache is True
    assert again.unit == "APT 4"
    assert again.normalized_key == first.normalized_key
    assert again.fetched_at == first.fetched_at
    assert again.snapshot == first.snapshot


def test_twenty_concurrent_checks_of_one_address_make_one_upstream_call(sandbox, owner):
    street, city, state = ELSEWHERE
    barrier = threading.Barrier(20)
    checks, errors = [], []

    def check_in_thread():
        try:
            barrier.wait(timeout=10)
            checks.append(address_check(user=owner, street=street, city=city, state=state))
        except Exception as exc:  # collected, so a failure shows instead of a hang
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=check_in_thread) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(checks) == 20
    assert upstream_calls(sandbox) == 1
    assert {check.outcome for check in checks} <= {AddressCheck.Outcome.FOUND, AddressCheck.Outcome.NO_MATCH}
    assert len({check.fetched_at for check in checks}) == 1
    assert all(check.snapshot == checks[0].snapshot for check in checks)
    assert sum(not check.from_cache for check in checks) == 1
    assert AddressCheck.objects.count() == 20


@pytest.mark.parametrize("mode", ["down", "html_error", "failed", "slow"])
def test_a_failure_with_no_earlier_result_is_unavailable_and_not_cached(sandbox, owner, settings, mode):
    settings.SERVICEABILITY_READ_TIMEOUT = 0.3
    street, city, state = demo_address("seed-sample")
    sandbox.fault_set(target="fcc", mode=mode, seconds=1)

    failed = address_check(user=owner, street=street, city=city, state=state)

    assert failed.outcome == AddressCheck.Outcome.UNAVAILABLE
    assert failed.snapshot == {}
    assert failed.fetched_at is None
    assert failed.residential_level is None
    assert failed.error_message
    assert "Traceback" not in failed.error_message
    sandbox.faults_clear()
    calls = upstream_calls(sandbox)

    recovered = address_check(user=owner, street=street, city=city, state=state)

    assert upstream_calls(sandbox) == calls + 1
    assert recovered.outcome == AddressCheck.Outcome.FOUND
    assert recovered.from_cache is False


def test_a_failure_after_the_fresh_copy_expired_shows_the_earlier_result_as_stale(sandbox, owner, monkeypatch):
    street, city, state = demo_address("seed-sample")
    good = address_check(user=owner, street=street, city=city, state=state)
    # A day and a bit later, for the cache's freshness rule only.
    later = result_cache.now() + timedelta(hours=25)
    monkeypatch.setattr(result_cache, "now", lambda: later)
    sandbox.fault_set(target="fcc", mode="down")

    stale = address_check(user=owner, street=street, city=city, state=state)

    assert stale.outcome == AddressCheck.Outcome.STALE
    assert stale.from_cache is True
    assert stale.fetched_at == good.fetched_at
    assert stale.snapshot == good.snapshot
    assert stale.residential_level == "served"
    assert stale.error_message
    # The failure was not cached: once the service is back, the next check asks it again.
    sandbox.faults_clear()
    calls = upstream_calls(sandbox)
    fresh = address_check(user=owner, street=street, city=city, state=state)
    assert upstream_calls(sandbox) == calls + 1
    assert fresh.outcome == AddressCheck.Outcome.FOUND
    assert fresh.from_cache is False
    assert fresh.fetched_at > good.fetched_at


def test_a_failure_within_the_ttl_is_never_seen_because_the_cache_answers(sandbox, owner):
    street, city, state = demo_address("seed-sample")
    address_check(user=owner, street=street, city=city, state=state)
    sandbox.fault_set(target="fcc", mode="down")

    check = address_check(user=owner, street=street, city=city, state=state)

    assert check.outcome == AddressCheck.Outcome.FOUND
    assert check.from_cache is True
    assert upstream_calls(sandbox) == 1


def test_the_cache_ttl_is_honoured(sandbox, owner, settings):
    settings.SERVICEABILITY_CACHE_TTL = 1
    street, city, state = demo_address("rural-unserved")
    address_check(user=owner, street=street, city=city, state=state)
    address_check(user=owner, street=street, city=city, state=state)
    assert upstream_calls(sandbox) == 1

    time.sleep(1.1)
    check = address_check(user=owner, street=street, city=city, state=state)

    assert upstream_calls(sandbox) == 2
    assert check.from_cache is False


@pytest.mark.parametrize(
    ("fixture", "outcome", "residential", "business"),
    [
        ("seed-sample", "found", "served", "served"),
        ("rural-unserved", "found", "unserved", "unserved"),
        ("duplicate-rows", "found", "served", "served"),
        ("multi-location", "found", "served", "served"),
        ("no-match", "no_match", None, None),
    ],
)
def test_every_demo_address_gives_its_expected_levels(sandbox, owner, fixture, outcome, residential, business):
    street, city, state = demo_address(fixture)

    check = address_check(user=owner, street=street, city=city, state=state)

    assert check.outcome == outcome
    assert check.residential_level == residential
    assert check.business_level == business


def test_a_multi_location_address_keeps_every_location_in_the_snapshot(sandbox, owner):
    from serviceability.domain import bead_level

    street, city, state = demo_address("multi-location")

    check = address_check(user=owner, street=street, city=city, state=state)

    first, second = check.result.locations
    assert bead_level(first, "residential") == "served"
    assert bead_level(second, "residential") == "unserved"
    assert second.bsl_flag is False


def test_an_unexpected_error_in_the_upstream_call_becomes_unavailable(sandbox, owner, monkeypatch):
    import requests

    def broken_get(self, *args, **kwargs):
        raise RuntimeError("something odd in the HTTP stack")

    monkeypatch.setattr(requests.Session, "get", broken_get)

    check = address_check(user=owner, street="1 Main St", city="Dover", state="DE")

    assert check.outcome == AddressCheck.Outcome.UNAVAILABLE
    assert "odd" not in check.error_message


def test_the_cache_keys_are_short_hashes_of_the_normalized_key(sandbox, owner):
    check = address_check(user=owner, street="55 Trinity Ave SW", city="Atlanta", state="GA")

    key = result_cache.fresh_key(check.normalized_key)
    assert len(key) < 64
    assert "TRINITY" not in key and " " not in key
    assert cache.get(key)["result"] == check.snapshot["result"]
    assert cache.get(result_cache.last_good_key(check.normalized_key)) is not None


def test_recent_checks_are_the_reps_own_newest_first(sandbox, owner, colleague):
    street, city, state = demo_address("seed-sample")
    older = address_check(user=owner, street=street, city=city, state=state)
    address_check(user=colleague, street=street, city=city, state=state)
    newer = address_check(user=owner, street=street, city=city, state=state)

    assert address_check_recent_list(user=owner) == [newer, older]
    assert address_check_recent_list(user=owner, limit=1) == [newer]
    assert list(address_check_list(user=colleague).values_list("user__username", flat=True)) == ["colleague"]


def test_a_check_still_works_when_the_shared_cache_is_down(sandbox, owner, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    street, city, state = demo_address("seed-sample")
    with monkeypatch.context() as patch:
        for name in ("get", "set", "add", "delete", "get_many", "set_many"):
            patch.setattr(cache, name, down)
        check = address_check(user=owner, street=street, city=city, state=state)

    assert check.outcome == AddressCheck.Outcome.FOUND
    assert check.from_cache is False
    assert upstream_calls(sandbox) == 1
