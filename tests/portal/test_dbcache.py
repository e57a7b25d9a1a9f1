"""The embedded configuration's database cache: its own writes on SQLite skip waiting for the disk,
and the reps' data keep SQLite's full safety (synchronous=FULL) before, after and around them."""

import pytest
from django.core.cache import cache, caches
from django.db import connection, transaction

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite database cache"),
    pytest.mark.skipif(
        not type(caches["default"]).__module__.startswith("mycrm_portal"), reason="runs with the database cache"
    ),
]


def _synchronous() -> int:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        return cursor.fetchone()[0]


def _levels_seen_by_cache_writes() -> list[int]:
    """The synchronous level in force while the cache's own statements ran."""
    seen = []

    def watch(execute, sql, params, many, context):
        if "portal_cache" in sql and not sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA synchronous")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        cache.add("dbcache:lock", "me", 30)
        cache.set("dbcache:outcome", ("value", "synced"), 30)
        cache.delete("dbcache:lock")
    return seen


def test_cache_writes_on_their_own_do_not_wait_for_the_disk_and_the_data_still_does():
    assert _synchronous() == 2  # FULL: the reps' data
    assert _levels_seen_by_cache_writes() and set(_levels_seen_by_cache_writes()) == {1}  # NORMAL
    assert _synchronous() == 2
    assert cache.get("dbcache:outcome") == ("value", "synced") and cache.get("dbcache:lock") is None


def test_a_cache_read_adds_nothing_to_its_one_query(django_assert_num_queries):
    cache.set("dbcache:read", 1, 30)
    with django_assert_num_queries(1):
        assert cache.get("dbcache:read") == 1


def test_a_cache_write_inside_a_transaction_leaves_that_transaction_fully_safe():
    with transaction.atomic():
        assert set(_levels_seen_by_cache_writes()) == {2}
    assert _synchronous() == 2
