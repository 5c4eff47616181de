"""Fixtures of the fault tests: a private single-node OpenSearch that a test may stop and start."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scripts import search_server


@pytest.fixture(scope="module")
def private_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[search_server.Cluster]:
    """A one-node OpenSearch of our own (own port, own state dir): stopping it harms no other test."""
    base = tmp_path_factory.mktemp("private-opensearch")
    try:
        port = search_server.free_base_port(1, first=9301, last=9399)
        cluster = search_server.start(port, nodes=1, timeout_s=300, base=base, heap="384m")
    except search_server.SearchServerError as exc:
        pytest.fail(f"could not start a private OpenSearch with scripts/search_server.py:\n{exc}")
    try:
        yield cluster
    finally:
        cluster.stop()
