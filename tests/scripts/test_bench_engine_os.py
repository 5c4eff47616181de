"""scripts/bench/engine_os.py on a real OpenSearch: dump -> load -> time -> sizes -> drop, on a tiny store."""

from __future__ import annotations

import json
import uuid
from datetime import date
from pathlib import Path

import httpx
import pytest

from kb.models import Policy, Provenance, Validity
from kb.settings import get_settings
from kb.store import Store
from scripts.bench import engine_os


def _policy(n: int, title: str, text: str) -> Policy:
    return Policy(
        title=title,
        text=text,
        validity=Validity.VALID,
        publish_date=date(2021, 1, n),
        provenance=Provenance(source="govcn", source_id=f"bench-{n}", url=f"https://example.org/{n}"),
    )


def test_engine_os_builds_times_sizes_and_drops(
    opensearch_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prefix = f"tbench{uuid.uuid4().hex[:8]}"
    db = tmp_path / "kb.db"
    for key, value in {
        "POLICYKB_DATA_DIR": str(tmp_path),
        "POLICYKB_DATABASE_URL": f"sqlite:///{db}",
        "POLICYKB_SEARCH_BACKEND": "opensearch",
        "POLICYKB_SEARCH_URL": opensearch_url,
        "POLICYKB_SEARCH_INDEX_PREFIX": prefix,
        "POLICYKB_SEARCH_TIMEOUT_SECONDS": "30",
    }.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    store = Store(f"sqlite:///{db}")
    store.upsert_policies(
        [
            _policy(1, "关于社会保险补贴的通知", "第一条 用人单位应当缴纳社会保险费。"),
            _policy(2, "关于养老服务的意见", "发展养老服务，完善社会保险制度。"),
        ]
    )
    store.close()
    pools = {"search": ["社会保险", "养老服务"], "qa": ["怎么交社保"], "suggest": ["关于", "关"]}
    monkeypatch.setattr(engine_os, "query_pools", lambda: {k: list(v) for k, v in pools.items()})
    dump = tmp_path / "docs.jsonl.gz"
    try:
        engine_os.main(["dump", str(dump)])
        engine_os.main(["load", str(dump), "--out", str(tmp_path / "load.json")])
        assert json.loads((tmp_path / "load.json").read_text())["policies"]["indexed"] == 2
        engine_os.main(["time", "--threads", "1,2", "--rounds", "1", "--out", str(tmp_path / "t.json")])
        rows = json.loads((tmp_path / "t.json").read_text())["rows"]
        assert {(r["kind"], r["threads"]) for r in rows} == {
            (k, t) for k in ("search", "qa", "suggest") for t in (1, 2)
        }
        search = next(r for r in rows if r["kind"] == "search" and r["threads"] == 1)
        assert search["n"] == 2 and search["p95"] >= search["p50"] > 0
        assert search["took_p50"] >= 0  # the engine's own figure was captured
        engine_os.main(["sizes", "--raw-bytes", "1000", "--out", str(tmp_path / "s.json")])
        sizes = json.loads((tmp_path / "s.json").read_text())
        assert sizes["total_bytes"] > 0
        assert {r["index"] for r in sizes["indices"]} == {
            f"{prefix}-policies-v1",
            f"{prefix}-qa-v1",
            f"{prefix}-glossary-v1",
        }
    finally:
        engine_os.main(["drop"])
        get_settings.cache_clear()
    left = httpx.get(f"{opensearch_url}/_cat/indices/{prefix}-*", params={"format": "json"}, trust_env=False)
    assert left.json() == []
