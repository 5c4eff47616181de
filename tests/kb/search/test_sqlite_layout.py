"""The embedded backend's table layout: every text stored once, updates that leave no stale postings, old
index versions refused with a clear message, read connections reused per thread."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from search_factories import clauses_of, make_policy, policy_documents, qa_documents

from kb.errors import SearchUnavailableError
from kb.search import get_backend
from kb.search.backends.sqlite import READ_POOL_SIZE, SqliteSearchBackend
from kb.search.backends.sqlite_index import clause_offsets
from kb.search.backends.sqlite_schema import pack_body, unpack_body
from kb.search.base import IndexKind, SearchQuery
from kb.search.documents import policy_document, segment
from kb.settings import Settings


def _backend(tmp_path: Path) -> SqliteSearchBackend:
    url = f"sqlite:///{tmp_path / 'kb.db'}"
    settings = Settings(data_dir=tmp_path, search_backend="sqlite", database_url=url)
    backend = get_backend(settings)
    assert isinstance(backend, SqliteSearchBackend)
    return backend


def _check_fts(backend: SqliteSearchBackend) -> None:
    """FTS5's own integrity check: postings agree with the content (external) or with themselves."""
    with backend.connect() as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM search_aliases")]
        for version in versions:
            for part in ("fts", "bigrams", "clauses_fts"):
                name = f"{version}_{part}"
                exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone()
                if exists:
                    conn.execute(f"INSERT INTO {name}({name}) VALUES ('integrity-check')")


def test_texts_are_not_stored_in_fts5_content_tables(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    backend.index(IndexKind.POLICIES).bulk_index(policy_documents())
    backend.index(IndexKind.QA).bulk_index(qa_documents())
    with backend.connect() as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        clause_texts = conn.execute(
            "SELECT count(*) FROM policies_v1_clauses WHERE text IS NOT NULL OR text_seg IS NOT NULL"
        ).fetchone()[0]
    assert not {n for n in names if n.endswith("_content")}, "FTS5 keeps its own copy of a text"
    assert "policies_v1_bigrams" in names and "qa_v1_bigrams" in names
    assert clause_texts == 0  # the factory's clauses are pieces of the body: offsets only
    _check_fts(backend)
    backend.close()


def test_reindexing_a_changed_policy_leaves_no_stale_postings(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    index = backend.index(IndexKind.POLICIES)
    clauses = ("第1条 养老保险费按月缴纳。", "第2条 逾期缴纳的加收滞纳金。")
    old = make_policy(7, "社会保险费征缴办法", "\n".join(clauses), clauses=clauses_of(*clauses))
    index.bulk_index([policy_document(old)])
    assert [h.id for h in backend.search(SearchQuery(text="滞纳金")).hits] == [7]

    new_text = "第1条 住房公积金按月缴存。"
    new = make_policy(7, "住房公积金缴存办法", new_text, clauses=clauses_of(new_text))
    index.bulk_index([policy_document(new)])
    assert backend.search(SearchQuery(text="滞纳金")).hits == []
    assert backend.search(SearchQuery(text="纳金")).hits == []  # bigrams of the old text are gone too
    hits = backend.search(SearchQuery(text="公积金 缴存")).hits
    assert [h.id for h in hits] == [7]
    assert hits[0].clause is not None and hits[0].clause.text == new_text
    _check_fts(backend)
    index.delete([7])
    assert backend.search(SearchQuery(text="公积金")).hits == []
    _check_fts(backend)
    backend.close()


def test_a_clause_that_is_not_part_of_the_body_keeps_its_own_text(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    body = "第1条 本办法适用于本市行政区域。"
    stored = clauses_of("第1条 本办法适用于本市行政区域。", "第2条 申请人应当提交书面申请材料。")
    doc = policy_document(make_policy(8, "申请办理规定", body, clauses=stored))
    assert [c is None for c in clause_offsets(doc)] == [False, True]
    backend.index(IndexKind.POLICIES).bulk_index([doc])
    hit = backend.search(SearchQuery(text="书面申请材料")).hits[0]
    assert hit.clause is not None
    assert hit.clause.text == "第2条 申请人应当提交书面申请材料。"
    assert hit.clause.highlight is not None and "<em>" in hit.clause.highlight
    _check_fts(backend)
    backend.close()


def test_an_index_of_the_old_layout_asks_for_a_reindex(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    backend.index(IndexKind.POLICIES).bulk_index(policy_documents())
    backend.close()
    conn = sqlite3.connect(tmp_path / "kb.db")
    conn.execute("DELETE FROM search_layouts")  # what a version built before layouts were recorded looks like
    conn.commit()
    conn.close()
    reopened = _backend(tmp_path)
    with pytest.raises(SearchUnavailableError, match="policykb reindex"):
        reopened.search(SearchQuery(text="养老保险"))
    with pytest.raises(SearchUnavailableError, match="policykb reindex"):
        reopened.index(IndexKind.POLICIES).bulk_index(policy_documents()[:1])
    # a reindex builds a new version of the current layout and serves again
    index = reopened.index(IndexKind.POLICIES)
    fresh = index.create_version()
    index.bulk_index(policy_documents(), version=fresh)
    index.swap_alias(fresh)
    assert reopened.search(SearchQuery(text="养老保险")).hits
    reopened.close()


def test_threads_share_a_bounded_pool_of_read_connections(tmp_path: Path) -> None:
    backend = _backend(tmp_path)
    backend.index(IndexKind.POLICIES).bulk_index(policy_documents())
    expected = [h.id for h in backend.search(SearchQuery(text="养老保险")).hits]
    assert expected
    results: list[list[int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            for _ in range(5):
                results.append([h.id for h in backend.search(SearchQuery(text="养老保险")).hits])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3 * READ_POOL_SIZE)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [expected] * 5 * len(threads)
    assert 1 <= backend._pool.open_connections <= READ_POOL_SIZE  # never one per thread
    backend.close()
    assert backend._pool.open_connections == 0
    assert [h.id for h in backend.search(SearchQuery(text="养老保险")).hits] == expected  # reopens
    backend.close()


@pytest.mark.parametrize(
    "original",
    [
        "第一条　ＣＯＶＩＤ-19疫情期間，符合條件的中小微企業可申請減免房租３個月！",
        "",
        "Plain ASCII text, Mixed Case.",
    ],
)
def test_the_body_is_a_patch_over_its_segmented_form(original: str) -> None:
    segmented = segment(original)
    assert unpack_body(pack_body(original, segmented), segmented) == original


def test_a_body_whose_segmented_form_differs_in_length_is_kept_whole() -> None:
    assert unpack_body(pack_body("原文多一个字", "原文\u200b一个字"), "原文\u200b一个字") == "原文多一个字"
