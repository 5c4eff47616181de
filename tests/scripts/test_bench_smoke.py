"""A tiny run of the benchmark (one small dataset, a few requests) so it cannot rot; no figure is checked."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import httpx
import pytest
from rich.console import Console

from scripts.bench import cli, load, queries, stats
from scripts.bench.report import print_report, target_checks
from scripts.bench.runner import BenchConfig, run_benchmark

KINDS = {"search", "qa", "suggest"}


def test_percentiles_and_spread() -> None:
    values = [float(v) for v in range(1, 101)]
    assert stats.percentile(values, 50) == pytest.approx(50.5)
    assert stats.percentile(values, 95) == pytest.approx(95.05)
    assert stats.percentile([7.0], 99) == 7.0
    assert math.isnan(stats.percentile([], 50))
    spread = stats.median_spread([10.0, 12.0, 8.0])
    assert spread == {"median": 10.0, "min": 8.0, "max": 12.0, "spread": pytest.approx(0.4)}


def test_query_mix_is_deterministic_and_covers_every_kind() -> None:
    mix = queries.query_mix(400, seed=3)
    assert mix == queries.query_mix(400, seed=3) != queries.query_mix(400, seed=4)
    assert {item["kind"] for item in mix} == KINDS
    pools = queries.query_pools()
    assert any("〔" in q or "[" in q for q in pools["search"]), "文号 queries are in the mix"
    assert any("条" in q for q in pools["search"]), "clause queries are in the mix"
    assert all(0 < len(p) <= 4 for p in pools["suggest"])


def test_load_loop_is_bounded_by_count_and_time() -> None:
    spec = load.LoadSpec(
        mode="api", items=[{"kind": "search", "q": "x"}], concurrency=2, max_requests=3, max_seconds=30
    )
    rec = load.Recorder(spec)
    taken = [rec.next_item() for _ in range(5)]
    assert taken[:3] == [{"kind": "search", "q": "x"}] * 3 and taken[3:] == [None, None]
    timed = load.Recorder(spec.model_copy(update={"max_seconds": 0.001, "max_requests": 10**6}))
    timed.start()
    import time

    time.sleep(0.01)
    assert timed.next_item() is None


def _check_backend(entry: dict, concurrency: int) -> None:
    assert entry["reindex"]["runs"][0]["documents"] > 0
    assert entry["index_bytes"] > 0 and entry["index_to_raw"] > 0
    level = entry["latency"]["levels"][str(concurrency)]
    for side in ("api", "engine"):
        assert level[side]["errors"] == 0, level[side]
        assert set(level[side]) >= KINDS | {"all", "qps"}
        assert level[side]["all"]["p95"]["median"] >= level[side]["all"]["p50"]["median"] > 0
    assert entry["latency"]["rss_load_peak_mb"] > 50


def _render(result: dict) -> str:
    result["targets"] = target_checks(result)
    buffer = io.StringIO()
    print_report(result, Console(file=buffer, width=200))
    return buffer.getvalue()


def _config(tmp_path: Path, shared_data: Path, **extra: object) -> BenchConfig:
    base: dict[str, object] = {
        "data": shared_data,
        "workdir": tmp_path,
        "only": ["govcn"],
        "corpora": ["shared"],
        "concurrency": [2],
        "requests": 12,
        "max_seconds": 10,
        "runs": 1,
        "workers": [1, 2],
        "parallel_limit": 10,
    }
    return BenchConfig.model_validate(base | extra)


def test_smoke_run_on_the_embedded_backend(tmp_path: Path, shared_data: Path) -> None:
    result = run_benchmark(_config(tmp_path, shared_data, backends=["sqlite"]), log=lambda _m: None)
    shared = result["corpora"]["shared"]
    assert shared["load"]["records"] == shared["counts"]["policies"] == 60
    assert shared["segmentation"]["tokens"] > 1000 and shared["segmentation"]["mb_per_s"]["median"] > 0
    entry = shared["backends"]["sqlite"]
    _check_backend(entry, 2)
    counts = shared["counts"]
    # The worker test indexes the first 10 policies and Q&A pairs (govcn has none) and the glossary.
    expected = min(10, counts["policies"]) + min(10, counts["qa_pairs"]) + counts["glossary_terms"]
    assert {w: p["documents"] for w, p in entry["parallel"].items()} == {"1": expected, "2": expected}
    text = _render(result)
    assert "segmentation bound" in text and "API/engine p95" in text and "targets (issue 9)" in text
    out = tmp_path / "r.json"
    cli.write_json(out, result)
    assert json.loads(out.read_text(encoding="utf-8"))["corpora"]["shared"]["counts"]["policies"] == 60


def test_smoke_run_on_opensearch_leaves_no_index(
    tmp_path: Path, shared_data: Path, opensearch_url: str
) -> None:
    cfg = _config(
        tmp_path,
        shared_data,
        backends=["opensearch"],
        opensearch_url=opensearch_url,
        parallel_backends=["opensearch"],
        workers=[1],
    )
    result = run_benchmark(cfg, log=lambda _m: None)
    entry = result["corpora"]["shared"]["backends"]["opensearch"]
    _check_backend(entry, 2)
    left = httpx.get(
        f"{opensearch_url}/_cat/indices/{entry['prefix']}*", params={"format": "json"}, trust_env=False
    )
    assert left.status_code == 200 and left.json() == []


def test_result_files_merge_per_backend() -> None:
    from scripts.bench.report import merge_results

    def result(backend: str, host: str) -> dict:
        corpus = {"corpus": "shared", "counts": {"policies": 1}, "backends": {backend: {"prefix": backend}}}
        return {"machine": {"host": host}, "config": {}, "corpora": {"shared": corpus}}

    merged = merge_results([result("sqlite", "a"), result("opensearch", "b")])
    assert set(merged["corpora"]["shared"]["backends"]) == {"sqlite", "opensearch"}
    assert merged["machine"]["host"] == "a" and [r["machine"]["host"] for r in merged["runs"]] == ["a", "b"]
