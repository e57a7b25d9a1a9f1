"""single_flight: one call at a time per key across threads, the others sharing its outcome; a
finished leader frees the key at once, and a leader that outlived its lock never frees the lock of
the caller that took it over."""

import threading
import time

import pytest
from django.core.cache import cache

from mycrm_portal.singleflight import single_flight

pytestmark = pytest.mark.django_db(transaction=True)


def test_callers_at_once_share_one_call_and_the_key_is_free_right_after():
    calls = []
    started = threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return "answer"

    answers = []

    def ask():
        answers.append(single_flight("t:one", slow, wait=10))

    threads = [threading.Thread(target=ask)]
    threads[0].start()
    started.wait(5)
    threads += [threading.Thread(target=ask) for _ in range(3)]
    for t in threads[1:]:
        t.start()
    for t in threads:
        t.join(10)

    assert answers == ["answer"] * 4 and len(calls) == 1
    assert cache.get("flight:t:one:lock") is None  # released: the next caller leads at once
    assert single_flight("t:one", lambda: "again", wait=10) == "again"


def test_a_leader_that_outlived_its_lock_leaves_the_next_leaders_lock_alone():
    leading, taken_over = threading.Event(), threading.Event()

    def work():
        leading.set()
        return taken_over.wait(10)

    first = threading.Thread(target=lambda: single_flight("t:two", work, wait=10, lock_ttl=1))
    first.start()
    assert leading.wait(5)
    deadline = time.monotonic() + 5
    while not cache.add("flight:t:two:lock", "next-leader", timeout=30):  # once the first lock expired
        assert time.monotonic() < deadline
        time.sleep(0.05)
    taken_over.set()
    first.join(10)

    assert cache.get("flight:t:two:lock") == "next-leader"
