"""Kill one node of a three-node OpenSearch (1 replica) under search and indexing load; print the figures.

    .venv/bin/python -m scripts.fault.cluster_kill [--node 1] [--before 15] [--down 30] [--after 15]

Starts its own cluster (free ports from 9241, a temporary state dir; never the dev server), loads the bj_zyj
notices through the store and ``sync_index``, then runs searcher threads and an indexer thread (one new
policy per round, written to the store and synced) while node N is SIGKILLed and later restarted. Prints
failed/total per phase, how long until indexing succeeded again, how long until green, and whether the
index equals the store at the end. The client is configured with all three node URLs (POLICYKB_SEARCH_URL
comma-separated), so it moves to another node when one cannot be reached.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from indexer.importers.registry import import_dataset
from indexer.index_sync import IndexSyncError, sync_index
from kb.errors import KBError
from kb.models import Policy, Provenance, Validity
from kb.search import get_backend
from kb.search.base import BaseSearchBackend, IndexKind, SearchQuery
from kb.settings import Settings
from kb.store import Store
from scripts import search_server

REPO = Path(__file__).resolve().parents[2]
QUERIES = ["中医药", "养老服务", "社会保险", "疫情防控", "营商环境", "住房公积金", "人才引进", "补贴"]


@dataclass
class Tally:
    """Requests of one kind in one phase."""

    ok: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, error: Exception | None) -> None:
        if error is None:
            self.ok += 1
            return
        self.failed += 1
        if len(self.errors) < 3:
            self.errors.append(f"{type(error).__name__}: {str(error)[:160]}")

    def line(self) -> str:
        total = self.ok + self.failed
        return f"{self.failed}/{total} failed" + (f" e.g. {self.errors[0]}" if self.errors else "")


class Load:
    """Searcher threads and one indexer thread, tallied per phase."""

    def __init__(self, store: Store, backend: BaseSearchBackend, searchers: int) -> None:
        self.store = store
        self.backend = backend
        self.phase = "before"
        self.searches: dict[str, Tally] = {}
        self.indexing: dict[str, Tally] = {}
        self.index_ok_times: list[float] = []
        self.written = 0
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._search, args=(i,)) for i in range(searchers)]
        self.threads.append(threading.Thread(target=self._index))

    def _tally(self, book: dict[str, Tally], error: Exception | None) -> None:
        with self.lock:
            book.setdefault(self.phase, Tally()).add(error)

    def _search(self, n: int) -> None:
        i = n
        while not self.stop.is_set():
            i += 1
            try:
                self.backend.search(SearchQuery(text=QUERIES[i % len(QUERIES)]))
                self._tally(self.searches, None)
            except KBError as exc:
                self._tally(self.searches, exc)
                time.sleep(0.05)

    def _index(self) -> None:
        while not self.stop.is_set():
            self.written += 1
            sid = f"load-{self.written}"
            self.store.upsert_policies(
                [
                    Policy(
                        provenance=Provenance(source="fault", source_id=sid),
                        title=f"关于故障演练第{self.written}号的通知",
                        text=f"第一条 本通知用于集群故障演练，编号{sid}。",
                        validity=Validity.VALID,
                        publish_date=date(2024, 1, 1),
                    )
                ]
            )
            try:
                report = sync_index(self.store, self.backend)
                error: Exception | None = None if report.ok else IndexSyncError(report.summary(), report)
            except KBError as exc:
                error = exc
            self._tally(self.indexing, error)
            if error is None:
                self.index_ok_times.append(time.monotonic())
            else:
                time.sleep(0.2)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def join(self) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()


def _green(url: str, nodes: int, timeout_s: int = 300) -> bool:
    data = search_server.health(
        url,
        timeout=timeout_s + 10,
        query=f"?wait_for_status=green&wait_for_nodes={nodes}&timeout={timeout_s}s",
    )
    return bool(data and data.get("status") == "green" and not data.get("timed_out"))


def run(node: int, before: float, down: float, after: float, searchers: int, data: Path) -> int:
    base = Path(tempfile.mkdtemp(prefix="policykb-fault-cluster-"))
    port = search_server.free_base_port(3)
    print(f"starting a three-node OpenSearch on ports {port}-{port + 2} (state in {base}) ...", flush=True)
    t0 = time.monotonic()
    cluster = search_server.start(port, nodes=3, timeout_s=600, base=base, heap="512m")
    print(f"cluster up in {time.monotonic() - t0:.0f} s: {', '.join(cluster.urls)}", flush=True)
    try:
        settings = Settings(
            data_dir=base,
            database_url=f"sqlite:///{base / 'kb.db'}",
            search_backend="opensearch",
            search_url=",".join(cluster.urls),
            search_replicas=1,
            search_timeout_seconds=10,
            search_index_prefix="fault",
        )
        store = Store(settings.resolved_database_url)
        backend = get_backend(settings)
        import_dataset("bj_zyj", data / "bj_zyj" / "notices.jsonl", store)
        first = sync_index(store, backend)
        assert first.ok, first.summary()
        other = cluster.urls[node % 3]  # a node that stays up, to ask about health
        assert _green(other, 3), "cluster not green after loading"
        print(f"loaded {store.count_policies()} policies; green with 1 replica per shard", flush=True)

        load = Load(store, backend, searchers)
        load.start()
        time.sleep(before)
        load.phase = "down"
        killed_at = time.monotonic()
        assert cluster.kill_node(node), f"node {node} was not running"
        print(f"killed node {node} (SIGKILL)", flush=True)
        time.sleep(down)
        load.phase = "rejoin"
        restart_at = time.monotonic()
        cluster.start_node(node, timeout_s=600)
        green = _green(other, 3, 600)
        green_after = time.monotonic() - restart_at
        load.phase = "after"
        time.sleep(after)
        load.join()

        resumed = [t - killed_at for t in load.index_ok_times if t > killed_at]
        final = sync_index(store, backend)
        backend.index(IndexKind.POLICIES).refresh()
        indexed = backend.index(IndexKind.POLICIES).count()
        print("\n== figures ==")
        for phase in ("before", "down", "rejoin", "after"):
            s = load.searches.get(phase, Tally())
            w = load.indexing.get(phase, Tally())
            print(f"{phase:>7}: searches {s.line()}; index rounds {w.line()}")
        searches = sum(t.ok + t.failed for t in load.searches.values())
        failed = sum(t.failed for t in load.searches.values())
        rounds = sum(t.ok + t.failed for t in load.indexing.values())
        round_fails = sum(t.failed for t in load.indexing.values())
        print(f"searches: {failed}/{searches} failed; index rounds: {round_fails}/{rounds} failed")
        print(
            f"indexing first succeeded again {resumed[0]:.1f} s after the kill"
            if resumed
            else "indexing never resumed"
        )
        print(f"restarted node rejoined, cluster green {green_after:.1f} s after start-node (green={green})")
        print(
            f"end: store {store.count_policies()} policies, index {indexed}; final sync ok={final.ok}; "
            f"equal={indexed == store.count_policies()}"
        )
        backend.close()
        store.close()
        return 0 if green and indexed == store.count_policies() and resumed else 1
    finally:
        cluster.stop()
        shutil.rmtree(base, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--node", type=int, default=1, choices=[1, 2, 3], help="node to kill (1 is listed first)"
    )
    parser.add_argument("--before", type=float, default=15, help="seconds of load before the kill")
    parser.add_argument("--down", type=float, default=30, help="seconds with the node down")
    parser.add_argument("--after", type=float, default=15, help="seconds of load after green")
    parser.add_argument("--searchers", type=int, default=2)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = parser.parse_args(argv)
    return run(args.node, args.before, args.down, args.after, args.searchers, args.data)


if __name__ == "__main__":
    raise SystemExit(main())
