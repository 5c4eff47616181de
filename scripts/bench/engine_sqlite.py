"""Time the search engine alone over the judged queries, and print the index size by table.

``python -m scripts.bench.engine_sqlite [--runs N] [--out results.json] [--compare other.json]``

Reads the store and index named by POLICYKB_DATA_DIR / POLICYKB_DATABASE_URL (point them at a copy of a
benchmark store). Queries: the 179 judged queries of eval/queries.jsonl, understood once up front (query
understanding is not what this measures), then ``backend.search(SearchQuery(text=q), parsed=...)`` with the
API's defaults (10 hits, highlights). Prints per query kind the p50/p95 of the wall time and the CPU seconds
of the calls, the dbstat size of the live index tables against the raw text, nDCG@10 per kind on the judged
grades (with ``PipelineSystem`` over 50 hits, as ``scripts.eval_relevance`` does), and with ``--compare`` how
many queries return different top-10 ids, clauses or highlights than a previous run's JSON.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.search.base import SearchQuery
from kb.settings import get_settings
from kb.store import Store
from scripts.relevance import corpus
from scripts.relevance.judged import load_own_set
from scripts.relevance.run import PipelineSystem, restrict_to_index, run_system, summarize


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def index_sizes(db: Path) -> dict[str, int]:
    """dbstat bytes of the tables (and their indexes) of the live index versions."""
    conn = sqlite3.connect(db)
    try:
        versions = [r[0] for r in conn.execute("SELECT version FROM search_aliases")]
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    finally:
        conn.close()
    return {n: int(s) for n, s in rows if any(n.startswith(v + "_") for v in versions)}


def raw_text_bytes(store: Store) -> int:
    total = 0
    for p in store.iter_policies():
        total += len(p.title.encode()) + len(p.text.encode())
    for qa in store.iter_qa_pairs():
        total += len(qa.question.encode()) + len(qa.answer.encode())
    for i in store.iter_interpretations():
        total += len(i.title.encode()) + len(i.text.encode())
    return total


def _snapshot(results: Any) -> dict[str, Any]:
    return {
        "ids": [h.id for h in results.hits],
        "total": results.total,
        "clauses": [h.clause.label if h.clause else None for h in results.hits],
        "highlights": [h.highlight for h in results.hits],
        "clause_highlights": [h.clause.highlight if h.clause else None for h in results.hits],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=2, help="timed passes over the queries (after a warm-up)")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--compare", type=Path, default=None)
    parser.add_argument("--no-relevance", action="store_true")
    args = parser.parse_args(argv)
    settings = get_settings()
    store = Store(settings.resolved_database_url)
    understanding = QueryUnderstanding.from_store(store)
    backend = get_backend(settings, parser=understanding.parser())
    judged = load_own_set()
    parsed = [(q.qid, q.kind, q.query, understanding.understand(q.query).parsed) for q in judged]

    snapshots: dict[str, Any] = {}
    for qid, _, text, p in parsed:  # warm-up: page cache, connection, statement caches
        snapshots[qid] = _snapshot(backend.search(SearchQuery(text=text), parsed=p))
    wall: defaultdict[str, list[float]] = defaultdict(list)
    cpu: defaultdict[str, float] = defaultdict(float)
    for _ in range(args.runs):
        for _qid, kind, text, p in parsed:
            query = SearchQuery(text=text)
            w0, c0 = time.perf_counter(), time.process_time()
            backend.search(query, parsed=p)
            w1, c1 = time.perf_counter(), time.process_time()
            for k in (kind, "all"):
                wall[k].append((w1 - w0) * 1000)
                cpu[k] += c1 - c0
    print(f"engine search, {len(parsed)} judged queries x {args.runs} runs (ms; CPU s per run)")
    print(f"{'kind':<12} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8} {'mean':>8} {'CPU s':>7}")
    latency: dict[str, dict[str, float]] = {}
    for kind in sorted(wall, key=lambda k: (k == "all", k)):
        values = wall[kind]
        latency[kind] = {
            "n": len(values) / args.runs,
            "p50": _pct(values, 0.5),
            "p95": _pct(values, 0.95),
            "max": max(values),
            "mean": statistics.fmean(values),
            "cpu_s": cpu[kind] / args.runs,
        }
        s = latency[kind]
        print(
            f"{kind:<12} {s['n']:>4.0f} {s['p50']:>8.1f} {s['p95']:>8.1f} {s['max']:>8.1f} {s['mean']:>8.1f} "
            f"{s['cpu_s']:>7.2f}"
        )

    db = backend.path  # type: ignore[attr-defined]
    sizes = index_sizes(db)
    raw = raw_text_bytes(store)
    total = sum(sizes.values())
    print(f"\nindex tables of the live versions ({db}):")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<40} {size / 1e6:>8.1f} MB")
    print(f"  {'total':<40} {total / 1e6:>8.1f} MB = {total / raw:.2f}x the raw text ({raw / 1e6:.2f} MB)")

    relevance: dict[str, float] = {}
    if not args.no_relevance:
        queries, _, _ = restrict_to_index(judged, corpus.indexed_keys(store))
        summary = summarize(run_system(PipelineSystem(backend, understanding), queries))
        print("\nrelevance (nDCG@10 / top-1 / clause top-1):")
        for kind, summ in sorted(summary.items()):
            relevance[kind] = summ.ndcg10
            print(f"  {kind:<12} n={summ.n:<4} {summ.ndcg10:.3f} / {summ.top1:.3f} / {summ.clause_top1}")

    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))["snapshots"]
        diff = defaultdict(list)
        for qid, snap in snapshots.items():
            old = before.get(qid)
            for key in ("ids", "total", "clauses", "highlights", "clause_highlights"):
                if old is None or old[key] != snap[key]:
                    diff[key].append(qid)
        differ = ", ".join(f"{k} differ in {len(v)}" for k, v in diff.items()) or "identical"
        print(f"\ncompared with {args.compare}: {differ}")
        for key, qids in diff.items():
            print(f"  {key}: {' '.join(qids[:30])}")
    if args.out:
        args.out.write_text(
            json.dumps(
                {
                    "latency": latency,
                    "sizes": sizes,
                    "raw_text_bytes": raw,
                    "relevance": relevance,
                    "snapshots": snapshots,
                },
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
    backend.close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
