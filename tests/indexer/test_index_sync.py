"""Store -> index sync and blue/green reindex, on SQLite (the store's own file) and the real OpenSearch."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from indexer.index_sync import checkpoint_name, reindex, sync_index
from kb.errors import SearchUnavailableError
from kb.models import GlossaryTerm, Interpretation, Policy, Provenance, QAPair, Validity
from kb.search import get_backend
from kb.search.base import BaseSearchBackend, IndexKind, SearchQuery
from kb.settings import Settings
from kb.store import Store

BACKENDS = ["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)]


def _policy(sid: str, title: str, text: str, **fields: object) -> Policy:
    return Policy(
        provenance=Provenance(source="sync", source_id=sid),
        title=title,
        text=text,
        validity=Validity.VALID,
        publish_date=date(2022, 1, 1),
        **fields,
    )  # type: ignore[arg-type]


def _settings(kind: str, tmp: Path, request: pytest.FixtureRequest) -> Settings:
    db = f"sqlite:///{tmp / 'kb.db'}"
    if kind == "sqlite":
        return Settings(data_dir=tmp, database_url=db, search_backend="sqlite")
    return Settings(
        data_dir=tmp,
        database_url=db,
        search_backend="opensearch",
        search_timeout_seconds=30,
        search_url=request.getfixturevalue("opensearch_url"),
        search_index_prefix=f"tsearch{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture(params=BACKENDS)
def env(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Store, BaseSearchBackend]]:
    settings = _settings(str(request.param), tmp_path, request)
    store = Store(settings.resolved_database_url)
    backend = get_backend(settings)
    yield store, backend
    if backend.name == "opensearch":
        client = backend.client  # type: ignore[attr-defined]
        for name in client.indices(f"{settings.search_index_prefix}-*"):
            client.delete_index(name)
    backend.close()
    store.close()


def titles(backend: BaseSearchBackend, text: str) -> list[str]:
    return [h.title for h in backend.search(SearchQuery(text=text)).hits]


def test_sync_indexes_what_changed_and_moves_the_checkpoint(env: tuple[Store, BaseSearchBackend]) -> None:
    store, backend = env
    store.upsert_policies(
        [
            _policy("a", "关于湿地保护的规定", "第一条 加强湿地保护。\n第二条 禁止围垦湿地。"),
            _policy("b", "关于河道管理的办法", "河道管理实行河长制。"),
        ]
    )
    store.upsert_qa_pairs(
        [
            QAPair(
                provenance=Provenance(source="sync", source_id="q"),
                question="湿地可以围垦吗？",
                answer="不可以，湿地禁止围垦。",
                policy_key="sync:a",
            )
        ]
    )
    store.upsert_glossary_terms(
        [GlossaryTerm(term="河长制", aliases=["河湖长制"], definition="由地方党政领导担任河长。")]
    )
    report = sync_index(store, backend)
    assert report.ok and report.checkpoint_moved, report
    assert report.reports["policies"].indexed == 2
    assert report.reports["qa"].indexed == 1 and report.reports["glossary"].indexed == 1
    assert store.get_sync_checkpoint(checkpoint_name(backend)) == store.current_revision()
    assert titles(backend, "围垦湿地") == ["关于湿地保护的规定"]
    hit = backend.search(SearchQuery(text="禁止围垦")).hits[0]
    assert hit.clause is not None and hit.clause.number == 2  # clauses split from the body
    qa = backend.search_qa(SearchQuery(text="湿地围垦")).hits[0]
    assert qa.answer == "不可以，湿地禁止围垦。"
    assert backend.search_glossary(SearchQuery(text="河湖长制")).hits[0].title == "河长制"
    again = sync_index(store, backend)
    assert again.reports == {} and again.from_revision == again.to_revision


def test_updates_and_deletes_reach_the_index(env: tuple[Store, BaseSearchBackend]) -> None:
    store, backend = env
    store.upsert_policies(
        [
            _policy("a", "关于湿地保护的规定", "加强湿地保护。"),
            _policy("b", "关于河道管理的办法", "河道管理实行河长制。"),
        ]
    )
    store.upsert_qa_pairs(
        [
            QAPair(
                provenance=Provenance(source="sync", source_id="q"),
                question="河长是谁？",
                answer="由地方领导担任。",
            )
        ]
    )
    store.upsert_glossary_terms([GlossaryTerm(term="河长制", definition="由地方党政领导担任河长。")])
    sync_index(store, backend)
    store.upsert_policies([_policy("a", "关于湿地修复的规定", "开展湿地修复。")])
    policy_b = store.get_policy_by_key("sync", "b")
    qa = store.get_qa_pair_by_key("sync", "q")
    assert policy_b is not None and policy_b.id is not None and qa is not None and qa.id is not None
    store.delete_policy(policy_b.id)
    store.delete_qa_pair(qa.id)
    store.delete_glossary_term("河长制")
    report = sync_index(store, backend)
    assert report.ok, report
    assert report.reports["policies"].indexed == 1 and report.reports["policies"].deleted == 1
    assert titles(backend, "湿地修复") == ["关于湿地修复的规定"]
    assert titles(backend, "湿地保护") in ([], ["关于湿地修复的规定"])
    assert titles(backend, "河道管理") == []
    assert backend.search_qa(SearchQuery(text="河长")).hits == []
    assert backend.search_glossary(SearchQuery(text="河长制")).hits == []
    assert backend.index(IndexKind.POLICIES).count() == 1


def test_interpretations_follow_their_policy(env: tuple[Store, BaseSearchBackend]) -> None:
    store, backend = env
    store.upsert_policies([_policy("a", "关于湿地保护的规定", "加强湿地保护。")])
    sync_index(store, backend)
    store.upsert_interpretations(
        [
            Interpretation(
                provenance=Provenance(source="sync", source_id="i"),
                title="湿地保护规定答记者问",
                text="候鸟栖息地将得到重点保护。",
                policy_keys=["sync:a"],
            )
        ]
    )
    sync_index(store, backend)
    hit = backend.search(SearchQuery(text="候鸟栖息地")).hits[0]
    assert hit.title == "关于湿地保护的规定"
    assert [i.title for i in hit.interpretations] == ["湿地保护规定答记者问"]
    interpretation = store.get_interpretation_by_key("sync", "i")
    assert interpretation is not None and interpretation.id is not None
    store.delete_interpretation(interpretation.id)
    assert sync_index(store, backend).ok
    assert backend.search(SearchQuery(text="候鸟栖息地")).total == 0
    assert backend.search(SearchQuery(text="湿地保护")).hits[0].interpretations == []


def test_a_failed_sync_keeps_the_checkpoint_and_catches_up_later(
    env: tuple[Store, BaseSearchBackend], tmp_path: Path
) -> None:
    store, backend = env
    store.upsert_policies([_policy("a", "关于湿地保护的规定", "加强湿地保护。")])
    # The same store, an engine nobody listens on.
    down = get_backend(
        Settings(
            data_dir=tmp_path,
            search_backend="opensearch",
            search_url="http://127.0.0.1:9",
            search_timeout_seconds=1,
            search_index_prefix=backend.settings.search_index_prefix,
        )
    )
    name = checkpoint_name(backend)
    with pytest.raises(SearchUnavailableError):
        sync_index(store, down, name=name)
    assert store.get_sync_checkpoint(name) == 0
    assert sync_index(store, backend).ok
    assert titles(backend, "湿地保护") == ["关于湿地保护的规定"]


def test_reindex_is_blue_green_and_searches_never_see_an_empty_index(
    env: tuple[Store, BaseSearchBackend],
) -> None:
    store, backend = env
    store.upsert_policies(
        [_policy(f"p{i}", f"关于第{i}号湿地保护的规定", "加强湿地保护。") for i in range(30)]
    )
    sync_index(store, backend)
    index = backend.index(IndexKind.POLICIES)
    before = index.current_version()
    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                totals.append(backend.search(SearchQuery(text="湿地保护")).total)
            except BaseException as exc:
                failures.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        report = reindex(store, backend)
    finally:
        stop.set()
        searcher.join()
    assert report.ok, report
    assert not failures, failures[:3]
    assert totals and min(totals) == 30
    after = index.current_version()
    assert after != before and index.list_versions() == [after]
    assert index.count() == 30
    assert store.get_sync_checkpoint(checkpoint_name(backend)) == store.current_revision()


def test_writes_during_a_reindex_are_caught_up(
    env: tuple[Store, BaseSearchBackend], monkeypatch: pytest.MonkeyPatch
) -> None:
    store, backend = env
    store.upsert_policies(
        [_policy(f"p{i}", f"关于第{i}号湿地保护的规定", "加强湿地保护。") for i in range(5)]
    )
    sync_index(store, backend)
    index = backend.index(IndexKind.POLICIES)
    original = index.bulk_index
    written: list[int] = []

    def bulk_then_write(documents: object, *, version: str | None = None) -> object:
        result = original(documents, version=version)  # type: ignore[arg-type]
        if version is not None and not written:  # a writer commits while the new version is being filled
            written.append(1)
            store.upsert_policies([_policy("late", "关于候鸟迁徙通道保护的通知", "保护候鸟迁徙通道。")])
        return result

    monkeypatch.setattr(index, "bulk_index", bulk_then_write)
    report = reindex(store, backend, kinds=[IndexKind.POLICIES])
    assert written and report.ok, report
    assert report.caught_up is not None and report.caught_up.reports["policies"].indexed >= 1
    assert titles(backend, "候鸟迁徙") == ["关于候鸟迁徙通道保护的通知"]
    assert index.count() == 6
    assert store.get_sync_checkpoint(checkpoint_name(backend)) == store.current_revision()


def test_a_retitled_policy_refreshes_its_qa(env: tuple[Store, BaseSearchBackend]) -> None:
    store, backend = env
    store.upsert_policies([_policy("a", "关于湿地保护的规定", "加强湿地保护。")])
    store.upsert_qa_pairs(
        [
            QAPair(
                provenance=Provenance(source="sync", source_id="q"),
                question="可以围垦吗？",
                answer="不可以。",
                policy_key="sync:a",
            )
        ]
    )
    sync_index(store, backend)
    assert backend.search_qa(SearchQuery(text="湿地保护")).hits[0].question == "可以围垦吗？"
    store.upsert_policies([_policy("a", "关于候鸟栖息地保护的规定", "加强湿地保护。")])
    report = sync_index(store, backend)
    assert report.reports["qa"].indexed == 1
    assert backend.search_qa(SearchQuery(text="候鸟栖息地")).hits[0].question == "可以围垦吗？"
