"""One call at a time for one key, across threads and processes: the others wait for its outcome.

Used where many requests may ask for the same expensive upstream answer at once (a CRM login for a
rep, an address check). Coordination goes through Django's shared cache (Redis or the database
cache), never through one process's memory. The outcome (a value or an exception) is handed to the
waiters of that one flight only and is dropped soon after: this is not a result cache.
"""

import logging
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

_OUTCOME_TTL = 60
# A lock cannot go to another caller before its timeout; within this margin of it (the database
# cache keeps expiry times to the second, hosts' clocks differ a little) a leader asks the cache
# whether the lock is still its own before releasing it.
_LOCK_MARGIN = 5.0


class FlightTimeout(Exception):
    """Waited longer than allowed for another caller's flight to finish."""


def single_flight(key: str, fn: Callable[[], Any], *, wait: float, lock_ttl: float | None = None) -> Any:
    """Run fn() once for all concurrent callers of `key`; return its value or raise its exception.

    `wait` bounds how long a follower waits for the leader (then FlightTimeout); `lock_ttl` bounds
    how long a crashed leader can block others (default: wait). Outcomes and exceptions must be
    picklable.
    """
    lock_key = f"flight:{key}:lock"
    deadline = time.monotonic() + wait
    pause = 0.01
    while True:
        flight_id = uuid.uuid4().hex
        if cache.add(lock_key, flight_id, timeout=lock_ttl or wait):
            return _lead(key, lock_key, flight_id, fn, lock_ttl or wait)
        leader = cache.get(lock_key)
        if leader is not None:
            outcome = _await(key, lock_key, leader, deadline)
            if outcome is not None:
                kind, payload = outcome
                if kind == "error":
                    raise payload
                return payload
        # The lock went away without an outcome (the leader crashed or its lock expired): try again.
        if time.monotonic() >= deadline:
            raise FlightTimeout(f"Gave up waiting for another request working on the same {key.split(':')[0]}.")
        time.sleep(pause)


def _lead(key, lock_key, flight_id, fn, lock_ttl):
    held_until = time.monotonic() + lock_ttl - _LOCK_MARGIN
    outcome_key = f"flight:{key}:outcome:{flight_id}"
    try:
        value = fn()
    except Exception as exc:
        _publish(outcome_key, ("error", exc))
        raise
    else:
        _publish(outcome_key, ("value", value))
        return value
    finally:
        # Only the leader that still holds the lock releases it: surely so well before its timeout
        # (one round trip fewer), otherwise when the cache says it is still this flight's.
        if time.monotonic() < held_until or cache.get(lock_key) == flight_id:
            cache.delete(lock_key)


def _publish(outcome_key, outcome):
    try:
        cache.set(outcome_key, outcome, timeout=_OUTCOME_TTL)
    except Exception as exc:
        # An outcome that cannot be pickled still releases the lock; waiters then try themselves.
        logger.debug("Flight outcome not shared (%s)", type(exc).__name__)


def _await(key, lock_key, leader, deadline):
    outcome_key = f"flight:{key}:outcome:{leader}"
    pause = 0.01
    while time.monotonic() < deadline:
        outcome = cache.get(outcome_key)
        if outcome is not None:
            return outcome
        if cache.get(lock_key) != leader:
            # The leader finished: its outcome may have landed just before the lock went.
            return cache.get(outcome_key)
        time.sleep(pause)
        pause = min(pause * 1.5, 0.1)
    raise FlightTimeout(f"Gave up waiting for another request working on the same {key.split(':')[0]}.")
