"""The evaluation corpus: the shared datasets in a store, and that store indexed into a search backend.

The evaluation keeps its own store and index prefix (``var/eval``, ``<prefix>-eval``) so it never touches
the data a developer is working with.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from indexer.importers.registry import load_shared
from kb.models import Policy, QAPair
from kb.search.base import BaseSearchBackend, IndexKind
from kb.search.documents import policy_document, qa_document
from kb.store import Store

#: The datasets the judged sets are about; the others are not policies and are not needed.
EVAL_DATASETS = ["govcn", "lawrefbook", "bj_zyj", "hebei", "ncp"]
BATCH = 200

Log = Callable[[str], None]


def ensure_loaded(store: Store, shared_data: Path, log: Log = print) -> None:
    """Import the shared datasets into ``store`` unless it already holds policies."""
    counts = store.counts()
    if counts.get("policies", 0) > 0:
        log(f"store already loaded: {counts}")
        return
    log(f"importing {', '.join(EVAL_DATASETS)} from {shared_data} …")
    for report in load_shared(shared_data, store, only=EVAL_DATASETS):
        log(f"  {report.dataset}: {report.rows_read} rows, {report.records}, {len(report.errors)} row errors")
    log(f"store: {store.counts()}")


def policies(store: Store) -> Iterator[Policy]:
    yield from store.iter_policies()


def _policy_documents(store: Store) -> Iterator[object]:
    batch: list[Policy] = []

    def flush() -> Iterator[object]:
        interpretations = store.interpretations_for_policies([p.id for p in batch if p.id is not None])
        for policy in batch:
            yield policy_document(policy, interpretations.get(policy.id or 0, []))

    for policy in store.iter_policies():
        batch.append(policy)
        if len(batch) >= BATCH:
            yield from flush()
            batch = []
    if batch:
        yield from flush()


def _qa_documents(store: Store) -> Iterator[object]:
    titles: dict[int, str] = {}
    for qa in store.iter_qa_pairs():
        title = None
        if qa.policy_id is not None:
            if qa.policy_id not in titles:
                policy = store.get_policy(qa.policy_id)
                titles[qa.policy_id] = policy.title if policy else ""
            title = titles[qa.policy_id] or None
        yield qa_document(qa, policy_title=title)


def ensure_indexed(
    backend: BaseSearchBackend, store: Store, log: Log = print, *, force: bool = False
) -> None:
    """Index the store's policies and Q&A into ``backend`` (a fresh version behind the alias) if needed."""
    counts = store.counts()
    wanted = {IndexKind.POLICIES: counts.get("policies", 0), IndexKind.QA: counts.get("qa_pairs", 0)}
    for kind, produce in ((IndexKind.POLICIES, _policy_documents), (IndexKind.QA, _qa_documents)):
        index = backend.index(kind)
        current = index.current_version()
        if current is not None and not force and index.count() == wanted[kind]:
            log(f"{kind.value}: {wanted[kind]} documents already indexed ({current})")
            continue
        version = index.create_version()
        report = index.bulk_index(produce(store), version=version)  # type: ignore[arg-type]
        index.refresh(version=version)
        index.swap_alias(version)
        for old in index.list_versions():
            if old != version:
                index.drop_version(old)
        log(f"{kind.value}: indexed {report.indexed} into {version}, {len(report.failed)} failed")


def indexed_keys(store: Store) -> set[str]:
    """'source:source_id' of every policy in the store (judgments about anything else cannot be found)."""
    return {f"{p.provenance.source}:{p.provenance.source_id}" for p in store.iter_policies()}


def qa_keys(store: Store) -> dict[int, QAPair]:
    return {qa.id: qa for qa in store.iter_qa_pairs() if qa.id is not None}
