"""Contract suite, writes: versions behind an alias, upsert by id, delete, blue/green swap, accounting."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from search_factories import INTERPRETATION, make_policy, policy_documents

from kb.errors import SearchError
from kb.search.base import IndexKind, SearchQuery
from kb.search.documents import policy_document


def test_search_before_any_index_exists_is_empty(make_backend: Any) -> None:
    backend = make_backend()
    assert backend.search(SearchQuery(text="社会保险")).total == 0
    assert backend.search_qa(SearchQuery(text="社会保险")).hits == []
    assert backend.suggest("关于") == []
    assert backend.ping()


def test_reindexing_a_document_replaces_it(make_backend: Any) -> None:
    backend = make_backend()
    index = backend.index(IndexKind.POLICIES)
    index.bulk_index([policy_document(make_policy(1, "旧标题关于林业", "林业资源保护。"))])
    index.bulk_index([policy_document(make_policy(1, "新标题关于渔业", "渔业资源保护。"))])
    index.refresh()
    assert index.count() == 1
    assert backend.search(SearchQuery(text="林业")).total == 0
    assert [h.title for h in backend.search(SearchQuery(text="渔业")).hits] == ["新标题关于渔业"]


def test_delete_removes_documents_and_clauses(make_backend: Any) -> None:
    backend = make_backend()
    index = backend.index(IndexKind.POLICIES)
    docs = policy_documents()
    assert index.bulk_index(docs).indexed == len(docs)
    index.refresh()
    report = index.delete([1, 2, 424242])
    index.refresh()
    assert report.submitted == 3 and report.deleted == 3 and report.ok
    assert index.count() == len(docs) - 2
    assert backend.search(SearchQuery(text="三十日内办理登记")).total == 0
    assert 2 not in {h.id for h in backend.search(SearchQuery(text="住房公积金管理")).hits}


def test_policies_citing_an_interpretation(make_backend: Any) -> None:
    backend = make_backend()
    index = backend.index(IndexKind.POLICIES)
    index.bulk_index(policy_documents())
    index.refresh()
    assert index.policies_citing([INTERPRETATION.id or 0]) == [2]
    assert index.policies_citing([12345]) == []


def test_wrong_document_type_is_reported_not_dropped(make_backend: Any) -> None:
    backend = make_backend()
    qa_index = backend.index(IndexKind.QA)
    report = qa_index.bulk_index(policy_documents()[:2])
    assert report.submitted == 2
    assert report.indexed + len(report.failed) == 2
    if backend.name == "sqlite":
        assert len(report.failed) == 2
    else:  # the strict mapping refuses unknown fields
        assert len(report.failed) == 2 and all(f.status == 400 for f in report.failed)


def test_blue_green_reindex_swaps_without_an_empty_moment(make_backend: Any) -> None:
    backend = make_backend()
    index = backend.index(IndexKind.POLICIES)
    old_docs = policy_documents()
    index.bulk_index(old_docs)
    index.refresh()
    live = index.current_version()
    assert live is not None

    failures: list[BaseException] = []
    totals: list[int] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                totals.append(backend.search(SearchQuery(text="关于")).total)
            except BaseException as exc:
                failures.append(exc)

    searcher = threading.Thread(target=keep_searching)
    searcher.start()
    try:
        new = index.create_version()
        assert new != live and index.current_version() == live
        added = policy_document(make_policy(99, "关于新增的一份通知", "新增内容。"))
        report = index.bulk_index([*old_docs, added], version=new)
        assert report.indexed == len(old_docs) + 1
        index.refresh(version=new)
        index.swap_alias(new)
        index.drop_version(live)
    finally:
        stop.set()
        searcher.join()
    assert not failures, failures[:3]
    assert totals and min(totals) > 0
    assert index.current_version() == new
    assert index.list_versions() == [new]
    assert backend.search(SearchQuery(text="新增的一份通知")).hits[0].id == 99


def test_refuses_to_drop_the_live_version(make_backend: Any) -> None:
    backend = make_backend()
    index = backend.index(IndexKind.GLOSSARY)
    live = index.ensure()
    with pytest.raises(SearchError):
        index.drop_version(live)
    with pytest.raises(SearchError):
        index.swap_alias("not-a-version")


def test_sqlite_index_lives_in_the_store_file_or_beside_a_server_store(tmp_path: Any) -> None:
    from kb.search.backends.sqlite import database_path
    from kb.settings import Settings

    own = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'kb.db'}")
    assert database_path(own) == tmp_path / "kb.db"
    default = Settings(data_dir=tmp_path)
    assert database_path(default) == tmp_path / "policykb.db"
    server = Settings(data_dir=tmp_path, database_url="postgresql+psycopg://u:p@127.0.0.1:5432/kb")
    assert database_path(server) == tmp_path / "search.db"
