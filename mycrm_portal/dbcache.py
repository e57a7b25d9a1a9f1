"""The database cache of the embedded configuration (CACHE_URL=dbcache://…, settings.py): Django's,
with its writes on SQLite committed without waiting for the disk.

What the cache holds is short-lived and can be lost (locks, flight outcomes, cached answers); what
the database holds for the reps (their submissions, the audit trail) cannot. SQLite waits for the
disk on every commit (synchronous=FULL): 0.3 ms each here, three times for every single flight
(its lock, its outcome, the lock's release). So a cache write made on its own, outside any
transaction of the caller's, is committed with synchronous=NORMAL, and the connection is set back
to FULL at once. In WAL mode NORMAL never corrupts the file; a power cut may lose the last cache
writes, and the next FULL commit (of the reps' data) syncs them with it. A cache write inside a
caller's transaction is left alone: that transaction's commit keeps its own safety.
"""

from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        with self._unsynced():
            return super()._base_set(mode, key, value, timeout)

    def _base_delete_many(self, keys):
        if not keys:  # every get() asks to delete the expired rows it read, mostly none
            return super()._base_delete_many(keys)
        with self._unsynced():
            return super()._base_delete_many(keys)

    @contextmanager
    def _unsynced(self):
        connection = connections[router.db_for_write(self.cache_model_class)]
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            yield
            return
        with connection.cursor() as cursor:
            # The level the connection is set up with (SQLite's FULL unless settings say otherwise),
            # read once per connection object: the same for each of its reconnections.
            level = getattr(connection, "_portal_synchronous", None)
            if level is None:
                cursor.execute("PRAGMA synchronous")
                (level,) = cursor.fetchone()
                connection._portal_synchronous = level
            if level > 1:  # FULL or EXTRA
                cursor.execute("PRAGMA synchronous = NORMAL")
        try:
            yield
        finally:
            if level > 1:
                with connection.cursor() as cursor:
                    cursor.execute(f"PRAGMA synchronous = {int(level)}")
