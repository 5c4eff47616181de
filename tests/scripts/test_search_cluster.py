"""The three-node mode of scripts/search_server.py: a killed node leaves the data searchable, and rejoins."""

from __future__ import annotations

import pytest
from opensearchpy import OpenSearch, helpers

from scripts import search_server


def _health(url: str, query: str) -> dict[str, object]:
    """Cluster health with server-side waiting (opensearch-py would read ``timeout`` as its own)."""
    data = search_server.health(url, timeout=200, query=f"?{query}")
    assert data is not None, f"{url} does not answer"
    return data


@pytest.mark.slow
def test_kill_one_node_and_bring_it_back(opensearch_cluster: search_server.Cluster) -> None:
    cluster = opensearch_cluster
    first, second, third = cluster.urls
    client = OpenSearch([first, second], timeout=60)
    assert client.cluster.health()["number_of_nodes"] == 3
    names = sorted(n["name"] for n in client.cat.nodes(format="json"))
    assert names == ["node-1", "node-2", "node-3"]

    settings = {"number_of_shards": 3, "number_of_replicas": 1}
    client.indices.create(index="faults", body={"settings": settings})
    docs = [{"_index": "faults", "_id": str(i), "n": i} for i in range(30)]
    assert helpers.bulk(client, docs, refresh=True) == (30, [])
    assert _health(first, "wait_for_status=green&timeout=120s")["status"] == "green"

    assert cluster.kill_node(3)
    assert search_server.node_pid(cluster, 3) is None
    assert not cluster.kill_node(3)  # already gone
    health = _health(first, "wait_for_nodes=2&timeout=120s")
    assert health["number_of_nodes"] == 2 and not health["timed_out"]
    result = client.search(index="faults", body={"size": 0, "track_total_hits": True})
    assert result["_shards"]["failed"] == 0
    assert result["hits"]["total"]["value"] == 30
    client.index(index="faults", id="after-kill", body={"n": -1}, refresh=True)

    cluster.start_node(3)
    health = _health(first, "wait_for_status=green&wait_for_nodes=3&timeout=180s")
    assert health["status"] == "green" and health["number_of_nodes"] == 3
    assert OpenSearch([third], timeout=60).count(index="faults")["count"] == 31
    client.indices.delete(index="faults")


def test_stale_pid_files_are_ignored(tmp_path_factory: pytest.TempPathFactory) -> None:
    """node_pid never reports a dead process, and stop() with nothing running is a no-op."""
    base = tmp_path_factory.mktemp("nothing-running")
    cluster = search_server.Cluster(port=9399, nodes=3, state_dir=base)
    cluster.node_dir(2).mkdir(parents=True)
    cluster.pid_file(2).write_text("999999999\n")  # a stale pid file
    assert search_server.node_pid(cluster, 2) is None
    assert search_server.load_cluster(9399, base=base).nodes == 1  # no cluster.json: default
    assert not search_server.stop(9399, base=base)
