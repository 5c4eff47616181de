"""Indexing end to end: store writes (importers), index build (segmentation + bulk), a parallel build.

``reindex`` in indexer.index_sync has no worker option, so ``parallel_reindex`` here builds index documents in
a process pool (each worker opens its own Store on the same database) while the parent sends bulk requests;
it fills and refreshes a new version like ``reindex`` and then drops it, so the live index is never touched.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from sqlalchemy import select

from indexer.importers.base import ImportReport
from indexer.index_sync import BATCH, policy_documents, qa_documents, reindex
from kb.errors import SearchError
from kb.search import get_backend
from kb.search.base import BaseSearchBackend, BulkReport, IndexKind
from kb.search.documents import glossary_document
from kb.settings import Settings
from kb.store import Store
from kb.store.tables import PolicyRow, QAPairRow

_worker_store: Store | None = None


class BenchIndexError(SearchError):
    """The benchmark's index build lost documents; the message names the kind and the first failures."""

    message_zh = "基准测试建索引失败"


def import_counts(reports: list[ImportReport]) -> int:
    """Records written (inserted + updated + unchanged) over all datasets."""
    return sum(c.inserted + c.updated + c.unchanged for r in reports for c in r.written.values())


def timed_load_shared(data: Path, store: Store, only: list[str] | None = None) -> dict[str, Any]:
    """``policykb load-shared`` without the progress bar: records and seconds."""
    from indexer.importers.registry import load_shared

    started, cpu = time.perf_counter(), time.process_time()
    reports = load_shared(data, store, only=only)
    return {
        "records": import_counts(reports),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def timed_import_generic(corpus: Path, store: Store) -> dict[str, Any]:
    """``policykb import generic OUT/policies.jsonl --mapping OUT/mapping.yaml`` of the scaled corpus."""
    from indexer.importers import generic
    from indexer.importers.registry import run_records

    rules = generic.load_mapping(corpus / "mapping.yaml")
    started, cpu = time.perf_counter(), time.process_time()
    report = run_records(rules.source, corpus / "policies.jsonl", generic.make_records(rules), store)
    return {
        "records": import_counts([report]),
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
    }


def timed_reindex(store: Store, backend: BaseSearchBackend) -> dict[str, Any]:
    """The real ``policykb reindex`` path (one process): documents indexed and seconds."""
    started, cpu = time.perf_counter(), time.process_time()
    report = reindex(store, backend)
    seconds = time.perf_counter() - started
    return {
        "documents": sum(r.indexed for r in report.reports.values()),
        "seconds": seconds,
        "cpu_seconds": time.process_time() - cpu,
    }


def _ids(store: Store, row: type[PolicyRow] | type[QAPairRow]) -> list[int]:
    with store.read_session() as session:
        return list(session.scalars(select(row.id).order_by(row.id)))


def _chunks(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _init_worker(url: str) -> None:
    global _worker_store
    _worker_store = Store(url, check_schema=False)


def _build(kind: str, ids: list[int]) -> list[Any]:
    """Worker: index documents (segmentation included) of one batch of ids."""
    assert _worker_store is not None
    if kind == IndexKind.POLICIES.value:
        return list(policy_documents(_worker_store, _worker_store.get_policies(ids)))
    return list(qa_documents(_worker_store, _worker_store.get_qa_pairs(ids)))


def parallel_reindex(
    store_url: str, settings: Settings, workers: int, limit: int | None = None
) -> dict[str, Any]:
    """Blue/green rebuild with documents built by ``workers`` processes; counts and seconds.

    ``limit`` keeps the first N policies and the first N Q&A pairs (by id): a subset for comparing worker
    counts when the whole corpus takes too long on a shared machine.
    """
    store = Store(store_url, check_schema=False)
    backend = get_backend(settings)
    started = time.perf_counter()
    indexed = 0
    try:
        with ProcessPoolExecutor(
            max_workers=workers, initializer=_init_worker, initargs=(store_url,)
        ) as pool:
            for kind, row in ((IndexKind.POLICIES, PolicyRow), (IndexKind.QA, QAPairRow)):
                index = backend.index(kind)
                version = index.create_version()
                report = BulkReport()
                chunks = list(_chunks(_ids(store, row)[:limit]))
                # map() keeps at most a pool's worth of batches ahead; bulk requests overlap the next builds.
                for docs in pool.map(_build, [kind.value] * len(chunks), chunks):
                    report.add(index.bulk_index(docs, version=version))
                _finish(index, version, report, kind)
                indexed += report.indexed
        glossary = backend.index(IndexKind.GLOSSARY)
        version = glossary.create_version()
        report = glossary.bulk_index(
            [glossary_document(t) for t in store.iter_glossary_terms()], version=version
        )
        _finish(glossary, version, report, IndexKind.GLOSSARY)
        indexed += report.indexed
    finally:
        backend.close()
        store.close()
    return {
        "documents": indexed,
        "seconds": time.perf_counter() - started,
        "workers": workers,
        "limit": limit,
    }


def _finish(index: Any, version: str, report: BulkReport, kind: IndexKind) -> None:
    """Refresh the new version (part of the build), then drop it: the live index stays the real reindex's."""
    try:
        if not report.ok:
            raise BenchIndexError(f"{kind.value}: {len(report.failed)} documents failed: {report.failed[:3]}")
        index.refresh(version=version)
    finally:
        index.drop_version(version)
