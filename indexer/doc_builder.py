"""Index documents of stored records, built in this process or in worker processes.

Segmentation is CPU-bound and holds the GIL, so threads cannot share it out. With ``workers >= 2`` a pool
of processes builds the documents of id batches (each worker opens its own ``Store`` on the same
database) while the caller writes the previous batches to the engine. Batches come back in the order they
were submitted, so the caller writes exactly what one process would, in the same order; at most
``2 × workers`` batches are in flight, so memory stays bounded when the engine is the slower side.

Workers are forked where the platform allows it, after this process has loaded the segmenter, so they
inherit its dictionaries instead of loading them again (several seconds of CPU each).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sqlalchemy.engine import make_url

import analyzers
from kb.models import Policy, QAPair
from kb.search.base import IndexKind
from kb.search.documents import PolicyDocument, QADocument, policy_document, qa_document
from kb.store import Store

Document = PolicyDocument | QADocument
DEFAULT_MAX_WORKERS = 2

_worker_store: Store | None = None


def default_workers() -> int:
    """min(2, CPUs available to this process): two processes already keep a small machine busy."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(DEFAULT_MAX_WORKERS, cpus))


def can_share(url: str) -> bool:
    """Whether other processes can open the store at ``url`` (not an in-memory SQLite database)."""
    parsed = make_url(url)
    return not (parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:"))


def policy_documents(store: Store, policies: list[Policy]) -> list[PolicyDocument]:
    """Index documents of policies with their interpretations' text."""
    ids = [p.id for p in policies if p.id is not None]
    interpretations = store.interpretations_for_policies(ids)
    return [policy_document(p, interpretations.get(p.id or 0, [])) for p in policies]


def qa_documents(store: Store, pairs: list[QAPair]) -> list[QADocument]:
    """Index documents of Q&A pairs with the title of the policy each rests on."""
    titles = {p.id: p.title for p in store.get_policies({q.policy_id for q in pairs if q.policy_id})}
    return [qa_document(q, titles.get(q.policy_id) if q.policy_id else None) for q in pairs]


def build(store: Store, kind: IndexKind, ids: list[int]) -> list[Document]:
    """Documents of one batch of policy or Q&A ids, read from the store (ids gone meanwhile are skipped)."""
    if kind is IndexKind.POLICIES:
        return list(policy_documents(store, store.get_policies(ids)))
    if kind is IndexKind.QA:
        return list(qa_documents(store, store.get_qa_pairs(ids)))
    raise ValueError(f"no batch builder for {kind.value}")


def _init_worker(url: str) -> None:
    global _worker_store
    _worker_store = Store(url, auto_upgrade=False, check_schema=False)


def _build_in_worker(kind: str, ids: list[int]) -> list[Document]:
    assert _worker_store is not None, "worker not initialized"
    return build(_worker_store, IndexKind(kind), ids)


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def build_batches(
    store: Store, kind: IndexKind, batches: Iterable[list[int]], workers: int = 1
) -> Iterator[list[Document]]:
    """Documents of each id batch, in order; built by ``workers`` processes when that is possible."""
    if workers <= 1 or not can_share(store.url):
        for ids in batches:
            yield build(store, kind, ids)
        return
    # Loaded before forking, so every worker inherits the dictionaries.
    analyzers.get_segmenter()
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=_context(), initializer=_init_worker, initargs=(store.url,)
    ) as pool:
        pending: deque[Future[list[Document]]] = deque()
        try:
            for ids in batches:
                pending.append(pool.submit(_build_in_worker, kind.value, ids))
                if len(pending) >= 2 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
