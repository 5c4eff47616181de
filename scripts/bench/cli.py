"""Command line of the benchmark: options → BenchConfig, run, print the tables, write the JSON."""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from scripts.bench.report import print_report, target_checks
from scripts.bench.runner import BenchConfig, run_benchmark

console = Console(width=160)


def _ints(text: str) -> list[int]:
    try:
        return [int(x) for x in text.split(",") if x.strip()]
    except ValueError as exc:
        raise typer.BadParameter(f"expected numbers separated by commas, got {text!r}") from exc


def _names(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def write_json(out: Path, result: dict[str, Any]) -> None:
    """Write the results (also after each corpus, so a cut-off run keeps what it measured)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(_json_safe(result), ensure_ascii=False, indent=1), encoding="utf-8")


def _json_safe(value: Any) -> Any:
    """NaN is not JSON: write null instead."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def bench(
    out: Annotated[Path, typer.Option(help="JSON results file")] = Path("/tmp/policykb-bench/results.json"),
    data: Annotated[Path, typer.Option(help="共享数据目录 / shared data")] = BenchConfig().data,
    scaled: Annotated[
        Path | None, typer.Option(help="scaled corpus from scripts/gen_scaled_corpus.py")
    ] = None,
    workdir: Annotated[Path, typer.Option(help="stores and logs (outside the repo)")] = Path(
        "/tmp/policykb-bench"
    ),
    backends: Annotated[str, typer.Option(help="sqlite,opensearch")] = "sqlite,opensearch",
    opensearch_url: Annotated[str, typer.Option(help="loopback OpenSearch")] = "http://127.0.0.1:9201",
    only: Annotated[list[str] | None, typer.Option(help="load-shared only these datasets")] = None,
    concurrency: Annotated[str, typer.Option(help="client counts")] = "1,8,32",
    requests: Annotated[int, typer.Option(min=1, help="requests per load run")] = 400,
    max_seconds: Annotated[float, typer.Option(min=0.5, max=600, help="time cap per load run")] = 20.0,
    runs: Annotated[int, typer.Option(min=1, help="repetitions per load level")] = 3,
    workers: Annotated[str, typer.Option(help="worker processes of the parallel build")] = "1,2",
    index_runs: Annotated[int, typer.Option(min=1, help="repetitions of reindex")] = 1,
    reuse: Annotated[str, typer.Option(help="corpora whose store an earlier run loaded: shared,scaled")] = "",
    corpora: Annotated[str, typer.Option(help="shared,scaled (scaled needs --scaled)")] = "shared,scaled",
    seg_stride: Annotated[int, typer.Option(min=1, help="segmentation bound over every N-th text")] = 1,
    parallel_limit: Annotated[int | None, typer.Option(min=1, help="policies/Q&A in the worker test")] = None,
    parallel_backends: Annotated[str, typer.Option(help="backends of the worker test")] = "sqlite",
    api_workers: Annotated[int, typer.Option(min=1, help="worker processes of the API under test")] = 2,
    reindex_workers: Annotated[
        int | None, typer.Option(min=1, help="reindex --workers (default: as the CLI)")
    ] = None,
) -> None:
    """基准测试 / benchmark: segmentation bound, indexing, API vs engine latency, scale, memory."""
    cfg = BenchConfig(
        data=data,
        scaled=scaled,
        workdir=workdir,
        backends=_names(backends),
        opensearch_url=opensearch_url,
        only=only or None,
        concurrency=_ints(concurrency),
        requests=requests,
        max_seconds=max_seconds,
        runs=runs,
        workers=_ints(workers),
        index_runs=index_runs,
        reuse=_names(reuse),
        corpora=_names(corpora),
        seg_stride=seg_stride,
        parallel_limit=parallel_limit,
        parallel_backends=_names(parallel_backends),
        api_workers=api_workers,
    )
    if reindex_workers:
        cfg.reindex_workers = reindex_workers
    if not all(h in cfg.opensearch_url for h in ("127.0.0.1",)):
        raise typer.BadParameter(
            "the benchmark talks to loopback only: --opensearch-url http://127.0.0.1:PORT"
        )
    result = run_benchmark(
        cfg,
        log=lambda msg: console.print(f"[dim]{time.strftime('%H:%M:%S')} {msg}[/dim]"),
        checkpoint=lambda partial: write_json(out, partial),
    )
    result["targets"] = target_checks(result)
    write_json(out, result)
    print_report(result, console)
    console.print(f"JSON: {out}")


def main() -> None:
    typer.run(bench)
