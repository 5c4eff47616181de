"""POLICYKB_SEARCH_URL may list several nodes: one that cannot be reached is skipped, nothing else retried."""

from __future__ import annotations

import socket
from pathlib import Path

from kb.search import get_backend
from kb.search.backends.es_client import make_client
from kb.settings import Settings


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_dead_first_node_is_skipped(opensearch_url: str, tmp_path: Path) -> None:
    dead = f"http://127.0.0.1:{_closed_port()}"
    settings = Settings(
        data_dir=tmp_path,
        search_backend="opensearch",
        search_url=f"{dead}, {opensearch_url}/",
        search_timeout_seconds=10,
        search_index_prefix="tfailover",
    )
    client = make_client(settings, "opensearch")
    assert client.urls == [dead, opensearch_url]
    for _ in range(4):  # round-robin would land on the dead node at least once
        assert client.health()["status"] in ("green", "yellow")
    client.close()
    backend = get_backend(settings)
    try:
        for _ in range(4):
            assert backend.ping()
    finally:
        backend.close()


def test_a_single_url_stays_one_host(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, search_backend="opensearch", search_url="http://127.0.0.1:9201/")
    client = make_client(settings, "opensearch")
    assert client.urls == ["http://127.0.0.1:9201"] and client.url == "http://127.0.0.1:9201"
    client.close()
