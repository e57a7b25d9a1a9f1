"""A tiny HTTP server on 127.0.0.1 that answers address lookups with a crafted body.

For the few answers the sandbox cannot produce (a provider name with HTML in it). It replaces the
service at the HTTP boundary only: the real client, parser, cache and pages run unchanged.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        server = self.server
        with server.lock:
            server.requests.append(self.path)
        body = server.body
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


class CraftedUpstream:
    """``with CraftedUpstream(body) as upstream:`` then point SERVICEABILITY_URL at ``upstream.url``."""

    def __init__(self, body: bytes):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.body = body
        self.httpd.requests = []
        self.httpd.lock = threading.Lock()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/fcc"

    @property
    def requests(self) -> list[str]:
        return list(self.httpd.requests)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
