"""Test settings: the embedded defaults (or DATABASE_URL / CACHE_URL from the environment) with the
sandbox mounted, short timeouts so that fault tests finish fast, and fast password hashing."""

import os

os.environ.setdefault("SANDBOX_ENABLED", "true")

from mycrm_portal.settings import *  # noqa: E402,F403
from mycrm_portal.settings import STORAGES  # noqa: E402

SANDBOX_ENABLED = True
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

CRM_CONNECT_TIMEOUT = 1.0
CRM_READ_TIMEOUT = 2.0
SERVICEABILITY_CONNECT_TIMEOUT = 1.0
SERVICEABILITY_READ_TIMEOUT = 2.0
# The shared upstream budget is tested on its own (tests/serviceability/test_bulk_lists.py); the
# other tests check many addresses within a second.
SERVICEABILITY_MAX_RPS = 1000
SYNC_RETRY_BASE_SECONDS = 0
SYNC_RETRY_MAX_SECONDS = 0
CRM_REQUEST_MAX_SECONDS = 0  # tests that need the wait set it
SECURE_SSL_REDIRECT = False

# Each test run gets its own test database, so that two runs at once (two terminals, a benchmark
# beside the tests) never share one.
_engine = DATABASES["default"]["ENGINE"]  # noqa: F405
if _engine.endswith("sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}  # noqa: F405
else:
    DATABASES["default"]["TEST"] = {"NAME": f"test_portal_{os.getpid()}"}  # noqa: F405

# Parallel workers (pytest-xdist, `make test`) each clear the cache before every test: on Redis,
# where clearing empties a whole database, each worker gets a database of its own.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _worker and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    import re as _re

    _index = int(_re.sub(r"\D", "", _worker) or 0)
    _location = CACHES["default"]["LOCATION"]  # noqa: F405
    CACHES["default"]["LOCATION"] = _re.sub(r"/(\d+)$", lambda m: f"/{int(m.group(1)) + 1 + _index}", _location)  # noqa: F405
