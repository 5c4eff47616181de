"""The three-node mode of scripts/search_server.py: a killed node leaves the data searchable, and rejoins."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from opensearchpy import OpenSearch, helpers

from scripts import search_server


def _free_base_port() -> int:
    """A base port whose three HTTP and three transport ports are all free."""
    for base in range(9241, 9291, 5):
        ports = [base + i for i in range(3)] + [base + search_server.TRANSPORT_OFFSET + i for i in range(3)]
        free = True
        for port in ports:
            with socket.socket() as sock:
                sock.settimeout(0.3)
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    free = False
                    break
        if free:
            return base
    pytest.fail("no free port block in 9241-9290 for a three-node test cluster")


@pytest.fixture
def cluster(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[search_server.Cluster]:
    monkeypatch.setenv("POLICYKB_OPENSEARCH_STATE_DIR", str(tmp_path / "os"))
    monkeypatch.setenv("POLICYKB_OPENSEARCH_HEAP", "512m")
    port = _free_base_port()
    try:
        yield search_server.start(port, nodes=3, timeout_s=240)
    finally:
        search_server.stop(port)
        loaded = search_server.load_cluster(port)
        assert all(search_server.node_pid(loaded, n) is None for n in (1, 2, 3))


def _health(url: str, query: str) -> dict[str, object]:
    """Cluster health with server-side waiting (opensearch-py would read ``timeout`` as its own)."""
    data = search_server.health(url, timeout=200, query=f"?{query}")
    assert data is not None, f"{url} does not answer"
    return data


@pytest.mark.slow
def test_kill_one_node_and_bring_it_back(cluster: search_server.Cluster) -> None:
    nodes = [f"http://127.0.0.1:{cluster.http_port(n)}" for n in (1, 2, 3)]
    client = OpenSearch(nodes[:2], timeout=60)
    assert client.cluster.health()["number_of_nodes"] == 3
    names = sorted(n["name"] for n in client.cat.nodes(format="json"))
    assert names == ["node-1", "node-2", "node-3"]

    settings = {"number_of_shards": 3, "number_of_replicas": 1}
    client.indices.create(index="faults", body={"settings": settings})
    docs = [{"_index": "faults", "_id": str(i), "n": i} for i in range(30)]
    assert helpers.bulk(client, docs, refresh=True) == (30, [])
    assert _health(nodes[0], "wait_for_status=green&timeout=120s")["status"] == "green"

    assert search_server.kill_node(cluster.port, 3)
    health = _health(nodes[0], "wait_for_nodes=2&timeout=120s")
    assert health["number_of_nodes"] == 2 and not health["timed_out"]
    result = client.search(index="faults", body={"size": 0, "track_total_hits": True})
    assert result["_shards"]["failed"] == 0
    assert result["hits"]["total"]["value"] == 30
    client.index(index="faults", id="after-kill", body={"n": -1}, refresh=True)

    search_server.start_node(cluster.port, 3)
    health = _health(nodes[0], "wait_for_status=green&wait_for_nodes=3&timeout=180s")
    assert health["status"] == "green" and health["number_of_nodes"] == 3
    back = OpenSearch([nodes[2]], timeout=60)
    assert back.count(index="faults")["count"] == 31
