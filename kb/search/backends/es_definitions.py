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


def _seg() -> dict[str, Any]:
    return {"type": "text", "analyzer": SEGMENTED, "index_options": "offsets"}


def _bigram() -> dict[str, Any]:
    return {"type": "text", "analyzer": BIGRAMS}


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
    "title_seg": _seg(),
    "title_bigrams": _bigram(),
    "doc_number": KEYWORD,
    "doc_number_key": KEYWORD,
    "keywords": KEYWORD,
    "keywords_seg": _seg(),
    "body": STORED_TEXT,
    "body_seg": _seg(),
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
    "question_seg": _seg(),
    "alternatives_seg": _seg(),
    "alternative_questions": STORED_TEXT,
    "question_bigrams": _bigram(),
    "answer": STORED_TEXT,
    "answer_seg": _seg(),
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
    "term_seg": _seg(),
    "aliases": KEYWORD,
    "aliases_seg": _seg(),
    "definition": STORED_TEXT,
    "definition_seg": _seg(),
    "category": KEYWORD,
}

PROPERTIES: dict[IndexKind, dict[str, Any]] = {
    IndexKind.POLICIES: POLICY_PROPERTIES,
    IndexKind.QA: QA_PROPERTIES,
    IndexKind.GLOSSARY: GLOSSARY_PROPERTIES,
}


def index_body(
    kind: IndexKind, stopwords: list[str], *, shards: int = 1, replicas: int = 0
) -> dict[str, Any]:
    """The create-index request body of one kind."""
    return {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            # Laws run to a few hundred thousand characters; highlight them whole.
            "highlight.max_analyzed_offset": 2_000_000,
            "analysis": analysis(stopwords),
        },
        "mappings": {
            "dynamic": "strict",
            # Bigram fields are for matching only; keep them out of _source to halve its size.
            "_source": {"excludes": ["*_bigrams"]},
            "properties": PROPERTIES[kind],
        },
    }
