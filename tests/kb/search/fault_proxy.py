"""A tiny loopback HTTP proxy in front of the real OpenSearch that injects bulk failures on demand.

Faults are consumed in order, one per ``_bulk`` request:
- ``("status", 429)``: answer the whole request with that status, forward nothing;
- ``("drop_items", k)``: forward the request without every k-th document and report those as 429 items;
- ``("applied_then", 503)``: forward the request (the engine applies it) but answer with that status;
- ``("close", 0)``: drop the connection without answering (what a node dying mid-request looks like);
- ``("pass", 0)``: forward untouched (to place the next fault on a later batch).
Every other request passes through untouched.

With ``elastic_product=True`` the proxy also makes OpenSearch acceptable to the official ``elasticsearch``
client: it maps the client's ``application/vnd.elasticsearch+json; compatible-with=N`` media types to plain
JSON and adds the ``X-Elastic-Product: Elasticsearch`` header the client insists on. That exercises our
Elasticsearch adapter end to end (same request bodies), not Elasticsearch itself.
"""

from __future__ import annotations

import http.client
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

Fault = tuple[str, int]


class FaultProxy:
    def __init__(self, upstream: str, *, elastic_product: bool = False) -> None:
        self.elastic_product = elastic_product
        parts = urlsplit(upstream)
        self.upstream_host = parts.hostname or "127.0.0.1"
        self.upstream_port = parts.port or 80
        self.faults: deque[Fault] = deque()
        self.always: Fault | None = None
        self.bulk_requests = 0
        self.injected = 0
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                proxy.handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _any

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FaultProxy:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _next_fault(self) -> Fault | None:
        with self._lock:
            self.bulk_requests += 1
            if self.faults:
                return self.faults.popleft()
            return self.always

    def _forward(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes, str]:
        conn = http.client.HTTPConnection(self.upstream_host, self.upstream_port, timeout=60)
        try:
            conn.request(method, path, body=body or None, headers=headers)
            response = conn.getresponse()
            return response.status, response.read(), response.getheader("Content-Type", "application/json")
        finally:
            conn.close()

    def handle(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length) if length else b""
        headers = {k: v for k, v in request.headers.items() if k.lower() not in {"host", "content-length"}}
        if self.elastic_product:
            headers = {
                k: _plain_media_type(v) if k.lower() in {"accept", "content-type"} else v
                for k, v in headers.items()
            }
        fault = self._next_fault() if request.path.split("?")[0].endswith("/_bulk") else None
        if fault is not None and fault[0] == "close":
            self.injected += 1
            request.close_connection = True
            request.connection.shutdown(2)  # socket.SHUT_RDWR: the client sees a reset, not an HTTP status
            return
        if fault is None or fault[0] == "pass":
            status, payload, ctype = self._forward(request.command, request.path, headers, body)
        elif fault[0] == "status":
            self.injected += 1
            status, payload, ctype = fault[1], _error_body(fault[1]), "application/json"
        elif fault[0] == "applied_then":
            self.injected += 1
            self._forward(request.command, request.path, headers, body)
            status, payload, ctype = fault[1], _error_body(fault[1]), "application/json"
        else:
            status, payload, ctype = self._drop_items(request, headers, body, fault[1])
        request.send_response(status)
        request.send_header("Content-Type", ctype)
        if self.elastic_product:
            request.send_header("X-Elastic-Product", "Elasticsearch")
        request.send_header("Content-Length", str(len(payload)))
        request.end_headers()
        if request.command != "HEAD":
            request.wfile.write(payload)

    def _drop_items(
        self, request: BaseHTTPRequestHandler, headers: dict[str, str], body: bytes, every: int
    ) -> tuple[int, bytes, str]:
        lines = [line for line in body.decode("utf-8").split("\n") if line.strip()]
        actions: list[list[str]] = []
        i = 0
        while i < len(lines):
            head = json.loads(lines[i])
            op = next(iter(head))
            size = 1 if op == "delete" else 2
            actions.append(lines[i : i + size])
            i += size
        kept, dropped = [], {}
        for position, action in enumerate(actions):
            if position % every == every - 1:
                head = json.loads(action[0])
                op = next(iter(head))
                dropped[position] = {
                    op: {
                        "_index": head[op].get("_index"),
                        "_id": head[op]["_id"],
                        "status": 429,
                        "error": {
                            "type": "es_rejected_execution_exception",
                            "reason": "injected by the test proxy",
                        },
                    }
                }
            else:
                kept.append(action)
        self.injected += len(dropped)
        forwarded = ("\n".join(line for action in kept for line in action) + "\n").encode("utf-8")
        if kept:
            status, payload, ctype = self._forward(request.command, request.path, headers, forwarded)
            response = json.loads(payload)
        else:
            status, ctype, response = 200, "application/json", {"took": 0, "errors": False, "items": []}
        items = iter(response.get("items", []))
        merged = [dropped[p] if p in dropped else next(items) for p in range(len(actions))]
        response["items"] = merged
        response["errors"] = True
        return status, json.dumps(response).encode("utf-8"), ctype


def _plain_media_type(value: str) -> str:
    if "vnd.elasticsearch+x-ndjson" in value:
        return "application/x-ndjson"
    if "vnd.elasticsearch+json" in value:
        return "application/json"
    return value


def _error_body(status: int) -> bytes:
    kind = "es_rejected_execution_exception" if status == 429 else "injected_server_error"
    return json.dumps(
        {"error": {"type": kind, "reason": "injected by the test proxy"}, "status": status}
    ).encode()
