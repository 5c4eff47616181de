"""Index definitions for Elasticsearch/OpenSearch, declared once as data (settings + mappings per kind).

Text arrives already segmented by Python (U+200B between tokens), so the engine's analysis is only a
``char_group`` tokenizer on U+200B/whitespace/punctuation, lowercase, and the stop list of
``synonyms.load_stopwords()``. Identical analysis on both engines; no engine plugin needed.
"""

from __future__ import annotations

from typing import Any

from kb.search.base import IndexKind
from kb.search.documents import ZWSP

SEGMENTED = "policykb_segmented"
BIGRAMS = "policykb_bigrams"


def analysis(stopwords: list[str]) -> dict[str, Any]:
    """The analysis settings shared by every index."""
    return {
        "tokenizer": {
            "policykb_zwsp": {
                "type": "char_group",
                "tokenize_on_chars": [ZWSP, "whitespace", "punctuation", "symbol"],
            }
        },
        "filter": {"policykb_stop": {"type": "stop", "stopwords": sorted(stopwords) or ["_none_"]}},
        "analyzer": {
            SEGMENTED: {
                "type": "custom",
                "tokenizer": "policykb_zwsp",
                "filter": ["lowercase", "policykb_stop"],
            },
            BIGRAMS: {"type": "custom", "tokenizer": "whitespace", "filter": ["lowercase"]},
        },
    }


def _seg(*, highlighted: bool = False) -> dict[str, Any]:
    # Positions for phrase queries everywhere; offsets in the postings only where the unified highlighter
    # reads them (fields shown highlighted): the others would pay ~3 bytes per token for nothing. Short
    # highlighted fields (clauses) are re-analysed by the highlighter instead, which costs little.
    return {"type": "text", "analyzer": SEGMENTED, "index_options": "offsets" if highlighted else "positions"}


def _bigram() -> dict[str, Any]:
    # Matched with OR of terms only (never phrases): term frequencies, no positions.
    return {"type": "text", "analyzer": BIGRAMS, "index_options": "freqs"}


KEYWORD: dict[str, Any] = {"type": "keyword"}
#: Kept in _source for display, not searchable.
STORED_ONLY: dict[str, Any] = {"type": "object", "enabled": False}
STORED_TEXT: dict[str, Any] = {"type": "text", "index": False}

POLICY_PROPERTIES: dict[str, Any] = {
    "id": {"type": "long"},
    "source": KEYWORD,
    "source_id": KEYWORD,
    "url": {"type": "keyword", "index": False, "doc_values": False},
    "title": {"type": "keyword", "ignore_above": 2048},
    "title_seg": _seg(highlighted=True),
    "title_bigrams": _bigram(),
    "doc_number": KEYWORD,
    "doc_number_key": KEYWORD,
    "keywords": KEYWORD,
    "keywords_seg": _seg(),
    "body": STORED_TEXT,
    "body_seg": _seg(highlighted=True),
    "body_bigrams": _bigram(),
    "clauses": {
        "type": "nested",
        "properties": {
            "number": {"type": "integer"},
            "sub_number": {"type": "integer"},
            "label": KEYWORD,
            "text": STORED_TEXT,
            "text_seg": _seg(),
        },
    },
    "interpretations_seg": _seg(),
    "interpretations_bigrams": _bigram(),
    "interpretations": STORED_ONLY,
    "interpretation_ids": {"type": "long"},
    "issuing_bodies": KEYWORD,
    "subject_category": KEYWORD,
    "document_type": KEYWORD,
    "validity": KEYWORD,
    "year": {"type": "integer"},
    "publish_date": {"type": "date", "format": "strict_date"},
    "audiences": KEYWORD,
    "region": KEYWORD,
    "level": KEYWORD,
}

QA_PROPERTIES: dict[str, Any] = {
    "id": {"type": "long"},
    "source": KEYWORD,
    "source_id": KEYWORD,
    "question": STORED_TEXT,
    "question_seg": _seg(highlighted=True),
    "alternatives_seg": _seg(),
    "alternative_questions": STORED_TEXT,
    "question_bigrams": _bigram(),
    "answer": STORED_TEXT,
    "answer_seg": _seg(highlighted=True),
    "answer_bigrams": _bigram(),
    "policy_title": STORED_TEXT,
    "policy_title_seg": _seg(),
    "policy_id": {"type": "long"},
    "clause_label": KEYWORD,
    "department": KEYWORD,
    "status": KEYWORD,
    "valid_until": {"type": "date", "format": "strict_date"},
}

GLOSSARY_PROPERTIES: dict[str, Any] = {
    "id": {"type": "long"},
    "term": KEYWORD,
    "term_seg": _seg(highlighted=True),
    "aliases": KEYWORD,
    "aliases_seg": _seg(),
    "definition": STORED_TEXT,
    "definition_seg": _seg(highlighted=True),
    "category": KEYWORD,
}

PROPERTIES: dict[IndexKind, dict[str, Any]] = {
    IndexKind.POLICIES: POLICY_PROPERTIES,
    IndexKind.QA: QA_PROPERTIES,
    IndexKind.GLOSSARY: GLOSSARY_PROPERTIES,
}


#: Indexed for matching, never shown nor highlighted: kept out of the stored _source.
SOURCE_EXCLUDES = [
    "*_bigrams",
    "keywords_seg",
    "interpretations_seg",
    "alternatives_seg",
    "policy_title_seg",
    "aliases_seg",
]
#: refresh_interval of a version while it is being built (reset when the alias moves to it).
BUILD_REFRESH_INTERVAL = "-1"


def index_body(
    kind: IndexKind,
    stopwords: list[str],
    *,
    shards: int = 1,
    replicas: int = 0,
    flavor: str = "opensearch",
) -> dict[str, Any]:
    """The create-index request body of one kind (a new version, before its bulk build)."""
    source: dict[str, Any] = {"excludes": SOURCE_EXCLUDES}
    if flavor == "opensearch" and replicas == 0:
        # With _source excludes, the engine otherwise also stores the whole original document as
        # _recovery_source (bigrams and all: 2x the stored size), for operation-based replica recovery.
        # Without replicas there is no such recovery; OpenSearch >= 2.15 can skip it. Elasticsearch has
        # no such option (it prunes _recovery_source in later merges).
        source["recovery_source_enabled"] = False
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            # DEFLATE instead of LZ4 for stored fields: the _source (bodies) shrinks by ~40 %.
            "codec": "best_compression",
            # No periodic refreshes during the bulk build; the explicit refresh and the alias swap end it.
            "refresh_interval": BUILD_REFRESH_INTERVAL,
            # Laws run to a few hundred thousand characters; highlight them whole.
            "highlight.max_analyzed_offset": 2_000_000,
            "analysis": analysis(stopwords),
        },
        "mappings": {
            "dynamic": "strict",
            # Bigram and other match-only fields stay out of _source.
            "_source": source,
            "properties": PROPERTIES[kind],
        },
    }
