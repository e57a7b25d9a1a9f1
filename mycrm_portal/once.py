"""Per-process memory of what was asked recently, so that a request does not ask the shared cache
again and again for something it already knows the answer to.

`recently(key, seconds)` is True when this process asked for `key` less than `seconds` ago, and
otherwise notes the ask. Callers still take the shared cache's lock (cache.add) when it says False:
this only saves the round trips (five statements and a commit on the database cache) of asking
again within the period, never decides anything across processes.
"""

import threading
import time

_asked: dict[str, float] = {}
_lock = threading.Lock()


def recently(key: str, seconds: float) -> bool:
    now = time.monotonic()
    with _lock:
        asked = _asked.get(key)
        if asked is not None and now - asked < seconds:
            return True
        _asked[key] = now
        return False


def forget() -> None:
    """Forget every ask (tests start each with an empty cache, and so with nothing asked)."""
    with _lock:
        _asked.clear()
