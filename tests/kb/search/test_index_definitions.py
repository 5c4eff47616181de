"""Index definitions: the generated dicts, and the same tokens on a real OpenSearch as in SQLite FTS5."""

from __future__ import annotations

import sqlite3
import time
import uuid
from typing import Any

import pytest

import analyzers
import synonyms
from kb.errors import SearchUnavailableError
from kb.search.backends.es_client import ElasticsearchClient, OpenSearchClient
from kb.search.backends.es_definitions import PROPERTIES, SEGMENTED, index_body
from kb.search.backends.sqlite_schema import TOKENIZE
from kb.search.base import IndexKind
from kb.search.documents import GlossaryDocument, PolicyDocument, QADocument
from kb.settings import Settings

MODELS = {IndexKind.POLICIES: PolicyDocument, IndexKind.QA: QADocument, IndexKind.GLOSSARY: GlossaryDocument}

TEXTS = [
    "关于印发《北京市深化政务公开促进政策服务工作办法》的通知（京政办发〔2022〕6号）",
    "第十二条 用人单位应当依法缴纳社会保险费；逾期不缴的，由社保经办机构责令限期缴纳。",
    "COVID-19疫情期间，符合条件的中小微企业可申请减免房租3个月！",
    "我想问一下灵活就业人员的养老保险怎么交呀？",
]


@pytest.mark.parametrize("kind", list(IndexKind))
def test_strict_mapping_covers_every_document_field(kind: IndexKind) -> None:
    assert set(PROPERTIES[kind]) == set(MODELS[kind].model_fields)


def test_index_body_carries_the_stopwords_and_the_zwsp_tokenizer() -> None:
    body = index_body(IndexKind.POLICIES, ["的", "了"])
    analysis = body["settings"]["analysis"]
    assert analysis["tokenizer"]["policykb_zwsp"]["tokenize_on_chars"][0] == "\u200b"
    assert analysis["filter"]["policykb_stop"]["stopwords"] == ["了", "的"]
    assert body["mappings"]["dynamic"] == "strict"
    assert body["mappings"]["properties"]["clauses"]["type"] == "nested"


def _fts5_tokens(segmented: str) -> list[str]:
    conn = sqlite3.connect(":memory:")
    conn.execute(f'CREATE VIRTUAL TABLE t USING fts5(x, tokenize="{TOKENIZE}")')
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    conn.execute("INSERT INTO t(rowid, x) VALUES (1, ?)", (segmented,))
    return [r[0] for r in conn.execute("SELECT term FROM v ORDER BY offset")]


def test_opensearch_and_fts5_see_the_same_tokens(opensearch_url: str) -> None:
    settings = Settings(search_backend="opensearch", search_url=opensearch_url, search_timeout_seconds=30)
    client = OpenSearchClient(settings)
    name = f"tsearch{uuid.uuid4().hex[:8]}-analysis"
    stopwords = synonyms.load_stopwords()
    client.create_index(name, index_body(IndexKind.POLICIES, sorted(stopwords)))
    try:
        for text in TEXTS:
            segmented = analyzers.segment_for_index(text)
            response: Any = client._call(
                "analyze",
                lambda c, t, s=segmented: c.indices.analyze(  # type: ignore[misc]
                    index=name, body={"analyzer": SEGMENTED, "text": s}, **t
                ),
            )
            engine = [tok["token"] for tok in response["tokens"]]
            # FTS5 keeps stopwords in the index (queries never contain them); compare without them.
            embedded = [tok for tok in _fts5_tokens(segmented) if tok not in stopwords]
            assert engine == embedded, text
            assert engine, text
    finally:
        client.delete_index(name)
        client.close()


@pytest.mark.parametrize("client_class", [OpenSearchClient, ElasticsearchClient])
def test_unreachable_engine_is_search_unavailable(client_class: type[Any]) -> None:
    client = client_class(Settings(search_url="http://127.0.0.1:9", search_timeout_seconds=1))
    with pytest.raises(SearchUnavailableError):
        client.health()
    with pytest.raises(SearchUnavailableError):
        client.search("policykb-policies", {"query": {"match_all": {}}})


@pytest.mark.parametrize("prefix", ["PolicyKB", "-kb", "kb index", ""])
def test_an_invalid_index_prefix_is_a_configuration_error(prefix: str) -> None:
    from kb.errors import ConfigurationError
    from kb.search import get_backend

    with pytest.raises(ConfigurationError, match="POLICYKB_SEARCH_INDEX_PREFIX"):
        get_backend(Settings(search_backend="opensearch", search_index_prefix=prefix))


def test_a_new_version_is_built_compressed_without_refreshes_and_match_only_fields_unstored() -> None:
    body = index_body(IndexKind.POLICIES, ["的"])
    settings, mappings = body["settings"], body["mappings"]
    assert settings["codec"] == "best_compression"
    assert settings["refresh_interval"] == "-1"
    assert {"*_bigrams", "interpretations_seg", "keywords_seg"} <= set(mappings["_source"]["excludes"])
    # Shown or highlighted fields stay in _source; the fields a hit is rendered from are never excluded.
    assert not {"body", "body_seg", "title_seg", "clauses"} & set(mappings["_source"]["excludes"])
    properties = mappings["properties"]
    assert properties["body_bigrams"]["index_options"] == "freqs"  # bigrams are never phrase-matched
    assert properties["body_seg"]["index_options"] == "offsets"  # highlighted from postings offsets
    assert properties["interpretations_seg"]["index_options"] == "positions"  # phrases, no highlight
    assert properties["clauses"]["properties"]["text_seg"]["index_options"] == "positions"


@pytest.mark.parametrize(
    ("flavor", "replicas", "skipped"),
    [("opensearch", 0, True), ("opensearch", 1, False), ("elasticsearch", 0, False)],
)
def test_recovery_source_is_skipped_only_on_opensearch_without_replicas(
    flavor: str, replicas: int, skipped: bool
) -> None:
    source = index_body(IndexKind.QA, [], replicas=replicas, flavor=flavor)["mappings"]["_source"]
    assert ("recovery_source_enabled" in source) is skipped
    if skipped:
        assert source["recovery_source_enabled"] is False


def test_the_alias_moves_to_a_merged_version_that_refreshes_again(opensearch_url: str) -> None:
    from search_factories import make_policy

    from kb.search import get_backend
    from kb.search.backends.opensearch import EsSearchBackend
    from kb.search.base import SearchQuery
    from kb.search.documents import policy_document

    prefix = f"tsearch{uuid.uuid4().hex[:8]}"
    backend = get_backend(
        Settings(
            search_backend="opensearch",
            search_url=opensearch_url,
            search_timeout_seconds=30,
            search_index_prefix=prefix,
        )
    )
    assert isinstance(backend, EsSearchBackend)
    try:
        index = backend.es_index(IndexKind.POLICIES)
        version = index.create_version()
        assert backend.client.index_setting(version, "index.refresh_interval") == "-1"
        for batch in range(3):  # several bulk requests with refreshes between them: several segments
            docs = [
                policy_document(make_policy(batch * 10 + i, f"关于第{batch}批通知{i}", "社会保险。"))
                for i in range(3)
            ]
            assert index.bulk_index(docs, version=version).indexed == 3
            index.refresh(version=version)
        index.swap_alias(version)
        assert index.current_version() == version
        assert backend.client.index_setting(version, "index.refresh_interval") is None  # the default again
        segments: Any = backend.client._call("segments", lambda c, t: c.indices.segments(index=version, **t))
        shards = segments["indices"][version]["shards"]["0"]
        assert [len(s["segments"]) for s in shards] == [1]
        # Written after the swap (an incremental sync) and found without an explicit refresh call.
        index.bulk_index([policy_document(make_policy(99, "关于后来补充的通知", "补充内容。"))])
        found: list[int] = []
        for _ in range(50):
            found = [h.id for h in backend.search(SearchQuery(text="后来补充")).hits]
            if found:
                break
            time.sleep(0.2)
        assert found == [99]
        assert backend.search(SearchQuery(text="社会保险")).total == 9
    finally:
        for name in backend.client.indices(f"{prefix}-*"):
            backend.client.delete_index(name)
        backend.close()
