"""A fixture government site on loopback: pagination, GBK, flaky, rate-limited, slow and broken pages."""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

SITE = Path(__file__).resolve().parents[1] / "fixtures" / "site"
SLOW_SECONDS = 3.0


@dataclass
class Route:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    fail_first: int = 0  # answer 500 this many times, then work
    rate_limit_first: int = 0  # answer 429 (Retry-After: 1) this many times, then work
    delay: float = 0.0
    redirect_to: str | None = None
    etag: bool = True


@dataclass
class FixtureSite:
    """Routes by path; ``hits`` counts requests per path, ``conditional_hits`` those answered 304."""

    routes: dict[str, Route] = field(default_factory=dict)
    hits: Counter[str] = field(default_factory=Counter)
    not_modified: Counter[str] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    base_url: str = ""

    def set_page(self, path: str, html: str) -> None:
        """Change a page (the next crawl must pick it up)."""
        with self.lock:
            self.routes[path].body = html.encode("utf-8")


def _page(name: str, encoding: str = "utf-8") -> bytes:
    return (SITE / name).read_text(encoding="utf-8").encode(encoding)


def build_site() -> FixtureSite:
    site = FixtureSite()
    r = site.routes
    r["/robots.txt"] = Route(_page("robots.txt"), "text/plain")
    r["/zhengce/index.html"] = Route(_page("list_0.html"))
    r["/zhengce/index_1.html"] = Route(_page("list_1.html"))
    r["/zhengce/202501/t20250110_1001.html"] = Route(_page("policy_1001.html"))
    r["/zhengce/202501/t20250112_1002.html"] = Route(_page("policy_1002_gbk.html", "gbk"), "text/html")
    r["/zcjd/202501/t20250115_2001.html"] = Route(_page("interp_2001.html"))
    r["/flaky/t20250116_1003.html"] = Route(_page("policy_1003.html"), fail_first=2)
    r["/private/t20250117_1004.html"] = Route(b"<html><body>secret</body></html>")
    r["/old/t20250118_1005.html"] = Route(b"", status=301, redirect_to="/zhengce/t20250118_1005.html")
    r["/zhengce/t20250118_1005.html"] = Route(_page("policy_1005.html"))
    r["/files/P020250110_稳岗扩岗申报表.pdf"] = Route(b"%PDF-1.4 fixture", "application/pdf")
    r["/busy/t20250120_1006.html"] = Route(_page("policy_1006.html"), rate_limit_first=1)
    r["/slow/t20250121_1007.html"] = Route(_page("policy_1006.html"), delay=SLOW_SECONDS)
    r["/gone/t20250122_1008.html"] = Route(b"<html><body>404</body></html>", status=404)
    whole = _page("policy_1003.html")
    truncated = whole[: whole.index("每周开放".encode()) + 13]  # cut mid-character, inside the body
    r["/bad/t20250123_1101.html"] = Route(truncated)
    r["/bad/t20250123_1102.html"] = Route(b"")
    big = b"<html><body><div class='view TRS_UEDITOR'>" + ("<p>" + "填充文字" * 60 + "</p>").encode() * 7000
    r["/bad/t20250123_1103.html"] = Route(big + b"</div></body></html>")
    r["/bad/t20250123_1104.html"] = Route(bytes(range(256)) * 64, "text/html")
    r["/bad/t20250123_1105.html"] = Route(
        _page("policy_1105_mislabelled.html", "gbk"), "text/html; charset=utf-8"
    )
    return site


def make_handler(site: FixtureSite) -> Callable[..., BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            pass

        def do_GET(self) -> None:
            from urllib.parse import unquote

            path = unquote(self.path.split("?")[0])
            with site.lock:
                site.hits[path] += 1
                site.user_agents.add(self.headers.get("User-Agent", ""))
                route = site.routes.get(path)
                hit = site.hits[path]
            if route is None:
                return self._send(404, b"not found", "text/plain")
            if route.delay:
                time.sleep(route.delay)
            if hit <= route.fail_first:
                return self._send(500, b"server error", "text/plain")
            if hit <= route.rate_limit_first:
                return self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            if route.redirect_to:
                return self._send(route.status, b"", "text/plain", {"Location": route.redirect_to})
            tag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
            if route.etag and self.headers.get("If-None-Match") == tag:
                with site.lock:
                    site.not_modified[path] += 1
                return self._send(304, b"", None, {"ETag": tag})
            self._send(route.status, route.body, route.content_type, {"ETag": tag} if route.etag else {})

        def _send(
            self, status: int, body: bytes, content_type: str | None, headers: dict[str, str] | None = None
        ) -> None:
            try:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body and status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the crawler gave up on a slow page: expected

    return Handler


class SiteServer:
    """Start/stop the fixture site on 127.0.0.1 with an ephemeral port."""

    def __init__(self, site: FixtureSite) -> None:
        self.site = site
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(site))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        site.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FixtureSite:
        self.thread.start()
        return self.site

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
