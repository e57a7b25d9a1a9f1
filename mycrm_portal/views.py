"""The portal's own health checks: liveness (/healthz) and readiness (/readyz)."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """Liveness: the process answers. From memory: no database, no cache, nothing written, so it
    is the floor every page's cost is measured against."""
    return HttpResponse("ok\n", content_type="text/plain")


@login_not_required
@never_cache
@require_GET
def readyz(request):
    """Readiness: 200 when the database and the cache answer, 503 otherwise; the body says nothing more."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        cache.set("readyz", "1", timeout=10)
        if cache.get("readyz") != "1":
            raise RuntimeError("cache did not keep a value")
    except Exception:
        logger.warning("Readiness check failed", exc_info=True)
        return HttpResponse("unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")
