"""Engine-only timing of the OpenSearch/Elasticsearch backend: judged queries at 1 and N threads, sizes.

The backend comes from the ``POLICYKB_SEARCH_*`` environment (backend, URL, index prefix), as ``policykb``
reads it. Commands::

    python -m scripts.bench.engine_os time  [--threads 1,8] [--rounds 2] [--out results.json]
    python -m scripts.bench.engine_os sizes [--raw-bytes 80750000]
    python -m scripts.bench.engine_os profile "第十二条 社保补贴" [--kind qa]
    python -m scripts.bench.engine_os drop
    python -m scripts.bench.engine_os dump /tmp/docs.jsonl.gz     # index documents of the store, once
    python -m scripts.bench.engine_os load /tmp/docs.jsonl.gz     # new versions from the dump, swap aliases

``dump``/``load`` separate document building (segmentation, bigrams: the Python side of ``policykb reindex``)
from the engine side, so mapping variants can be built from the same documents in a fraction of the time;
``load`` goes through the backend's own ``create_version``/``bulk_index`` path/``refresh``/``swap_alias``.

``time`` sends the 179 judged policy queries of eval/queries.jsonl (``backend.search``), the agent
questions of eval/qa_dev.jsonl (``backend.search_qa(size=20)``, the matcher's pool) and the search-box
prefixes (``backend.suggest(q, 8)``), each pool separately, every query ``--rounds`` times, after one
warm-up pass; per pool and thread count: client p50/p95 (ms, the whole backend call: compile, HTTP, JSON,
hit building), the engine's own ``took`` p50/p95, the CPU seconds of this process and of the engine's
JVM (``_nodes/stats``; shared with whatever else the node serves), per request.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from kb.search import get_backend
from kb.search.backends.opensearch import EsSearchBackend
from kb.search.base import IndexKind, SearchQuery
from kb.settings import get_settings
from scripts.bench.queries import query_pools
from scripts.bench.stats import load_average, percentile

#: Raw text of the shared corpus (UTF-8 bytes of the segmented texts, docs/BENCHMARKS.md).
SHARED_RAW_BYTES = 80_750_000


def _backend() -> EsSearchBackend:
    backend = get_backend(get_settings())
    if not isinstance(backend, EsSearchBackend):
        raise SystemExit("POLICYKB_SEARCH_BACKEND must be opensearch or elasticsearch")
    return backend


class TookRecorder:
    """Wraps the client's search to keep the engine's ``took`` of each response (per thread)."""

    def __init__(self, backend: EsSearchBackend) -> None:
        self.local = threading.local()
        original = backend.client.search

        def search(index: str, body: dict[str, Any]) -> dict[str, Any]:
            response = original(index, body)
            self.local.took = float(response.get("took", "nan"))
            return response

        backend.client.search = search  # type: ignore[method-assign]

    def last(self) -> float:
        return float(getattr(self.local, "took", float("nan")))


def _jvm_cpu_ms(url: str) -> float:
    response = httpx.get(f"{url}/_nodes/stats/process", timeout=10, trust_env=False)
    nodes = response.json()["nodes"].values()
    return float(sum(n["process"]["cpu"]["total_in_millis"] for n in nodes))


def _calls(backend: EsSearchBackend) -> dict[str, Callable[[str], object]]:
    return {
        "search": lambda q: backend.search(SearchQuery(text=q)),
        "qa": lambda q: backend.search_qa(SearchQuery(text=q, size=20)),
        "suggest": lambda q: backend.suggest(q, 8),
    }


def time_pool(
    backend: EsSearchBackend, took: TookRecorder, kind: str, queries: list[str], threads: int, rounds: int
) -> dict[str, float]:
    call = _calls(backend)[kind]
    url = backend.client.urls[0]
    items = queries * rounds
    latencies: list[float] = []
    tooks: list[float] = []
    lock = threading.Lock()

    def one(q: str) -> None:
        started = time.perf_counter()
        call(q)
        elapsed = (time.perf_counter() - started) * 1000
        with lock:
            latencies.append(elapsed)
            tooks.append(took.last())

    cpu0, jvm0, wall0 = time.process_time(), _jvm_cpu_ms(url), time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, items))
    wall = time.perf_counter() - wall0
    cpu, jvm = time.process_time() - cpu0, (_jvm_cpu_ms(url) - jvm0) / 1000
    n = len(items)
    return {
        "n": n,
        "p50": percentile(latencies, 50),
        "p95": percentile(latencies, 95),
        "took_p50": percentile(tooks, 50),
        "took_p95": percentile(tooks, 95),
        "qps": n / wall,
        "py_cpu_ms_per_req": cpu * 1000 / n,
        "jvm_cpu_ms_per_req": jvm * 1000 / n,
        "load1": load_average()[0],
    }


def cmd_time(args: argparse.Namespace) -> dict[str, Any]:
    backend = _backend()
    took = TookRecorder(backend)
    pools = query_pools()
    pools["suggest"] = pools["suggest"][:: max(1, len(pools["suggest"]) // 200)]
    kinds = args.kinds.split(",")
    calls = _calls(backend)
    for kind in kinds:  # warm-up: caches, segmenter, JIT
        for q in pools[kind]:
            calls[kind](q)
    results: dict[str, Any] = {"prefix": backend.prefix, "load_before": load_average()[0], "rows": []}
    print(f"prefix {backend.prefix}  load {results['load_before']:.2f}")
    print(
        f"{'kind':8} {'thr':>3} {'n':>5} {'p50':>7} {'p95':>7} {'took50':>7} {'took95':>7} "
        f"{'qps':>6} {'py ms':>6} {'jvm ms':>6} {'load':>5}"
    )
    for threads in [int(t) for t in args.threads.split(",")]:
        for kind in kinds:
            row = time_pool(backend, took, kind, pools[kind], threads, args.rounds)
            row.update(kind=kind, threads=threads)
            results["rows"].append(row)
            print(
                f"{kind:8} {threads:>3} {row['n']:>5} {row['p50']:>7.1f} {row['p95']:>7.1f} "
                f"{row['took_p50']:>7.1f} {row['took_p95']:>7.1f} {row['qps']:>6.1f} "
                f"{row['py_cpu_ms_per_req']:>6.2f} {row['jvm_cpu_ms_per_req']:>6.2f} {row['load1']:>5.2f}"
            )
            sys.stdout.flush()
    return results


def cmd_sizes(args: argparse.Namespace) -> dict[str, Any]:
    backend = _backend()
    url = backend.client.urls[0]
    response = httpx.get(
        f"{url}/_cat/indices/{backend.prefix}-*",
        params={"format": "json", "bytes": "b", "h": "index,docs.count,pri.store.size"},
        timeout=30,
        trust_env=False,
    )
    rows = sorted(response.json(), key=lambda r: r["index"])
    segments = httpx.get(
        f"{url}/_cat/segments/{backend.prefix}-*", params={"format": "json"}, timeout=30, trust_env=False
    ).json()
    total = 0
    for row in rows:
        size = int(row["pri.store.size"])
        total += size
        count = sum(1 for s in segments if s["index"] == row["index"])
        print(f"{row['index']:40} {int(row['docs.count']):>9} docs {size / 1e6:>9.1f} MB {count:>4} segments")
    print(f"{'total':40} {'':>14} {total / 1e6:>9.1f} MB = {total / args.raw_bytes:.2f}x raw text")
    return {"indices": rows, "total_bytes": total, "ratio": total / args.raw_bytes}


def cmd_profile(args: argparse.Namespace) -> dict[str, Any]:
    """The search profile of one query: time per query/collector/fetch phase part, largest first."""
    backend = _backend()
    kind = IndexKind(args.kind)
    parsed = backend.parse(args.query)
    compiler = backend.query_compiler_class(SearchQuery(text=args.query, size=args.size), parsed, kind)
    body = compiler.compile()
    body["profile"] = True
    response = backend.client.search(backend.es_index(kind).alias, body)
    print(f"took {response['took']} ms")
    flat: list[tuple[float, str]] = []

    def walk(node: dict[str, Any], depth: int) -> None:
        flat.append((node["time_in_nanos"] / 1e6, f"{'  ' * depth}{node['type']} {node['description'][:90]}"))
        for child in node.get("children", []):
            walk(child, depth + 1)

    for shard in response["profile"]["shards"]:
        for search in shard["searches"]:
            for q in search["query"]:
                walk(q, 0)
            for c in search["collector"]:
                flat.append((c["time_in_nanos"] / 1e6, f"collector {c['name']}"))
        for agg in shard.get("aggregations", []):
            flat.append((agg["time_in_nanos"] / 1e6, f"agg {agg['description']}"))
        fetch = shard.get("fetch")
        if fetch:
            flat.append((fetch["time_in_nanos"] / 1e6, f"fetch {fetch.get('description', '')}"))
            for child in fetch.get("children", []):
                flat.append((child["time_in_nanos"] / 1e6, f"  fetch {child['type']}"))
    for ms, text in flat[: args.lines]:
        print(f"{ms:9.2f} ms  {text}")
    return dict(response["profile"])


def cmd_drop(args: argparse.Namespace) -> dict[str, Any]:
    backend = _backend()
    prefix = backend.prefix
    if not prefix or prefix == "policykb":
        raise SystemExit(f"refusing to drop indices of prefix {prefix!r}")
    names = backend.client.indices(f"{prefix}-*")
    for name in names:
        backend.client.delete_index(name)
    print(f"deleted {names}")
    return {"deleted": names}


def cmd_dump(args: argparse.Namespace) -> dict[str, Any]:
    from indexer.index_sync import _batches, _glossary_docs, policy_documents, qa_documents
    from kb.store import Store

    store = Store(get_settings().resolved_database_url)
    counts = dict.fromkeys(IndexKind, 0)
    started, cpu0 = time.perf_counter(), time.process_time()
    with gzip.open(args.path, "wt", encoding="utf-8") as out:

        def write(kind: IndexKind, docs: list[Any]) -> None:
            for doc in docs:
                out.write(
                    json.dumps({"kind": kind.value, "doc": doc.model_dump(mode="json")}, ensure_ascii=False)
                )
                out.write("\n")
            counts[kind] += len(docs)

        for batch in _batches(store.iter_policies()):
            write(IndexKind.POLICIES, policy_documents(store, batch))
        for pairs in _batches(store.iter_qa_pairs()):
            write(IndexKind.QA, qa_documents(store, pairs))
        write(IndexKind.GLOSSARY, list(_glossary_docs(store, 0)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu0
    print(f"dumped { ({k.value: v for k, v in counts.items()}) } in {wall:.1f} s ({cpu:.1f} CPU s)")
    return {"counts": {k.value: v for k, v in counts.items()}, "wall_s": wall, "cpu_s": cpu}


def cmd_load(args: argparse.Namespace) -> dict[str, Any]:
    from kb.search.backends.es_bulk import BulkAction

    backend = _backend()
    url = backend.client.urls[0]
    timings: dict[str, Any] = {}
    for kind in IndexKind:
        index = backend.es_index(kind)
        old = index.list_versions()
        jvm0, wall0 = _jvm_cpu_ms(url), time.perf_counter()
        version = index.create_version()

        def actions(kind: IndexKind = kind, version: str = version) -> Any:
            with gzip.open(args.path, "rt", encoding="utf-8") as handle:
                for line in handle:
                    row = json.loads(line)
                    if row["kind"] == kind.value:
                        yield BulkAction("index", version, str(row["doc"]["id"]), row["doc"])

        report = backend.bulk_writer.write(actions())
        bulk = time.perf_counter() - wall0
        index.refresh(version=version)
        refreshed = time.perf_counter() - wall0
        index.swap_alias(version)
        done = time.perf_counter() - wall0
        for stale in old:
            index.drop_version(stale)
        jvm = (_jvm_cpu_ms(url) - jvm0) / 1000
        timings[kind.value] = {
            "indexed": report.indexed,
            "failed": len(report.failed),
            "bulk_s": bulk,
            "refresh_s": refreshed - bulk,
            "swap_s": done - refreshed,
            "jvm_cpu_s": jvm,
        }
        print(
            f"{version}: {report.indexed} indexed, {len(report.failed)} failed; bulk {bulk:.1f} s, "
            f"refresh {refreshed - bulk:.1f} s, swap {done - refreshed:.1f} s; JVM {jvm:.1f} CPU s"
        )
    return timings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench.engine_os", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("time", help="latency per pool at each thread count")
    p.add_argument("--threads", default="1,8")
    p.add_argument("--rounds", type=int, default=2, help="passes over each pool per thread count")
    p.add_argument("--kinds", default="search,qa,suggest")
    p.set_defaults(run=cmd_time)
    p = sub.add_parser("sizes", help="_cat/indices of the prefix and the ratio to the raw text")
    p.add_argument("--raw-bytes", type=int, default=SHARED_RAW_BYTES)
    p.set_defaults(run=cmd_sizes)
    p = sub.add_parser("profile", help="the search profile API on one query")
    p.add_argument("query")
    p.add_argument("--kind", default="policies", choices=[k.value for k in IndexKind])
    p.add_argument("--size", type=int, default=10)
    p.add_argument("--lines", type=int, default=40)
    p.set_defaults(run=cmd_profile)
    p = sub.add_parser("dump", help="write the index documents of the store to a gzip JSONL file")
    p.add_argument("path")
    p.set_defaults(run=cmd_dump)
    p = sub.add_parser("load", help="build new versions from a dump and swap the aliases")
    p.add_argument("path")
    p.set_defaults(run=cmd_load)
    p = sub.add_parser("drop", help="delete every index of the prefix")
    p.set_defaults(run=cmd_drop)
    for each in sub.choices.values():
        each.add_argument("--out", default=None, help="write the figures as JSON here")
    args = parser.parse_args(argv)
    result = args.run(args)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as handle:
            json.dump(result, handle, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
