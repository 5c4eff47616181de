"""An engine that is down (closed port) or hung (accepts, never answers) gives a fast, bilingual 503."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from kb.search import get_backend
from kb.store import Store
from search_api.app import create_app
from tests.search_api.conftest import make_settings

#: The engine timeout the app runs with here; the 503 must come well before a hung client would give up.
ENGINE_TIMEOUT = 1.0
#: Generous bound for "did not hang": timeout + guard slack + retries, far below any socket default.
NO_HANG_SECONDS = 15.0


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class HungServer:
    """Accepts TCP connections and never answers: what an overloaded or wedged engine looks like."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = int(self.sock.getsockname()[1])
        self.connections: list[socket.socket] = []
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(conn)

    def close(self) -> None:
        self._stop.set()
        self.thread.join(timeout=2)
        for conn in self.connections:
            conn.close()
        self.sock.close()


def _client(tmp_path: Path, url: str) -> TestClient:
    settings = make_settings(tmp_path, "opensearch", url, search_timeout_seconds=ENGINE_TIMEOUT)
    store = Store.from_settings(settings)
    app = create_app(settings, store=store, backend=get_backend(settings))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture(params=["closed", "hung"])
def down_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "closed":
        yield _client(tmp_path, f"http://127.0.0.1:{_closed_port()}")
        return
    server = HungServer()
    try:
        yield _client(tmp_path, f"http://127.0.0.1:{server.port}")
    finally:
        server.close()


def _timed_get(client: TestClient, path: str, **params: object) -> tuple[int, dict, dict, float]:
    started = time.monotonic()
    response = client.get(path, params=params)
    return response.status_code, response.json(), dict(response.headers), time.monotonic() - started


def test_search_gives_503_in_both_languages_without_hanging(down_client: TestClient) -> None:
    status, body, headers, elapsed = _timed_get(down_client, "/api/search", q="社保补贴")
    assert status == 503, body
    assert body["error"] == "search_unavailable"
    assert body["message_zh"] and body["message"]
    assert headers["retry-after"]
    assert elapsed < NO_HANG_SECONDS


def test_readiness_reports_the_engine_down(down_client: TestClient) -> None:
    status, body, _, elapsed = _timed_get(down_client, "/readyz")
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["store"]["ok"] is True and body["engine"]["ok"] is False
    assert elapsed < NO_HANG_SECONDS
    assert down_client.get("/healthz").status_code == 200  # the process itself is fine


def test_search_page_shows_the_outage_message(down_client: TestClient) -> None:
    response = down_client.get("/", params={"q": "社保补贴"})
    assert response.status_code == 503
    assert "检索服务" in response.text


def test_suggest_degrades_instead_of_failing(down_client: TestClient) -> None:
    status, body, _, elapsed = _timed_get(down_client, "/api/suggest", q="社保")
    assert status == 200
    assert all(s["kind"] != "title" for s in body["suggestions"])
    assert elapsed < NO_HANG_SECONDS
