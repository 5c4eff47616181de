"""``reindex(workers=N)``: documents built in worker processes make exactly the index one process makes."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.doc_builder import build_batches, can_share
from indexer.importers.base import ImportReport
from indexer.importers.context import ImportContext
from indexer.importers.registry import DATASETS, run_records
from indexer.index_sync import reindex
from kb.search import get_backend
from kb.search.base import IndexKind, SearchQuery
from kb.settings import Settings
from kb.store import Store

#: Real records: statutes with clauses (lawrefbook), policies with 解读 (hebei), ncp documents and Q&A.
SLICE = {"govcn": 40, "lawrefbook": 25, "hebei": 40, "ncp": 80}


def _limited(module: Any, limit: int) -> Any:
    """The dataset's first ``limit`` records of each type (policies, 解读, Q&A)."""

    def produce(path: Path, report: ImportReport, context: ImportContext) -> Iterator[Any]:
        kept: Counter[type] = Counter()
        for record, line in module.records(path, report, context):
            kept[type(record)] += 1
            if kept[type(record)] <= limit:
                yield record, line

    return produce


@pytest.fixture(scope="module")
def real_store(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Path:
    """A SQLite store file holding a slice of every kind of real record, no index yet."""
    path = tmp_path_factory.mktemp("workers") / "source.db"
    store = Store(f"sqlite:///{path}")
    context = ImportContext()
    for name, limit in SLICE.items():
        module = DATASETS[name]
        path_in = shared_data / module.DEFAULT_PATH
        report = run_records(name, path_in, _limited(module, limit), store, context=context)
        assert report.written, f"{name}: nothing written"  # real rows may be rejected (empty text)
    counts = store.counts()
    store.close()
    assert counts["policies"] > 100 and counts["qa_pairs"] >= 50 and counts["interpretations"] > 0, counts
    return path


#: The backend's bookkeeping of versions and aliases, with creation times; compared by name only.
BOOKKEEPING = {"search_versions", "search_aliases"}


Tables = dict[str, list[tuple[Any, ...]]]


def _index_tables(path: Path, store_tables: set[str]) -> Tables:
    """Every row of every table the reindex created (the backend's layout, whatever it is)."""
    with sqlite3.connect(path) as conn:
        # Virtual (FTS5) tables are left out: their content is their shadow tables, compared as plain tables
        # (reading an FTS5 table may also need functions only the backend's connection registers).
        rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name")
        names = [
            name
            for name, sql in rows.fetchall()
            if name not in store_tables and not (sql or "").upper().startswith("CREATE VIRTUAL TABLE")
        ]
        # Sorted in Python: FTS5 shadow tables are WITHOUT ROWID.
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


def _reindexed(source: Path, target: Path, workers: int) -> tuple[Tables, list[str]]:
    shutil.copy(source, target)
    with sqlite3.connect(target) as conn:
        store_tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    url = f"sqlite:///{target}"
    store = Store(url)
    backend = get_backend(Settings(data_dir=target.parent, database_url=url, search_backend="sqlite"))
    seen: list[tuple[IndexKind, int, int]] = []
    report = reindex(store, backend, workers=workers, progress=lambda k, d, t: seen.append((k, d, t)))
    assert report.ok
    assert report.reports[IndexKind.POLICIES.value].indexed == store.count_policies()
    assert report.reports[IndexKind.QA.value].indexed == store.count_qa_pairs()
    assert seen[-1] == (IndexKind.QA, store.count_qa_pairs(), store.count_qa_pairs())
    hits = [h.title for h in backend.search(SearchQuery(text="社会保险")).hits]
    backend.close()
    store.close()
    return _index_tables(target, store_tables), hits


def test_two_workers_build_the_same_index_as_one(real_store: Path, tmp_path: Path) -> None:
    one, hits_one = _reindexed(real_store, tmp_path / "one.db", workers=1)
    two, hits_two = _reindexed(real_store, tmp_path / "two.db", workers=2)
    assert one, "the reindex created index tables"
    assert sum(len(rows) for rows in one.values()) > 1000
    assert one.keys() == two.keys()
    for name in one.keys() - BOOKKEEPING:
        assert one[name] == two[name], f"table {name} differs between 1 and 2 workers"
    for name in one.keys() & BOOKKEEPING:
        assert [row[:2] for row in one[name]] == [row[:2] for row in two[name]]
    assert hits_one and hits_one == hits_two


def test_worker_batches_come_back_in_order_and_complete(real_store: Path, tmp_path: Path) -> None:
    path = tmp_path / "read.db"
    shutil.copy(real_store, path)
    store = Store(f"sqlite:///{path}")
    ids = store.qa_pair_ids()
    batches = [ids[i : i + 7] for i in range(0, len(ids), 7)]
    local = [[d.model_dump() for d in b] for b in build_batches(store, IndexKind.QA, batches, workers=1)]
    pooled = [[d.model_dump() for d in b] for b in build_batches(store, IndexKind.QA, batches, workers=2)]
    store.close()
    assert len(local) == len(batches) and [len(b) for b in local] == [len(b) for b in batches]
    assert pooled == local


def test_in_memory_store_cannot_be_shared_with_workers() -> None:
    assert not can_share("sqlite://")
    assert not can_share("sqlite:///:memory:")
    assert can_share("sqlite:////tmp/kb.db")
    assert can_share("postgresql+psycopg://u@localhost/kb")
