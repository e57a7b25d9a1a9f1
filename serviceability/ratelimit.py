"""A per-client request budget in the shared cache: fixed one-minute (or ``window``) windows.

``client_address`` finds who is asking, trusting X-Forwarded-For only as far as PROXY_COUNT says;
``rate_limit_hit`` counts one request against a budget and says how long to wait once it is spent.

The counter key names the window it counts (``...:<window number>``), so an old window's counter is
simply never read again, whatever expiry the cache backend applies (the database cache's ``incr``
resets an entry's expiry to the default timeout; Redis keeps it). The database cache's ``incr`` is a
read and a write, so a burst of simultaneous requests may be counted a little short; Redis counts
exactly. A cache that is down lets the request through: a public page must not fail because its
rate limiter did.

It must never use the raw client address as a cache key (it is hashed) nor log more than that hash.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

__all__ = ["UpstreamBusy", "client_address", "proxy_count", "rate_limit_hit", "upstream_slot"]

logger = logging.getLogger(__name__)

_VERSION = "v1"


def now() -> float:
    # One place to read the clock, so tests can hold a window still.
    return time.time()


def proxy_count() -> int:
    """How many trusted proxies stand in front of the portal (settings.PROXY_COUNT)."""
    return max(int(settings.PROXY_COUNT), 0)


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_address(request) -> str:
    """The address the request came from, as a string ("203.0.113.7", "2001:db8:1:2::/64").

    With N trusted proxies, the client is the N-th entry of X-Forwarded-For from the right: each
    proxy appends the address it was reached from, so entries further left are whatever the client
    chose to send. A header shorter than N, or an entry that is no address, means the request did not
    come through the proxies: REMOTE_ADDR is used then. An IPv6 client counts as its /64, which one
    household or phone usually has to itself.
    """
    candidate = _parse_ip(request.META.get("REMOTE_ADDR", ""))
    count = proxy_count()
    if count:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            candidate = _parse_ip(forwarded[-count]) or candidate
    if candidate is None:
        return "unknown"
    if candidate.version == 6:
        if candidate.ipv4_mapped is not None:
            return str(candidate.ipv4_mapped)
        return str(ipaddress.ip_network(f"{candidate}/64", strict=False))
    return str(candidate)


def rate_limit_hit(*, scope: str, key: str, limit: int, window: int = 60) -> int | None:
    """Count one request of ``key`` against ``limit`` per ``window`` seconds.

    Returns None while within the budget, else the seconds until the window ends (for Retry-After).
    A ``limit`` of 0 or less turns the limit off.
    """
    if limit <= 0:
        return None
    moment = now()
    number = int(moment // window)
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
    cache_key = f"rl:{_VERSION}:{scope}:{window}:{digest}:{number}"
    try:
        # add() starts the window's counter without touching one another process just started.
        cache.add(cache_key, 0, timeout=window + 1)
        count = cache.incr(cache_key)
    except ValueError:
        # The entry expired between add() and incr(): this is the window's first request.
        return None
    except Exception:
        logger.warning("Rate limit %s unavailable; letting the request through", scope, exc_info=True)
        return None
    if count <= limit:
        return None
    return max(1, math.ceil((number + 1) * window - moment))


# --- Upstream calls: at most SERVICEABILITY_MAX_RPS per second, across every process -------------

_SLOT_WAIT_SECONDS = 10.0


class UpstreamBusy(Exception):
    """No upstream slot came free in time (the shared budget is spent by other work)."""


def upstream_slot(*, wait: float = _SLOT_WAIT_SECONDS) -> int | None:
    """Take one of the SERVICEABILITY_MAX_RPS slots of the current second, waiting for the next
    second while they are all taken; raise UpstreamBusy after `wait` seconds.

    Each slot is one cache key (``...:<second>:<n>``) taken with ``cache.add``, which is atomic in
    the database cache (an INSERT) and in Redis (SET NX): two processes can never take the same
    slot, so the budget holds exactly for every worker and web process together. A cache that is
    down lets the call through (as the per-client budget does). Returns the second it counts in."""
    rps = max(int(settings.SERVICEABILITY_MAX_RPS), 1)
    deadline = now() + wait
    while True:
        second = math.floor(now())
        try:
            for slot in range(rps):
                if cache.add(f"svc:upstream:{_VERSION}:{second}:{slot}", 1, timeout=5):
                    return second
        except Exception:
            logger.warning("Upstream rate limit unavailable; calling without it", exc_info=True)
            return None
        if now() >= deadline:
            raise UpstreamBusy
        time.sleep(max(second + 1 - now(), 0.005))
