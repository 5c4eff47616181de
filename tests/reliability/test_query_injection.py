"""User text reaches the engines only as match/term values, never as query syntax; hostile queries bounded.

Both backends run for real: the embedded SQLite one and OpenSearch (the ``opensearch_url`` server). On
OpenSearch every request body the backend sends is captured and walked: no query_string,
simple_query_string, regexp, wildcard, prefix, fuzzy or script anywhere, and the body stays small however
the text is built. On both, hypothesis text (Lucene/FTS5/SQL/HTML syntax mixed with Chinese) only ever
returns results or a QueryError, and the index answers normally afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.index_sync import sync_index
from kb.errors import QueryError
from kb.models import Policy, Provenance, Validity
from kb.search import get_backend
from kb.search.base import BaseSearchBackend, SearchQuery
from kb.settings import Settings
from kb.store import Store

FORBIDDEN = {"query_string", "simple_query_string", "regexp", "wildcard", "prefix", "fuzzy", "script"}
SYNTAX = [
    *list('+-=&|!(){}[]^"~*?:\\/<>'),
    "AND",
    "OR",
    "NOT",
    "NEAR",
    "title_seg:",
    "_all:",
    "$",
    "'",
    ";",
    "--",
]
HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(SYNTAX),
        st.sampled_from(["社会保险", "公积金", "补贴", "第三条"]),
        st.text(max_size=6),
    ),
    max_size=40,
).map(" ".join)
#: The body for a 200-character query (the limit) must stay far below what would strain the engine.
MAX_BODY_BYTES = 200_000
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _policy(sid: str, title: str, text: str) -> Policy:
    return Policy(
        provenance=Provenance(source="inject", source_id=sid),
        title=title,
        text=text,
        validity=Validity.VALID,
        publish_date=date(2023, 5, 1),
    )


@pytest.fixture(scope="module", params=["sqlite", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def backend(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BaseSearchBackend]:
    tmp: Path = tmp_path_factory.mktemp("inject")
    values: dict[str, Any] = {
        "data_dir": tmp,
        "database_url": f"sqlite:///{tmp / 'kb.db'}",
        "search_backend": request.param,
    }
    if request.param == "opensearch":
        values |= {
            "search_url": request.getfixturevalue("opensearch_url"),
            "search_index_prefix": f"tinject{tmp.name[-6:]}",
            "search_timeout_seconds": 30,
        }
    cfg = Settings(**values)
    store = Store(cfg.resolved_database_url)
    store.upsert_policies(
        [
            _policy(
                "a",
                "关于调整社会保险缴费基数的通知",
                "第一条 社会保险缴费基数按上年度平均工资确定。\n第三条 本通知自发布之日起施行。",
            ),
            _policy("b", "住房公积金提取管理办法", "职工购房可以提取住房公积金。"),
            _policy("c", "关于发放一次性创业补贴的通知", "符合条件的创业者可申领补贴。"),
        ]
    )
    be = get_backend(cfg)
    assert sync_index(store, be).ok
    yield be
    if be.name == "opensearch":
        client = be.client  # type: ignore[attr-defined]
        for name in client.indices(f"{cfg.search_index_prefix}-*"):
            client.delete_index(name)
    be.close()
    store.close()


def _keys(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key
            yield from _keys(value)
    elif isinstance(node, list):
        for item in node:
            yield from _keys(item)


class Captured:
    """Wraps the OpenSearch adapter's search so every request body is kept (the real engine still answers)."""

    def __init__(self, backend: BaseSearchBackend, monkeypatch: pytest.MonkeyPatch) -> None:
        self.bodies: list[dict[str, Any]] = []
        if backend.name != "opensearch":
            return
        client = backend.client  # type: ignore[attr-defined]
        original = client.search

        def search(index: str, body: dict[str, Any]) -> dict[str, Any]:
            self.bodies.append(body)
            return dict(original(index, body))

        monkeypatch.setattr(client, "search", search)

    def check(self, text: str) -> None:
        for body in self.bodies:
            keys = set(_keys(body))
            assert not keys & FORBIDDEN, f"{text!r} produced {keys & FORBIDDEN}"
            assert text.strip() == "" or text not in keys, f"user text became a key: {text!r}"
            assert len(json.dumps(body, ensure_ascii=False).encode()) < MAX_BODY_BYTES
        self.bodies.clear()


def _search(backend: BaseSearchBackend, text: str) -> None:
    try:
        results = backend.search(SearchQuery(text=text))
    except QueryError:
        return
    assert results.total >= 0


@FAST
@given(text=HOSTILE)
def test_hostile_text_is_only_ever_values(
    backend: BaseSearchBackend, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    captured = Captured(backend, monkeypatch)
    _search(backend, text)
    captured.check(text)
    monkeypatch.undo()


@pytest.mark.parametrize(
    "text",
    [
        "*",
        "* * * * *",
        "?*?*?*",
        "社*",
        "(" * 100 + "社会保险" + ")" * 100,
        "[" * 199,
        '{"query": {"match_all": {}}}',
        '{"script": {"source": "Thread.sleep(10000)"}}',
        "社会保险 " * 40,  # 200 characters: the limit
        "第" + "三" * 190 + "条",
        "国发〔" * 60,
        "\u200b" * 200,
    ],
)
def test_wildcard_nested_and_huge_queries_are_bounded(
    backend: BaseSearchBackend, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    captured = Captured(backend, monkeypatch)
    _search(backend, text[:200])
    captured.check(text[:200])
    # A wildcard is a character, not "everything": it never lists the whole corpus.
    if text.strip("*? ") == "":
        assert backend.search(SearchQuery(text=text)).total == 0
    with pytest.raises(QueryError):
        backend.search(SearchQuery(text=text + "x" * 201))  # over the limit: refused, not truncated silently
    assert backend.search(SearchQuery(text="住房公积金提取")).hits[0].title == "住房公积金提取管理办法"
