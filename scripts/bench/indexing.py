"""Indexing end to end: store writes (importers), index build (segmentation + bulk), a parallel build.

Both builds run the product's code: ``timed_reindex`` is ``indexer.index_sync.reindex`` (``policykb reindex
--workers N``), and ``parallel_reindex`` drives the same worker pool (``indexer.doc_builder.build_batches``)
over the first ``limit`` policies and Q&A pairs into a new version that is refreshed and then dropped, so
the live index is never touched. CPU seconds include the worker processes (reaped children).
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from indexer.doc_builder import build_batches
from indexer.importers.base import ImportReport
from indexer.index_sync import BATCH, reindex
from kb.errors import SearchError
from kb.search import get_backend
from kb.search.base import BaseSearchBackend, BulkReport, IndexKind
from kb.search.documents import glossary_document
from kb.settings import Settings
from kb.store import Store


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


def cpu_seconds() -> float:
    """User + system CPU of this process and of its reaped children (the reindex workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_reindex(store: Store, backend: BaseSearchBackend, workers: int = 1) -> dict[str, Any]:
    """The real ``policykb reindex --workers N`` path: documents indexed and seconds."""
    started, cpu = time.perf_counter(), cpu_seconds()
    report = reindex(store, backend, workers=workers)
    seconds = time.perf_counter() - started
    return {
        "documents": sum(r.indexed for r in report.reports.values()),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds() - cpu,
        "workers": workers,
    }


def _chunks(ids: list[int], size: int = BATCH) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def parallel_reindex(
    store_url: str, settings: Settings, workers: int, limit: int | None = None
) -> dict[str, Any]:
    """Blue/green rebuild with documents built by ``workers`` processes (the product's pool); counts, seconds.

    ``limit`` keeps the first N policies and the first N Q&A pairs (in reindex order): a subset for
    comparing worker counts when the whole corpus takes too long on a shared machine.
    """
    store = Store(store_url, check_schema=False)
    backend = get_backend(settings)
    started, cpu = time.perf_counter(), cpu_seconds()
    indexed = 0
    try:
        for kind, ids in ((IndexKind.POLICIES, store.policy_ids()), (IndexKind.QA, store.qa_pair_ids())):
            index = backend.index(kind)
            version = index.create_version()
            report = BulkReport()
            for docs in build_batches(store, kind, _chunks(ids[:limit]), workers):
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
        "cpu_seconds": cpu_seconds() - cpu,
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
