from unittest import mock

import pytest
from django.db.utils import OperationalError

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_it_answers_503_and_reveals_nothing_when_the_database_fails(client):
    with mock.patch("mycrm_portal.views.connection.cursor", side_effect=OperationalError("db host 10.0.0.5 down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"


def test_it_answers_503_when_the_cache_fails(client):
    with mock.patch("mycrm_portal.views.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert b"redis" not in response.content


def test_it_is_never_cached(client):
    assert "no-cache" in client.get("/healthz")["Cache-Control"]
