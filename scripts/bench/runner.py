"""The benchmark run: per corpus, load the store, measure the segmentation bound, build each backend's index
(real reindex and the parallel path), then drive the API and the engine with the same query mix."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from indexer.doc_builder import default_workers
from kb.settings import Settings
from kb.store import Store
from scripts.bench import indexing, segmentation, sizes
from scripts.bench.queries import query_mix
from scripts.bench.server import REPO, ApiServer
from scripts.bench.stats import latency_summary, load_average, machine, median_spread, ratio

#: How long a run waits for a store that another process is still loading (``reuse``).
REUSE_WAIT_SECONDS = 45 * 60


class BenchConfig(BaseModel):
    """What one run measures; the defaults are the full run."""

    data: Path = REPO.parent / "shared" / "data"
    scaled: Path | None = Field(default=None, description="folder written by scripts/gen_scaled_corpus.py")
    workdir: Path = Path("/tmp/policykb-bench")
    corpora: list[str] = ["shared", "scaled"]
    backends: list[str] = ["sqlite", "opensearch"]
    opensearch_url: str = "http://127.0.0.1:9201"
    only: list[str] | None = Field(default=None, description="load-shared only these datasets (smoke runs)")
    concurrency: list[int] = [1, 8, 32]
    requests: int = Field(default=400, ge=1, description="requests per load run (bounded)")
    max_seconds: float = Field(default=20.0, gt=0, description="time cap per load run")
    runs: int = Field(default=3, ge=1, description="repetitions of each load level and of the segmentation")
    workers: list[int] = [1, 2]
    index_runs: int = Field(default=1, ge=1, description="repetitions of the real reindex")
    scaled_runs: int = Field(default=1, ge=1, description="load repetitions on the scaled corpus")
    scaled_concurrency: list[int] = [8]
    seg_stride: int = Field(default=1, ge=1, description="segment every N-th text for the bound")
    parallel_limit: int | None = Field(default=None, ge=1, description="policies and Q&A in the worker test")
    parallel_backends: list[str] = ["sqlite"]
    api_workers: int = Field(default=2, ge=1, description="`policykb serve --workers` of the API under test")
    reindex_workers: int = Field(default_factory=default_workers, ge=1, description="reindex --workers N")
    reuse: list[str] = Field(default_factory=list, description="corpora whose store an earlier run loaded")


class RssSampler:
    """Samples the API process's RSS every 0.25 s while a load runs; keeps the peak."""

    def __init__(self, server: ApiServer) -> None:
        self.server = server
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss_mb())
            self._stop.wait(0.25)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _settings(corpus_dir: Path, backend: str, cfg: BenchConfig, prefix: str) -> Settings:
    return Settings(
        env="development",
        data_dir=corpus_dir,
        database_url=f"sqlite:///{corpus_dir / 'policykb.db'}",
        search_backend=backend,  # type: ignore[arg-type]
        search_url=cfg.opensearch_url,
        search_index_prefix=prefix,
        search_timeout_seconds=10.0,
    )


def _env(settings: Settings) -> dict[str, str]:
    return {
        "POLICYKB_ENV": settings.env,
        "POLICYKB_DATA_DIR": str(settings.data_dir),
        "POLICYKB_DATABASE_URL": settings.resolved_database_url,
        "POLICYKB_SEARCH_BACKEND": settings.search_backend,
        "POLICYKB_SEARCH_URL": settings.search_url,
        "POLICYKB_SEARCH_INDEX_PREFIX": settings.search_index_prefix,
        "POLICYKB_SEARCH_TIMEOUT_SECONDS": str(settings.search_timeout_seconds),
    }


def run_load(spec: dict[str, Any], env: dict[str, str], workdir: Path) -> dict[str, Any]:
    """One closed-loop run in a separate process (scripts.bench.load); summaries per kind."""
    tag = uuid.uuid4().hex[:8]
    spec_path, out_path = workdir / f"load-{tag}.json", workdir / f"load-{tag}.out.json"
    spec_path.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    load_before = load_average()[0]
    subprocess.run(
        [sys.executable, "-m", "scripts.bench.load", str(spec_path), str(out_path)],
        cwd=REPO,
        env={**os.environ, **env},
        check=True,
        timeout=spec["max_seconds"] + 180,
    )
    raw = json.loads(out_path.read_text(encoding="utf-8"))
    spec_path.unlink()
    out_path.unlink()
    everything = [ms for values in raw["latencies_ms"].values() for ms in values]
    return {
        "requests": raw["requests"],
        "qps": raw["qps"],
        "errors": raw["errors"],
        "load_avg_1m": load_before,
        "all": latency_summary(everything),
        "kinds": {k: latency_summary(v) for k, v in raw["latencies_ms"].items()},
    }


def combine_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over repeated runs of each summary figure, with its spread."""
    kinds = sorted({k for r in runs for k in r["kinds"]})
    out: dict[str, Any] = {
        "runs": len(runs),
        "qps": median_spread([r["qps"] for r in runs]),
        "errors": sum(sum(r["errors"].values()) for r in runs),
        "load_avg_1m": median_spread([r["load_avg_1m"] for r in runs]),
    }
    for name in ["all", *kinds]:
        pick = [r["all"] if name == "all" else r["kinds"].get(name) for r in runs]
        present = [p for p in pick if p]
        out[name] = {stat: median_spread([p[stat] for p in present]) for stat in ("p50", "p95", "p99")}
    return out


def measure_latency(
    server: ApiServer, env: dict[str, str], api_key: str, levels: list[int], runs: int, cfg: BenchConfig
) -> dict[str, Any]:
    """API and engine runs at each concurrency, the same mix for both, RSS sampled during API load."""
    items = query_mix(max(cfg.requests, 50))
    out: dict[str, Any] = {
        "api_workers": server.workers,
        "rss_rest_mb": server.rss_mb(),
        "rss_rest_total_mb": server.rss_total_mb(),
        "levels": {},
    }
    peak = 0.0
    for clients in levels:
        spec = {
            "items": items,
            "concurrency": clients,
            "max_requests": cfg.requests,
            "max_seconds": cfg.max_seconds,
            "warmup": 20,
            "base_url": server.base_url,
            "api_key": api_key,
        }
        api_runs, engine_runs = [], []
        for _ in range(runs):
            with RssSampler(server) as sampler:
                api_runs.append(run_load({**spec, "mode": "api"}, env, cfg.workdir))
            peak = max(peak, sampler.peak)
            engine_runs.append(run_load({**spec, "mode": "engine"}, env, cfg.workdir))
        api, engine = combine_runs(api_runs), combine_runs(engine_runs)
        ratios = {
            kind: {
                stat: ratio(api[kind][stat]["median"], engine[kind][stat]["median"])
                for stat in ("p50", "p95")
            }
            for kind in api
            if isinstance(api.get(kind), dict) and "p95" in api[kind] and kind in engine
        }
        out["levels"][str(clients)] = {"api": api, "engine": engine, "api_engine_ratio": ratios}
    out["rss_load_peak_mb"] = peak
    out["rss_after_mb"] = server.rss_mb()
    out["rss_after_total_mb"] = server.rss_total_mb()
    return out


def _agent_key(settings: Settings) -> str:
    from kb.auth import ApiKeyService, Role
    from kb.auth.repository import SqlApiKeyRepository

    store = Store.from_settings(settings)
    try:
        return ApiKeyService(SqlApiKeyRepository(store), settings).create(Role.AGENT, name="bench").key
    finally:
        store.close()


def _index_bytes(settings: Settings, corpus_dir: Path) -> int:
    if settings.search_backend == "sqlite":
        return sizes.sqlite_index_bytes(corpus_dir / "policykb.db")
    return sizes.opensearch_index_bytes(settings.search_url, settings.search_index_prefix)


def prepare_store(name: str, cfg: BenchConfig, log: Any) -> dict[str, Any]:
    """Load the corpus into a fresh SQLite store (timed); ``cfg.reuse`` keeps a store loaded before."""
    corpus_dir = cfg.workdir / name
    corpus_dir.mkdir(parents=True, exist_ok=True)
    db, marker = corpus_dir / "policykb.db", corpus_dir / "load.json"
    if name in cfg.reuse and db.exists():
        # Another process may still be loading it (marker written at the end): wait, never reload under it.
        deadline = time.monotonic() + REUSE_WAIT_SECONDS
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(5)
    if name in cfg.reuse and db.exists() and marker.exists():
        load: dict[str, Any] = json.loads(marker.read_text(encoding="utf-8"))
        load["reused"] = True
        log(f"[{name}] reusing the store loaded at {load.get('loaded_at')}")
        return load
    marker.unlink(missing_ok=True)
    for stale in corpus_dir.glob("policykb.db*"):
        stale.unlink()
    store = Store(f"sqlite:///{db}")
    log(f"[{name}] loading the store")
    try:
        if name == "shared":
            load = indexing.timed_load_shared(cfg.data, store, cfg.only)
        elif cfg.scaled is None:
            raise ValueError("the scaled corpus needs --scaled DIR (scripts/gen_scaled_corpus.py)")
        else:
            load = indexing.timed_import_generic(cfg.scaled, store)
    finally:
        store.close()
    load["load_avg_1m"] = load_average()[0]
    load["loaded_at"] = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
    marker.write_text(json.dumps(load), encoding="utf-8")
    return load


def bench_corpus(name: str, cfg: BenchConfig, log: Any, checkpoint: Any = None) -> dict[str, Any]:
    """Everything measured on one corpus (shared or scaled)."""
    corpus_dir = cfg.workdir / name
    result: dict[str, Any] = {"corpus": name}
    load = prepare_store(name, cfg, log)
    result["load"] = load
    store = Store(f"sqlite:///{corpus_dir / 'policykb.db'}")
    result["counts"] = store.counts()
    texts = segmentation.store_texts(store)
    store.close()
    log(f"[{name}] segmentation bound over {len(texts)} texts")
    seg = segmentation.segmentation_bound(
        texts, runs=cfg.runs if name == "shared" else 1, stride=cfg.seg_stride
    )
    seg["load_avg_1m"] = load_average()[0]
    result["segmentation"] = seg
    # The bound may run on a sample (seg_stride); sizes and MB/s of indexing use every text.
    raw_bytes = float(sum(len(t.encode("utf-8")) for t in texts))
    result["raw_text_bytes"] = raw_bytes
    docs = result["counts"].get("policies", 0) + result["counts"].get("qa_pairs", 0)
    result["backends"] = {}
    shared_corpus = name == "shared"
    for backend in cfg.backends:
        prefix = f"bench{uuid.uuid4().hex[:8]}{name}"
        settings = _settings(corpus_dir, backend, cfg, prefix)
        entry: dict[str, Any] = {"prefix": prefix}
        result["backends"][backend] = entry
        try:
            log(f"[{name}/{backend}] reindex")
            from kb.search import get_backend

            runs = []
            for _ in range(cfg.index_runs if shared_corpus else 1):
                reopened = Store(settings.resolved_database_url)
                search = get_backend(settings)
                try:
                    timing = indexing.timed_reindex(reopened, search, workers=cfg.reindex_workers)
                finally:
                    search.close()
                    reopened.close()
                timing["load_avg_1m"] = load_average()[0]
                runs.append(timing)
            seconds = median_spread([r["seconds"] for r in runs])
            cpu_median = median_spread([r["cpu_seconds"] for r in runs])["median"]
            entry["reindex"] = {
                "runs": runs,
                "seconds": seconds,
                "docs_per_s": docs / seconds["median"],
                "mb_per_s": raw_bytes / 1e6 / seconds["median"],
                "mb_per_cpu_s": raw_bytes / 1e6 / cpu_median,
            }
            end_to_end = load["seconds"] + seconds["median"]
            cpu = load.get("cpu_seconds", float("nan")) + cpu_median
            entry["end_to_end"] = {
                "cpu_seconds": cpu,
                "mb_per_cpu_s": raw_bytes / 1e6 / cpu,
                "seconds": end_to_end,
                "docs_per_s": docs / end_to_end,
                "mb_per_s": raw_bytes / 1e6 / end_to_end,
            }
            if shared_corpus and backend in cfg.parallel_backends:
                entry["parallel"] = {}
                for workers in cfg.workers:
                    log(f"[{name}/{backend}] parallel build, {workers} worker(s)")
                    par = indexing.parallel_reindex(
                        settings.resolved_database_url, settings, workers, cfg.parallel_limit
                    )
                    par["load_avg_1m"] = load_average()[0]
                    par["docs_per_s"] = par["documents"] / par["seconds"]
                    entry["parallel"][str(workers)] = par
            index_bytes = _index_bytes(settings, corpus_dir)
            entry["index_bytes"] = index_bytes
            entry["index_bytes_per_1000_docs"] = index_bytes / docs * 1000 if docs else float("nan")
            entry["index_to_raw"] = ratio(index_bytes, raw_bytes)
            log(f"[{name}/{backend}] latency")
            key = _agent_key(settings)
            log_path = corpus_dir / f"api-{backend}.log"
            with ApiServer(_env(settings), log_path, workers=cfg.api_workers) as server:
                entry["latency"] = measure_latency(
                    server,
                    _env(settings),
                    key,
                    cfg.concurrency if shared_corpus else cfg.scaled_concurrency,
                    cfg.runs if shared_corpus else cfg.scaled_runs,
                    cfg,
                )
        finally:
            if backend != "sqlite":
                sizes.delete_opensearch_indices(cfg.opensearch_url, prefix)
        if checkpoint is not None:
            checkpoint(result)
    return result


def run_benchmark(cfg: BenchConfig, log: Any = print, checkpoint: Any = None) -> dict[str, Any]:
    """The whole run: machine, config and per-corpus results; checkpoint(partial) after each corpus."""
    cfg.workdir.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"machine": machine(), "config": json.loads(cfg.model_dump_json()), "corpora": {}}
    for name in cfg.corpora:
        if name == "scaled" and cfg.scaled is None:
            continue

        def partial(corpus: dict[str, Any], name: str = name) -> None:
            out["corpora"][name] = corpus
            if checkpoint is not None:
                checkpoint(out)

        partial(bench_corpus(name, cfg, log, partial))
    out["machine"]["load_average_end"] = load_average()
    return out
