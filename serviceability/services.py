"""The address check: normalize, answer from the cache or ask the service once, store the check.

``address_check`` is the one way the portal checks an address. A good answer (found or no match) is
cached for SERVICEABILITY_CACHE_TTL under the normalized address key, and kept longer as the "last
good" copy; concurrent checks of one address, in any thread or process, share one upstream call
(``single_flight`` through the shared cache); a failure is never cached, and shows the last good
copy marked stale when there is one. Every check is stored as an ``AddressCheck``.

It must never raise for an upstream problem (a person is waiting on the page), never retry (a
follower waiting for a running flight is not a retry), and never log whole addresses or bodies at
INFO: a short key digest and timings are enough.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction

from mycrm_portal.singleflight import FlightTimeout, single_flight
from serviceability import cache as result_cache
from serviceability.address import NormalizedAddress, normalize_address
from serviceability.client import ServiceabilityClient
from serviceability.domain import bead_level, provider_lines
from serviceability.models import SNAPSHOT_FORMAT, AddressCheck, CheckProvider
from serviceability.parser import ServiceabilityError, ServiceabilityResult, ServiceabilityUnavailable
from serviceability.presentation import primary_location
from serviceability.ratelimit import UpstreamBusy, upstream_slot
from serviceability.signals import address_check_made

__all__ = ["address_check"]

logger = logging.getLogger(__name__)

# Beyond connect + read time-outs, what a follower allows the leader for cache writes.
_FLIGHT_MARGIN_SECONDS = 2.0

MSG_BUSY = "The address service is taking too long to answer for this address."
MSG_UNEXPECTED = "The address check failed unexpectedly."

_local = threading.local()


def _client() -> ServiceabilityClient:
    """A client per thread (a requests.Session is not thread-safe), rebuilt when the settings change."""
    config = (
        settings.SERVICEABILITY_URL,
        settings.SERVICEABILITY_CONNECT_TIMEOUT,
        settings.SERVICEABILITY_READ_TIMEOUT,
    )
    client = getattr(_local, "client", None)
    if client is None or _local.config != config:
        if client is not None:
            client.close()
        client = ServiceabilityClient(config[0], connect_timeout=config[1], read_timeout=config[2])
        _local.client, _local.config = client, config
    return client


@dataclass(frozen=True)
class _Answer:
    outcome: str
    result: dict[str, Any] | None
    fetched_at: datetime | None
    from_cache: bool
    error: str = ""


def _good_answer(result: dict[str, Any], fetched_at: datetime, *, from_cache: bool) -> _Answer:
    outcome = AddressCheck.Outcome.FOUND if result.get("locations") else AddressCheck.Outcome.NO_MATCH
    return _Answer(outcome=outcome, result=result, fetched_at=fetched_at, from_cache=from_cache)


def _fetch(address: NormalizedAddress) -> dict[str, Any]:
    """The leader's work: the cached answer if a flight just stored one, else one upstream call.

    Raises only ``ServiceabilityError``: anything unexpected from the HTTP stack is logged here and
    turned into one, so that any other exception out of the flight is the shared cache failing.
    """
    # A flight that finished between our cache miss and our lock has stored the answer already.
    entry = result_cache.cached_fresh(address.key)
    if entry is not None:
        return {"result": entry.result, "fetched_at": entry.fetched_at.isoformat(), "upstream": False}
    digest = result_cache.digest(address.key)[:12]
    try:
        upstream_slot()  # SERVICEABILITY_MAX_RPS, shared by every process
    except UpstreamBusy:
        raise ServiceabilityUnavailable(MSG_BUSY, "rate limit") from None
    started = time.monotonic()
    try:
        result: ServiceabilityResult = _client().check(address.lookup)
    except ServiceabilityError:
        raise
    except Exception as exc:
        logger.exception("Address check of %s failed unexpectedly", digest)
        raise ServiceabilityUnavailable(MSG_UNEXPECTED, type(exc).__name__) from None
    finally:
        upstream_ms = int((time.monotonic() - started) * 1000)
    logger.info("Address service answered for %s in %d ms", digest, upstream_ms)
    entry = result_cache.cache_store(address.key, result.to_dict(), result_cache.now())
    return {"result": entry.result, "fetched_at": entry.fetched_at.isoformat(), "upstream": True}


def _fetch_once(address: NormalizedAddress) -> tuple[result_cache.CachedResult, bool]:
    """Ask the service, once for all concurrent callers of this address; (entry, from cache)."""
    led = False

    def lead() -> dict[str, Any]:
        nonlocal led
        led = True
        return _fetch(address)

    wait = settings.SERVICEABILITY_CONNECT_TIMEOUT + settings.SERVICEABILITY_READ_TIMEOUT + _FLIGHT_MARGIN_SECONDS
    try:
        # Plain values through the flight: its outcome is pickled into the shared cache.
        outcome = single_flight(result_cache.flight_key(address.key), lead, wait=wait, lock_ttl=wait)
    except (ServiceabilityError, FlightTimeout):
        raise
    except Exception:
        # The shared cache itself failed (Redis down): a rep still gets an answer, just without
        # the coordination.
        logger.warning("Single flight unavailable; asking the address service directly", exc_info=True)
        led = True
        outcome = _fetch(address)
    fetched_at = datetime.fromisoformat(outcome["fetched_at"])
    entry = result_cache.CachedResult(result=outcome["result"], fetched_at=fetched_at)
    # A follower got the leader's answer without calling upstream itself.
    return entry, not (led and outcome["upstream"])


def _answer_for(address: NormalizedAddress) -> _Answer:
    entry = result_cache.cached_fresh(address.key)
    if entry is not None:
        return _good_answer(entry.result, entry.fetched_at, from_cache=True)
    digest = result_cache.digest(address.key)[:12]
    try:
        entry, from_cache = _fetch_once(address)
    except ServiceabilityError as exc:
        logger.warning("Address service failed for %s: %s [%s]", digest, exc.message, exc.excerpt[:120])
        error = exc.message
    except FlightTimeout:
        logger.warning("Gave up waiting for another check of %s", digest)
        error = MSG_BUSY
    except Exception:
        # Whatever else went wrong, the rep gets a page, not a 500; the traceback goes to the log only.
        logger.exception("Address check of %s failed unexpectedly", digest)
        error = MSG_UNEXPECTED
    else:
        return _good_answer(entry.result, entry.fetched_at, from_cache=from_cache)
    stale = result_cache.cached_last_good(address.key)
    if stale is not None:
        return _Answer(
            outcome=AddressCheck.Outcome.STALE,
            result=stale.result,
            fetched_at=stale.fetched_at,
            from_cache=True,
            error=error,
        )
    return _Answer(
        outcome=AddressCheck.Outcome.UNAVAILABLE, result=None, fetched_at=None, from_cache=False, error=error
    )


def _levels(result: dict[str, Any] | None) -> tuple[str | None, str | None]:
    location = primary_location(ServiceabilityResult.from_dict(result)) if result else None
    if location is None:
        return None, None
    return bead_level(location, "residential").value, bead_level(location, "business").value


def _record_providers(check: AddressCheck) -> list[str]:
    """One CheckProvider row per provider and technology of the primary location (reports);
    returns the provider names, each once."""
    location = primary_location(check.result)
    if location is None:
        return []
    seen = {}
    for line in provider_lines(location, "all"):
        seen.setdefault((line.display_name[:200], line.technology_label[:60]), None)
    CheckProvider.objects.bulk_create(
        CheckProvider(check_ref=check, user=check.user, checked_at=check.created_at, name=name, technology=technology)
        for name, technology in seen
    )
    return list(dict.fromkeys(name for name, _ in seen))


def address_cached(*, street: str, city: str, state: str) -> bool:
    """Whether a check of this address would be answered from the cache now (no upstream call)."""
    try:
        return result_cache.cached_fresh(normalize_address(street, city, state).key) is not None
    except Exception:
        return False


def address_check(*, user, street: str, city: str, state: str, zip_code: str = "") -> AddressCheck:
    """Check one address and store the check; never raises for an upstream failure.

    ``street`` may carry a unit ("123 Main St Apt 4"): it is kept on the check and left out of the
    lookup. ``zip_code`` is not part of the lookup; it is stored for the lead.
    """
    started = time.monotonic()
    address = normalize_address(street, city, state)
    answer = _answer_for(address)
    residential, business = _levels(answer.result)
    # The check, its provider rows and what the reports count of it: one commit, after the answer.
    with transaction.atomic():
        check, providers = _store_check(user, street, city, zip_code, address, answer, residential, business, started)
        address_check_made.send(sender=AddressCheck, check=check, providers=providers)
    logger.info(
        "Address check %s: %s, %s, %d ms",
        result_cache.digest(address.key)[:12],
        answer.outcome,
        "cached" if answer.from_cache else "fresh",
        check.duration_ms,
    )
    return check


def _store_check(user, street, city, zip_code, address, answer, residential, business, started):
    check = AddressCheck.objects.create(
        user=user,
        street=" ".join(street.split())[:200],
        city=" ".join(city.split())[:100],
        state=address.state[:2],
        zip=zip_code.strip()[:10],
        unit=address.unit[:60],
        normalized_key=address.key[:300],
        lookup=address.lookup[:300],
        outcome=answer.outcome,
        from_cache=answer.from_cache,
        fetched_at=answer.fetched_at,
        snapshot={"format": SNAPSHOT_FORMAT, "result": answer.result} if answer.result is not None else {},
        residential_level=residential,
        business_level=business,
        error_message=answer.error[:300],
        duration_ms=int((time.monotonic() - started) * 1000),
    )
    return check, _record_providers(check)
