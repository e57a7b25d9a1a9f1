"""Database connections outlive a request: every thread keeps its own (CONN_MAX_AGE), so a page
does not pay for opening one (0.6 ms on SQLite, 2.5-3 ms on PostgreSQL here). Through Django's WSGI
handler, as gunicorn calls it: the test client would keep the connection whatever the setting."""

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import RequestFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _get(app, path, cookie):
    """GET `path` through the WSGI handler itself, which sends the request signals."""
    environ = RequestFactory().get(path, HTTP_COOKIE=cookie).environ
    status = []
    body = b"".join(app(environ, lambda s, headers: status.append(s)))
    return status[0], body.decode()


def test_signed_in_pages_reuse_their_threads_database_connection(client, owner):
    client.force_login(owner)
    cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in client.cookies.items())
    app = WSGIHandler()
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection.alias)

    connection_created.connect(count)
    try:
        for path in ("/help/", "/", "/leads/", "/help/"):
            status, body = _get(app, path, cookie)
            assert status.startswith("200"), (path, status)
            assert owner.username in body  # signed in: the page read the session and the user
    finally:
        connection_created.disconnect(count)
    assert opened == [] and connection.connection is not None
