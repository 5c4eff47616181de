"""Keep the search index derived from the store: incremental sync and blue/green full reindex.

Incremental: everything written after the checkpoint (rows with ``revision > checkpoint``, tombstones)
is indexed or deleted; the checkpoint moves only when every document made it, so a sync that failed
half-way (engine down) is simply repeated. Full reindex: per index kind, a new versioned index is filled
from the store beside the live one, the alias is swapped atomically, the old version dropped; searches
keep answering from the old version until the swap. Changes made during the rebuild are caught up by
an incremental sync from the revision the rebuild started at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from pydantic import BaseModel, Field

from indexer.doc_builder import build_batches, default_workers, policy_documents, qa_documents
from kb.errors import SearchError
from kb.models import Policy, QAPair
from kb.search.base import BaseSearchBackend, BulkReport, IndexKind
from kb.search.documents import GlossaryDocument, glossary_document, glossary_id
from kb.store import Store

CHECKPOINT = "search-index"
BATCH = 200
T = TypeVar("T")
#: reindex progress: (kind, records written so far, records to write).
Progress = Callable[[IndexKind, int, int], None]

__all__ = [
    "BATCH",
    "IndexSyncError",
    "Progress",
    "SyncReport",
    "checkpoint_name",
    "default_workers",
    "policy_documents",
    "qa_documents",
    "reindex",
    "sync_index",
]


class IndexSyncError(SearchError):
    """A sync or reindex could not index every document; the report says which and why."""

    message_zh = "检索索引同步失败"

    def __init__(self, message: str, report: SyncReport) -> None:
        super().__init__(message)
        self.report = report


class SyncReport(BaseModel):
    """What a sync or reindex did, per index kind."""

    from_revision: int
    to_revision: int
    reports: dict[str, BulkReport] = Field(default_factory=dict)
    checkpoint_moved: bool = False
    caught_up: SyncReport | None = Field(
        default=None, description="reindex: the sync that followed the rebuild"
    )

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports.values()) and (self.caught_up is None or self.caught_up.ok)

    def of(self, kind: IndexKind) -> BulkReport:
        return self.reports.setdefault(kind.value, BulkReport())

    def summary(self) -> str:
        parts = [
            f"{k}: +{r.indexed} -{r.deleted} failed {len(r.failed)}" for k, r in sorted(self.reports.items())
        ]
        text = f"revisions {self.from_revision}->{self.to_revision}; " + "; ".join(parts)
        if self.caught_up is not None and self.caught_up.reports:
            text += f" (then synced: {self.caught_up.summary()})"
        return text


def checkpoint_name(backend: BaseSearchBackend) -> str:
    """One checkpoint per backend and index prefix, so two indexes of one store sync independently."""
    return f"{CHECKPOINT}:{backend.name}:{backend.settings.search_index_prefix}"


def _batches(items: Iterable[T], size: int = BATCH) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _index_policies(
    store: Store,
    backend: BaseSearchBackend,
    policies: Iterable[Policy],
    report: BulkReport,
    version: str | None = None,
) -> None:
    index = backend.index(IndexKind.POLICIES)
    for batch in _batches(policies):
        report.add(index.bulk_index(policy_documents(store, batch), version=version))


def _index_qa(
    store: Store,
    backend: BaseSearchBackend,
    pairs: Iterable[QAPair],
    report: BulkReport,
    version: str | None = None,
) -> None:
    index = backend.index(IndexKind.QA)
    for batch in _batches(pairs):
        report.add(index.bulk_index(qa_documents(store, batch), version=version))


def _rebuild(
    store: Store,
    backend: BaseSearchBackend,
    kind: IndexKind,
    version: str,
    report: BulkReport,
    workers: int,
    progress: Progress | None,
) -> None:
    """Fill ``version`` with every policy or Q&A pair of the store, documents built by ``workers``."""
    ids = store.policy_ids() if kind is IndexKind.POLICIES else store.qa_pair_ids()
    index = backend.index(kind)
    done = 0
    if progress:
        progress(kind, done, len(ids))
    for docs in build_batches(store, kind, _batches(ids), workers):
        report.add(index.bulk_index(docs, version=version))
        done += len(docs)
        if progress:
            progress(kind, done, len(ids))


def _glossary_docs(store: Store, since: int) -> Iterator[GlossaryDocument]:
    return (glossary_document(t) for t in store.iter_glossary_terms(since_revision=since))


def sync_index(store: Store, backend: BaseSearchBackend, *, name: str | None = None) -> SyncReport:
    """Bring the index up to the store's current revision; the checkpoint moves only if nothing failed."""
    name = name or checkpoint_name(backend)
    since = store.get_sync_checkpoint(name)
    # Read the target first: rows committed later have higher revisions and are seen next time.
    target = store.current_revision()
    report = SyncReport(from_revision=since, to_revision=target)
    if target <= since:
        return report
    backend.ensure_indexes()
    policies = backend.index(IndexKind.POLICIES)

    deleted: dict[IndexKind, set[int]] = {kind: set() for kind in IndexKind}
    touched_interpretations: set[int] = set()
    for tomb in store.iter_tombstones(since_revision=since):
        if tomb.kind == "policy":
            deleted[IndexKind.POLICIES].add(tomb.record_id)
        elif tomb.kind == "qa_pair":
            deleted[IndexKind.QA].add(tomb.record_id)
        elif tomb.kind == "glossary_term" and tomb.source_id:
            deleted[IndexKind.GLOSSARY].add(glossary_id(tomb.source_id))
        elif tomb.kind == "interpretation":
            touched_interpretations.add(tomb.record_id)

    # Policies whose own row changed, plus those showing an interpretation that changed or went away.
    changed = {p.id: p for p in store.iter_policies(since_revision=since) if p.id is not None}
    changed_interpretations = list(store.iter_interpretations(since_revision=since))
    refresh = {pid for i in changed_interpretations for pid in i.policy_ids}
    # An interpretation unlinked or deleted must also disappear from the policies that showed it.
    touched_interpretations |= {i.id for i in changed_interpretations if i.id is not None}
    refresh |= set(policies.policies_citing(touched_interpretations))
    refresh -= set(changed) | deleted[IndexKind.POLICIES]
    todo = list(changed.values()) + store.get_policies(sorted(refresh))
    _index_policies(store, backend, todo, report.of(IndexKind.POLICIES))
    changed_qa = {q.id: q for q in store.iter_qa_pairs(since_revision=since) if q.id is not None}
    # A Q&A document carries its policy's title: a retitled policy refreshes the Q&A resting on it.
    for policy_id in changed:
        for qa in store.qa_for_policy(policy_id):
            if qa.id is not None and qa.id not in deleted[IndexKind.QA]:
                changed_qa.setdefault(qa.id, qa)
    _index_qa(store, backend, changed_qa.values(), report.of(IndexKind.QA))
    glossary = backend.index(IndexKind.GLOSSARY)
    for batch in _batches(_glossary_docs(store, since)):
        report.of(IndexKind.GLOSSARY).add(glossary.bulk_index(batch))
    for kind, ids in deleted.items():
        if ids:
            report.of(kind).add(backend.index(kind).delete(sorted(ids)))
    for kind in IndexKind:
        backend.index(kind).refresh()
    if report.ok:
        store.set_sync_checkpoint(name, target)
        report.checkpoint_moved = True
    return report


def reindex(
    store: Store,
    backend: BaseSearchBackend,
    *,
    kinds: Iterable[IndexKind] = tuple(IndexKind),
    name: str | None = None,
    workers: int = 1,
    progress: Progress | None = None,
) -> SyncReport:
    """Blue/green rebuild of each kind from the store, then catch up with what changed meanwhile.

    ``workers >= 2`` builds the policy and Q&A documents in that many processes (see indexer.doc_builder);
    the documents and the order they are written in do not depend on it. A kind whose rebuild lost any
    document is not swapped in (its new version is dropped) and IndexSyncError is raised: the live index
    stays as it was.
    """
    name = name or checkpoint_name(backend)
    kinds = list(kinds)
    before = store.get_sync_checkpoint(name)
    start = store.current_revision()
    report = SyncReport(from_revision=0, to_revision=start)
    for kind in kinds:
        index = backend.index(kind)
        old = index.list_versions()
        version = index.create_version()
        kind_report = report.of(kind)
        try:
            if kind in (IndexKind.POLICIES, IndexKind.QA):
                _rebuild(store, backend, kind, version, kind_report, workers, progress)
            else:
                for batch in _batches(_glossary_docs(store, 0)):
                    kind_report.add(index.bulk_index(batch, version=version))
        except BaseException:
            index.drop_version(version)
            raise
        if not kind_report.ok:
            index.drop_version(version)
            raise IndexSyncError(
                f"reindex of {kind.value} lost {len(kind_report.failed)} documents; "
                f"the live index is unchanged. First failures: {kind_report.failed[:3]}",
                report,
            )
        index.refresh(version=version)
        index.swap_alias(version)
        for stale in old:
            index.drop_version(stale)
    # Everything up to `start` is in the new versions; writes after it are replayed by a normal sync.
    # Rebuilding only some kinds must not skip pending changes of the others.
    store.set_sync_checkpoint(name, start if set(kinds) == set(IndexKind) else min(before, start))
    report.caught_up = sync_index(store, backend, name=name)
    report.checkpoint_moved = report.caught_up.checkpoint_moved or report.caught_up.to_revision == start
    return report
