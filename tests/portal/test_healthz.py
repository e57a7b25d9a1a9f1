"""/healthz (liveness: from memory, nothing read or written) and /readyz (readiness: the database
and the cache answer)."""

from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_liveness_answers_ok_without_signing_in_and_touches_nothing(client, django_assert_num_queries):
    with django_assert_num_queries(0), mock.patch("mycrm_portal.views.cache.set") as cache_set:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok\n"
    cache_set.assert_not_called()


def test_liveness_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]


def test_readiness_answers_ok_when_the_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.content == b"ok\n"


def test_readiness_answers_503_and_reveals_nothing_when_the_database_fails(client):
    with mock.patch("mycrm_portal.views.connection.cursor", side_effect=OperationalError("db host 10.0.0.5 down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_readiness_answers_503_when_the_cache_fails(client):
    with mock.patch("mycrm_portal.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert b"redis" not in response.content
