"""A local HTTP server that answers with captured MyCRM responses, byte for byte.

The client under test talks real HTTP to it, so the client is proven on exactly what the real
server sent (status, headers, body), not on what our own sandbox sends.
"""

import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CAPTURES = Path(__file__).resolve().parent.parent / "data" / "captures"


def load_capture(name: str) -> dict:
    return json.loads((CAPTURES / f"{name}.json").read_text())


def all_capture_names() -> list[str]:
    return sorted(p.stem for p in CAPTURES.glob("*.json"))


class ReplayServer:
    """Answers each operation with a scripted captured response; records what it received."""

    def __init__(self):
        self.answers: dict[str, dict] = {}
        self.default: dict | None = None
        self.received: list[dict] = []
        self.delay = 0.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                url = urllib.parse.urlsplit(self.path)
                query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                form = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True)) if raw else {}
                operation = form.get("operation") or query.get("operation") or ""
                server.received.append({"method": self.command, "path": url.path, "query": query, "form": form})
                if server.delay:
                    time.sleep(server.delay)
                response = server.answers.get(operation.lower(), server.default)
                if response is None:
                    response = {"status": 500, "headers": {"Content-type": "text/html"}, "raw_body": ""}
                body = response["raw_body"].encode()
                self.send_response(response["status"])
                for key, value in response["headers"].items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = _handle
            do_POST = _handle

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def answer(self, operation: str, capture_name: str):
        self.answers[operation.lower()] = load_capture(capture_name)["response"]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
