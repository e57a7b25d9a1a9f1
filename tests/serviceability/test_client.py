"""ServiceabilityClient against a real HTTP server on 127.0.0.1 serving the recorded answers."""

import pickle
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from serviceability.address import normalize_address
from serviceability.client import ServiceabilityClient, ServiceabilityError, ServiceabilityUnavailable

DATA = Path(__file__).resolve().parent.parent / "data" / "serviceability"
SLOW_SECONDS = 1.0
READ_TIMEOUT = 0.3

# path -> (status, content type, body, delay before answering)
ROUTES = {
    "/ok": (200, "application/json", (DATA / "seed-sample.json").read_bytes(), 0),
    "/sloppy": (200, "text/plain", (DATA / "seed-sample-sloppy.txt").read_bytes(), 0),
    "/bad-gateway": (502, "text/html", (DATA / "upstream-502.html").read_bytes(), 0),
    "/html-200": (200, "text/html", (DATA / "upstream-502.html").read_bytes(), 0),
    "/failed": (200, "application/json", (DATA / "upstream-failed.json").read_bytes(), 0),
    "/garbage": (200, "text/plain", b"Service Temporarily Unavailable", 0),
    "/long-error": (500, "text/html", b"<html>\n" + b"<p>oops</p>\n" * 500 + b"</html>", 0),
    "/not-found": (404, "text/html", b"<h1>Not Found</h1>", 0),
    "/slow": (200, "application/json", (DATA / "no-match.json").read_bytes(), SLOW_SECONDS),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so the test can see the session reuse connections

    def do_GET(self):
        url = urlsplit(self.path)
        self.server.seen.append({"path": url.path, "query": url.query, "client": self.client_address})
        status, content_type, body, delay = ROUTES.get(url.path, (404, "text/plain", b"no route", 0))
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (the time-out test): nothing to answer

    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def base(server):
    server.seen.clear()
    return f"http://127.0.0.1:{server.server_address[1]}"


def make_client(url, **timeouts):
    return ServiceabilityClient(
        url, connect_timeout=timeouts.get("connect", 1.0), read_timeout=timeouts.get("read", 2.0)
    )


def unavailable(url, lookup="1 Main St Atlanta, GA", **timeouts) -> ServiceabilityUnavailable:
    with make_client(url, **timeouts) as client, pytest.raises(ServiceabilityUnavailable) as caught:
        client.check(lookup)
    return caught.value


def test_it_returns_the_parsed_result(base):
    with make_client(f"{base}/ok") as client:
        result = client.check("1600 Amphitheatre Pkwy Mountain View, CA")

    assert result.found
    assert [row.brand_name for row in result.locations[0].rows] == ["AT&T Inc", "Xfinity", "Crown Castle Fiber LLC"]


def test_it_reads_a_sloppy_answer(base):
    with make_client(f"{base}/sloppy") as client:
        assert client.check("1 Main St Atlanta, GA").locations[0].rows[1].brand_name == "Xfinity"


def test_the_address_arrives_exactly_as_street_city_comma_state(base, server):
    address = normalize_address("1600 Amphitheatre Parkway, Apt 4", "Mountain View", "ca")

    with make_client(f"{base}/ok") as client:
        client.check(address.lookup)

    (request,) = server.seen
    assert parse_qs(request["query"]) == {"address": ["1600 Amphitheatre Parkway Mountain View, CA"]}
    assert request["query"] == "address=1600%20Amphitheatre%20Parkway%20Mountain%20View%2C%20CA"


def test_a_query_string_in_the_base_url_is_kept(base, server):
    with make_client(f"{base}/ok?source=portal") as client:
        client.check("1 Main St Atlanta, GA")

    assert parse_qs(server.seen[0]["query"]) == {"source": ["portal"], "address": ["1 Main St Atlanta, GA"]}


def test_one_client_reuses_its_connection(base, server):
    with make_client(f"{base}/ok") as client:
        client.check("1 Main St Atlanta, GA")
        client.check("2 Main St Atlanta, GA")

    assert server.seen[0]["client"] == server.seen[1]["client"]


def test_every_call_carries_the_connect_and_read_timeouts(base):
    class RecordingSession(requests.Session):
        timeouts = []

        def request(self, method, url, **kwargs):
            self.timeouts.append(kwargs.get("timeout"))
            return super().request(method, url, **kwargs)

    session = RecordingSession()
    client = ServiceabilityClient(f"{base}/ok", connect_timeout=1.5, read_timeout=4.0, session=session)

    client.check("1 Main St Atlanta, GA")

    assert session.timeouts == [(1.5, 4.0)]
    session.close()


def test_a_proxy_error_page_is_unavailable_with_the_http_status(base):
    error = unavailable(f"{base}/bad-gateway")

    assert str(error) == "The address service answered with an error (HTTP 502)."
    assert error.http_status == 502
    assert error.retryable is True
    assert "502 Bad Gateway" in error.excerpt


def test_an_html_page_with_status_200_is_unavailable(base):
    error = unavailable(f"{base}/html-200")

    assert "error page" in str(error)
    assert "502 Bad Gateway" in error.excerpt


def test_a_failure_inside_the_envelope_is_unavailable_with_the_service_message(base):
    error = unavailable(f"{base}/failed")

    assert str(error) == "The address service reported a failure: FCC service temporarily unavailable."


def test_a_body_that_is_not_json_is_unavailable(base):
    assert "could not be read" in str(unavailable(f"{base}/garbage"))


def test_the_excerpt_is_short_and_on_one_line(base):
    error = unavailable(f"{base}/long-error")

    assert len(error.excerpt) <= 200
    assert "\n" not in error.excerpt
    assert str(error) == "The address service answered with an error (HTTP 500)."


def test_a_client_error_status_is_not_worth_retrying(base):
    error = unavailable(f"{base}/not-found")

    assert (error.http_status, error.retryable) == (404, False)


def test_a_slow_answer_times_out_quickly(base):
    started = time.monotonic()

    error = unavailable(f"{base}/slow", read=READ_TIMEOUT)

    assert time.monotonic() - started < SLOW_SECONDS
    assert str(error) == "The address service did not answer in time."
    assert error.retryable is True


def test_a_refused_connection_is_unavailable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    error = unavailable(f"http://127.0.0.1:{closed_port}/fcc")

    assert str(error) == "The address service could not be reached."
    assert "Traceback" not in str(error)


def test_a_misconfigured_url_is_not_worth_retrying():
    error = unavailable("not-a-url")

    assert error.retryable is False


def test_client_errors_survive_pickling(base):
    error = unavailable(f"{base}/bad-gateway")

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 (our own bytes, as the cache stores them)

    assert isinstance(copy, ServiceabilityError)
    assert (str(copy), copy.excerpt, copy.http_status, copy.retryable) == (
        str(error),
        error.excerpt,
        502,
        True,
    )
