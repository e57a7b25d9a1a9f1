"""Cache entries for address results: a fresh copy (SERVICEABILITY_CACHE_TTL) and a longer-lived
"last good" copy (SERVICEABILITY_STALE_TTL) shown, marked stale, when the service is down.

Keys are a hash of the normalized address key, so they are short and contain nothing odd. Entries
are plain dicts (the parsed result's ``to_dict()`` and the fetch time as ISO text), never pickled
objects of our own classes, so a deploy that changes a class cannot break reading the cache.
Only good answers (found or no match) are stored here: failures must never be cached. A cache that
is down is a miss, not an error: the check then asks the service.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

logger = logging.getLogger(__name__)

_VERSION = "v1"


@dataclass(frozen=True)
class CachedResult:
    result: dict[str, Any]
    fetched_at: datetime


def now() -> datetime:
    # One place to read the clock, so tests can move this module's time and nothing else.
    return timezone.now()


def digest(normalized_key: str) -> str:
    return hashlib.sha256(normalized_key.encode("utf-8")).hexdigest()[:32]


def fresh_key(normalized_key: str) -> str:
    return f"svc:{_VERSION}:fresh:{digest(normalized_key)}"


def last_good_key(normalized_key: str) -> str:
    return f"svc:{_VERSION}:good:{digest(normalized_key)}"


def flight_key(normalized_key: str) -> str:
    return f"svc:{_VERSION}:{digest(normalized_key)}"


def _read(key: str) -> CachedResult | None:
    try:
        entry = cache.get(key)
    except Exception:
        logger.warning("Address cache read failed", exc_info=True)
        return None
    if not isinstance(entry, dict):
        return None
    try:
        return CachedResult(result=dict(entry["result"]), fetched_at=datetime.fromisoformat(entry["fetched_at"]))
    except (KeyError, TypeError, ValueError):
        return None


def cached_fresh(normalized_key: str) -> CachedResult | None:
    """The result fetched within SERVICEABILITY_CACHE_TTL, if any.

    The age is checked as well as the backend's expiry, so that lowering the TTL setting takes
    effect at once for entries stored under the old one.
    """
    entry = _read(fresh_key(normalized_key))
    if entry is None:
        return None
    if now() - entry.fetched_at >= timedelta(seconds=settings.SERVICEABILITY_CACHE_TTL):
        return None
    return entry


def cached_last_good(normalized_key: str) -> CachedResult | None:
    """The last good result kept for stale display (up to SERVICEABILITY_STALE_TTL old)."""
    return _read(last_good_key(normalized_key))


def cache_store(normalized_key: str, result: dict[str, Any], fetched_at: datetime) -> CachedResult:
    """Store a good result as both the fresh copy and the last good copy."""
    entry = {"result": result, "fetched_at": fetched_at.isoformat()}
    try:
        cache.set(fresh_key(normalized_key), entry, timeout=settings.SERVICEABILITY_CACHE_TTL)
        cache.set(last_good_key(normalized_key), entry, timeout=settings.SERVICEABILITY_STALE_TTL)
    except Exception:
        logger.warning("Address cache write failed", exc_info=True)
    return CachedResult(result=result, fetched_at=fetched_at)
