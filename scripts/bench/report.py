"""The benchmark tables (rich) and the issue's targets, from the results of runner.run_benchmark."""

from __future__ import annotations

import math
from typing import Any

from rich.console import Console
from rich.table import Table

#: (name, limit, lower-is-better) of the issue's targets.
TARGETS = {
    "api_search_p95_ms_8c": (30.0, True),
    "api_engine_p95_ratio_8c": (1.3, True),
    "qa_p95_ms_8c": (20.0, True),
    "embedded_search_p95_ms_8c": (15.0, True),
    "indexing_share_of_segmentation_bound": (0.75, False),
    "p95_scaled_over_shared": (2.0, True),
    "api_rss_peak_mb": (400.0, True),
    "index_over_raw_text": (2.0, True),
}


def _f(value: Any, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:.{digits}f}" if isinstance(value, float) else str(value)


def _ms(stat: dict[str, float] | None) -> str:
    """median (±spread%)"""
    if not stat:
        return "–"
    spread = stat.get("spread", float("nan"))
    tail = "" if math.isnan(spread) or spread == 0 else f" ±{spread * 50:.0f}%"
    return f"{stat['median']:.1f}{tail}"


def _level(result: dict[str, Any], corpus: str, backend: str, clients: int) -> dict[str, Any] | None:
    entry = result["corpora"].get(corpus, {}).get("backends", {}).get(backend, {})
    return entry.get("latency", {}).get("levels", {}).get(str(clients))


def _p95(level: dict[str, Any] | None, side: str, kind: str) -> float:
    try:
        return float(level[side][kind]["p95"]["median"])  # type: ignore[index]
    except (KeyError, TypeError):
        return float("nan")


def target_checks(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target with the measured value, where it was measured, and pass/miss."""
    rows: list[tuple[str, str, float]] = []
    os_8 = _level(result, "shared", "opensearch", 8)
    sq_8 = _level(result, "shared", "sqlite", 8)
    rows.append(("api_search_p95_ms_8c", "shared, opensearch, API search", _p95(os_8, "api", "search")))
    ratio = _p95(os_8, "api", "search") / _p95(os_8, "engine", "search")
    rows.append(("api_engine_p95_ratio_8c", "shared, opensearch, search", ratio))
    rows.append(("qa_p95_ms_8c", "shared, opensearch, API Q&A", _p95(os_8, "api", "qa")))
    rows.append(("embedded_search_p95_ms_8c", "shared, sqlite, API search", _p95(sq_8, "api", "search")))
    shared = result["corpora"].get("shared", {})
    bound = shared.get("segmentation", {}).get("mb_per_s", {}).get("median", float("nan"))
    for backend, entry in shared.get("backends", {}).items():
        e2e = entry.get("end_to_end", {}).get("mb_per_s", float("nan"))
        rows.append(
            ("indexing_share_of_segmentation_bound", f"shared, {backend}, load+reindex, wall", e2e / bound)
        )
        cpu_bound = shared.get("segmentation", {}).get("mb_per_cpu_s", {}).get("median", float("nan"))
        e2e_cpu = entry.get("end_to_end", {}).get("mb_per_cpu_s", float("nan"))
        where = f"shared, {backend}, load+reindex, Python CPU s"
        rows.append(("indexing_share_of_segmentation_bound", where, e2e_cpu / cpu_bound))
        rows.append(
            ("api_rss_peak_mb", f"shared, {backend}", entry.get("latency", {}).get("rss_load_peak_mb"))
        )
        rows.append(("index_over_raw_text", f"shared, {backend}", entry.get("index_to_raw", float("nan"))))
        scaled_8 = _level(result, "scaled", backend, 8)
        if scaled_8:
            growth = _p95(scaled_8, "api", "search") / _p95(
                _level(result, "shared", backend, 8), "api", "search"
            )
            rows.append(("p95_scaled_over_shared", f"{backend}, API search at 8 clients", growth))
    checks = []
    for name, where, value in rows:
        limit, lower = TARGETS[name]
        value = float("nan") if value is None else float(value)
        ok = (value <= limit if lower else value >= limit) if not math.isnan(value) else None
        checks.append({"target": name, "where": where, "value": value, "limit": limit, "met": ok})
    return checks


def print_report(result: dict[str, Any], console: Console | None = None) -> None:
    """The tables: segmentation, indexing, latency, memory/size, targets."""
    console = console or Console(width=160)
    m = result["machine"]
    end = m.get("load_average_end", [float("nan")])[0]
    console.print(
        f"{m['date_utc']}  {m['host']}  {m['cpu']}  {m['cores']} cores  Python {m['python']}  "
        f"load avg at start {m['load_average'][0]:.1f}, at end {end:.1f}"
    )
    seg = Table(title="segmentation bound (segment_for_index alone)")
    for col in ("corpus", "texts", "MB", "tokens", "engine", "MB/s", "MB/CPU s", "tokens/s", "load"):
        seg.add_column(col, justify="right")
    idx = Table(title="indexing (store writes + segmentation + bulk)")
    for col in (
        "corpus",
        "backend",
        "docs",
        "load s",
        "reindex s",
        "e2e docs/s",
        "e2e MB/s",
        "e2e/bound",
        "e2e/bound CPU",
        "reindex/bound",
        "1 worker s",
        "2 workers s",
        "2w/1w speed-up",
    ):
        idx.add_column(col, justify="right")
    lat = Table(title="latency ms (median of runs, ±half spread) and QPS, closed loop over loopback")
    for col in (
        "corpus",
        "backend",
        "clients",
        "kind",
        "API p50",
        "API p95",
        "API p99",
        "engine p50",
        "engine p95",
        "API/engine p95",
        "API QPS",
        "engine QPS",
        "errors",
        "load",
    ):
        lat.add_column(col, justify="right")
    mem = Table(title="memory and index size")
    for col in (
        "corpus",
        "backend",
        "API workers",
        "RSS rest MB",
        "RSS peak MB",
        "index MB",
        "per 1000 docs MB",
        "index/raw text",
    ):
        mem.add_column(col, justify="right")
    for name, corpus in result["corpora"].items():
        s = corpus["segmentation"]
        seg.add_row(
            name,
            str(s["texts"]),
            _f(s["mb"]),
            str(s["tokens"]),
            s["engine"],
            _ms(s["mb_per_s"]),
            _ms(s.get("mb_per_cpu_s")),
            _ms(s["tokens_per_s"]),
            _f(s.get("load_avg_1m")),
        )
        bound = s["mb_per_s"]["median"]
        docs = corpus["counts"].get("policies", 0) + corpus["counts"].get("qa_pairs", 0)
        for backend, entry in corpus["backends"].items():
            if "reindex" not in entry:
                continue
            par = entry.get("parallel", {})
            one, two = par.get("1", {}).get("seconds"), par.get("2", {}).get("seconds")
            idx.add_row(
                name,
                backend,
                str(docs),
                _f(corpus["load"]["seconds"]),
                _ms(entry["reindex"]["seconds"]),
                _f(entry["end_to_end"]["docs_per_s"]),
                _f(entry["end_to_end"]["mb_per_s"], 2),
                _f(entry["end_to_end"]["mb_per_s"] / bound, 2),
                _f(
                    entry["end_to_end"].get("mb_per_cpu_s", math.nan)
                    / s.get("mb_per_cpu_s", {}).get("median", math.nan),
                    2,
                ),
                _f(entry["reindex"]["mb_per_s"] / bound, 2),
                _f(one),
                _f(two),
                _f(one / two, 2) if one and two else "–",
            )
            latency = entry.get("latency", {})
            for clients, level in latency.get("levels", {}).items():
                api, engine = level["api"], level["engine"]
                for kind in ("search", "qa", "suggest", "all"):
                    if kind not in api:
                        continue
                    e = engine.get(kind, {})
                    lat.add_row(
                        name,
                        backend,
                        clients,
                        kind,
                        _ms(api[kind]["p50"]),
                        _ms(api[kind]["p95"]),
                        _ms(api[kind]["p99"]),
                        _ms(e.get("p50")),
                        _ms(e.get("p95")),
                        _f(level["api_engine_ratio"].get(kind, {}).get("p95"), 2),
                        _ms(api["qps"]) if kind == "all" else "",
                        _ms(engine["qps"]) if kind == "all" else "",
                        str(api["errors"] + engine["errors"]) if kind == "all" else "",
                        _f(api["load_avg_1m"]["median"]) if kind == "all" else "",
                    )
            mem.add_row(
                name,
                backend,
                _f(latency.get("api_workers", 1)),
                _f(latency.get("rss_rest_mb")),
                _f(latency.get("rss_load_peak_mb")),
                _f(entry["index_bytes"] / 1e6),
                _f(entry["index_bytes_per_1000_docs"] / 1e6, 2),
                _f(entry["index_to_raw"], 2),
            )
    for table in (seg, idx, lat, mem):
        console.print(table)
    targets = Table(title="targets (issue 9)")
    for col in ("target", "where", "measured", "limit", "met"):
        targets.add_column(col)
    for check in result.get("targets", []):
        met = {True: "yes", False: "MISSED", None: "not measured"}[check["met"]]
        targets.add_row(check["target"], check["where"], _f(check["value"], 2), _f(check["limit"], 2), met)
    console.print(targets)


def merge_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Several result files as one (e.g. a scaled run made separately); later files win per backend.

    The first file's machine is kept; every file's machine and config are listed under ``runs``.
    """
    merged: dict[str, Any] = {"machine": results[0]["machine"], "corpora": {}, "runs": []}
    for result in results:
        merged["runs"].append({"machine": result["machine"], "config": result.get("config")})
        for name, corpus in result["corpora"].items():
            into = merged["corpora"].setdefault(name, {**corpus, "backends": {}})
            into["backends"].update(corpus.get("backends", {}))
    return merged


def main(argv: list[str] | None = None) -> int:
    """``python -m scripts.bench.report RESULTS.json [MORE.json] [--out MERGED.json]``: print the tables."""
    import json
    import sys
    from pathlib import Path

    args = sys.argv[1:] if argv is None else argv
    out = None
    if "--out" in args:
        at = args.index("--out")
        out, args = Path(args[at + 1]), args[:at] + args[at + 2 :]
    result = merge_results([json.loads(Path(a).read_text(encoding="utf-8")) for a in args])
    result["targets"] = target_checks(result)
    print_report(result)
    if out is not None:
        out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
