"""SearchQuery + ParsedQuery -> an Elasticsearch/OpenSearch request body (the same body for both engines).

Only match / multi_match / match_phrase / term(s) / range / bool / nested / function_score are used:
user text never becomes query_string syntax. Query text is pre-segmented (U+200B between tokens), so
the engine's char_group analyzer sees exactly the tokens Python chose.
"""

from __future__ import annotations

from typing import Any

from kb.search.base import BaseQueryCompiler, IndexKind
from kb.search.documents import ZWSP, segment
from kb.search.highlight import MARK_END, MARK_START
from kb.search.query import SearchFilters, SortOrder
from kb.search.ranking import (
    CLAUSE_BOOST,
    DOC_NUMBER_BOOST,
    EXACT_TITLE_BOOST,
    GLOSSARY_FIELD_BOOSTS,
    PHRASE_BOOST,
    POLICY_BIGRAM_BOOSTS,
    POLICY_FIELD_BOOSTS,
    QA_BIGRAM_BOOSTS,
    QA_FIELD_BOOSTS,
    RECENCY_FLOOR,
    RECENCY_HALF_LIFE_DAYS,
    TITLE_PHRASE_BOOST,
    VALIDITY_FACTORS,
)

WORD_FIELDS: dict[IndexKind, dict[str, float]] = {
    IndexKind.POLICIES: POLICY_FIELD_BOOSTS,
    IndexKind.QA: QA_FIELD_BOOSTS,
    IndexKind.GLOSSARY: GLOSSARY_FIELD_BOOSTS,
}
BIGRAM_FIELDS: dict[IndexKind, dict[str, float]] = {
    IndexKind.POLICIES: POLICY_BIGRAM_BOOSTS,
    IndexKind.QA: QA_BIGRAM_BOOSTS,
    IndexKind.GLOSSARY: {},
}
#: Per kind: (field highlighted whole, field highlighted as one fragment).
HIGHLIGHT_FIELDS: dict[IndexKind, tuple[str, str]] = {
    IndexKind.POLICIES: ("title_seg", "body_seg"),
    IndexKind.QA: ("question_seg", "answer_seg"),
    IndexKind.GLOSSARY: ("term_seg", "definition_seg"),
}
#: Facet name -> keyword field.
FACET_FIELDS: dict[str, str] = {
    "issuing_bodies": "issuing_bodies",
    "subject_category": "subject_category",
    "document_type": "document_type",
    "validity": "validity",
    "year": "year",
    "audiences": "audiences",
    "region": "region",
    "source": "source",
}
FRAGMENT_CHARS = 120
#: _source fields needed to render a hit (the rest of the document stays on the server).
SOURCE_FIELDS: dict[IndexKind, list[str]] = {
    IndexKind.POLICIES: [
        "id",
        "source",
        "source_id",
        "url",
        "title",
        "title_seg",
        "doc_number",
        "issuing_bodies",
        "document_type",
        "validity",
        "publish_date",
        "interpretations",
    ],
    IndexKind.QA: [
        "id",
        "source",
        "source_id",
        "question",
        "question_seg",
        "answer",
        "policy_id",
        "clause_label",
        "department",
    ],
    IndexKind.GLOSSARY: ["id", "term", "term_seg", "aliases", "definition", "category"],
}
BODY_SOURCE: dict[IndexKind, list[str]] = {
    IndexKind.POLICIES: ["body", "body_seg"],
    IndexKind.QA: ["answer_seg"],
    IndexKind.GLOSSARY: ["definition_seg"],
}


def _fields(boosts: dict[str, float], prefix: str = "") -> list[str]:
    return [f"{prefix}{name}^{boost:g}" for name, boost in boosts.items()]


class EsQueryCompiler(BaseQueryCompiler):
    """Builds the search request body."""

    def compile(self) -> dict[str, Any]:
        words = WORD_FIELDS[self.kind]
        should = self._text_clauses(words, BIGRAM_FIELDS[self.kind])
        filters = self._filters()
        boosts = self._clause_clauses() if self.kind is IndexKind.POLICIES else []
        bool_query: dict[str, Any] = {"filter": filters}
        if should:
            bool_query["must"] = [{"bool": {"should": should, "minimum_should_match": 1}}]
            bool_query["should"] = boosts
        elif boosts:
            bool_query["should"] = boosts
            bool_query["minimum_should_match"] = 1
        else:
            bool_query["must"] = [{"constant_score": {"filter": {"match_all": {}}, "boost": 1.0}}]
        query: dict[str, Any] = {"bool": bool_query}
        if self.kind is IndexKind.POLICIES:
            query = self._ranked(query)
        body: dict[str, Any] = {
            "query": query,
            "from": self.query.offset,
            "size": self.query.size,
            "track_total_hits": True,
            "track_scores": True,
            "sort": self._sort(),
            "_source": SOURCE_FIELDS[self.kind] + (BODY_SOURCE[self.kind] if self.query.highlight else []),
        }
        if self.query.highlight:
            body["highlight"] = self._highlight()
        if self.kind is IndexKind.POLICIES and self.query.facets:
            body["aggs"] = {
                name: {
                    "terms": {
                        "field": FACET_FIELDS[name],
                        "size": self.query.facet_size,
                        "order": [{"_count": "desc"}, {"_key": "asc"}],
                    }
                }
                for name in self.query.facets
            }
        return body

    def _text_clauses(self, words: dict[str, float], bigrams: dict[str, float]) -> list[dict[str, Any]]:
        parsed = self.parsed
        clauses: list[dict[str, Any]] = []
        if parsed.terms:
            clauses.append(
                {
                    "multi_match": {
                        "query": ZWSP.join(parsed.terms),
                        "fields": _fields(words),
                        "type": "most_fields",
                        "operator": "or",
                    }
                }
            )
        for expansion in parsed.expansions:
            clauses.append(
                {
                    "multi_match": {
                        "query": segment(expansion.term),
                        "fields": _fields(words),
                        "type": "phrase",
                        "boost": expansion.weight,
                    }
                }
            )
        if parsed.bigrams and bigrams:
            clauses.append(
                {
                    "multi_match": {
                        "query": " ".join(parsed.bigrams),
                        "fields": _fields(bigrams),
                        "type": "most_fields",
                        "operator": "or",
                    }
                }
            )
        for phrase in parsed.phrases:
            clauses.append(
                {
                    "multi_match": {
                        "query": segment(phrase),
                        "fields": _fields(words),
                        "type": "phrase",
                        "boost": PHRASE_BOOST,
                    }
                }
            )
        title_field = next(iter(words))
        for title in parsed.title_phrases:
            clauses.append(
                {"match_phrase": {title_field: {"query": segment(title), "boost": TITLE_PHRASE_BOOST}}}
            )
        if self.kind is IndexKind.POLICIES and parsed.exact_titles:
            clauses.append(
                {
                    "constant_score": {
                        "filter": {"terms": {"title": list(parsed.exact_titles)}},
                        "boost": EXACT_TITLE_BOOST,
                    }
                }
            )
        if self.kind is IndexKind.POLICIES and parsed.doc_number_key:
            clauses.append(
                {
                    "constant_score": {
                        "filter": {"term": {"doc_number_key": parsed.doc_number_key}},
                        "boost": DOC_NUMBER_BOOST,
                    }
                }
            )
        return clauses

    def _clause_clauses(self) -> list[dict[str, Any]]:
        parsed = self.parsed
        inner_hits: dict[str, Any] = {
            "size": 1,
            "_source": [
                "clauses.number",
                "clauses.sub_number",
                "clauses.label",
                "clauses.text",
                "clauses.text_seg",
            ],
            "highlight": {
                "pre_tags": [MARK_START],
                "post_tags": [MARK_END],
                "fields": {"clauses.text_seg": {"number_of_fragments": 0}},
            },
        }
        text = self._highlight_texts()
        if parsed.clause_number is not None:
            number_filter: list[dict[str, Any]] = [{"term": {"clauses.number": parsed.clause_number}}]
            if parsed.clause_sub_number is None:
                number_filter.append({"bool": {"must_not": {"exists": {"field": "clauses.sub_number"}}}})
            else:
                number_filter.append({"term": {"clauses.sub_number": parsed.clause_sub_number}})
            if text:
                inner_hits["highlight"]["highlight_query"] = self._clause_text_query(text)
            return [
                {
                    "nested": {
                        "path": "clauses",
                        "score_mode": "max",
                        "inner_hits": inner_hits,
                        "query": {
                            "constant_score": {
                                "filter": {"bool": {"filter": number_filter}},
                                "boost": CLAUSE_BOOST,
                            }
                        },
                    }
                }
            ]
        if not text:
            return []
        # Only to find the matching clause (inner hit); it adds nothing to the policy's score.
        return [
            {
                "nested": {
                    "path": "clauses",
                    "score_mode": "none",
                    "inner_hits": inner_hits,
                    "query": self._clause_text_query(text),
                }
            }
        ]

    @staticmethod
    def _clause_text_query(texts: list[str]) -> dict[str, Any]:
        return {
            "bool": {
                "should": [{"match_phrase": {"clauses.text_seg": t}} for t in texts],
                "minimum_should_match": 1,
            }
        }

    def _highlight_texts(self) -> list[str]:
        tokens, texts = self.highlight_texts()
        return list(dict.fromkeys([*tokens, *(segment(t) for t in texts)]))

    def _marks(self, field: str) -> dict[str, Any] | None:
        # Highlight what the user asked for, on this field only (not the bigram or keyword clauses).
        texts = self._highlight_texts()
        if not texts:
            return None
        should = [{"match_phrase": {field: t}} for t in texts]
        return {"bool": {"should": should, "minimum_should_match": 1}}

    def _ranked(self, query: dict[str, Any]) -> dict[str, Any]:
        # Mirrors ranking.recency_factor: floor + (1 - floor) * 0.5 ** (age / half_life); missing date -> 1.
        recency = {
            "function_score": {
                "query": query,
                "functions": [
                    {
                        "exp": {
                            "publish_date": {
                                "origin": "now",
                                "scale": f"{RECENCY_HALF_LIFE_DAYS}d",
                                "decay": 0.5,
                            }
                        },
                        "weight": 1 - RECENCY_FLOOR,
                    },
                    {"weight": RECENCY_FLOOR},
                ],
                "score_mode": "sum",
                "boost_mode": "multiply",
            }
        }
        if not self.demote_invalid:
            return recency
        return {
            "function_score": {
                "query": recency,
                "functions": [
                    {"filter": {"term": {"validity": v}}, "weight": w} for v, w in VALIDITY_FACTORS.items()
                ],
                "score_mode": "first",
                "boost_mode": "multiply",
            }
        }

    def _sort(self) -> list[Any]:
        if self.kind is IndexKind.POLICIES and self.query.sort is SortOrder.NEWEST:
            return [{"publish_date": {"order": "desc", "missing": "_last"}}, {"id": {"order": "asc"}}]
        return [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}]

    def _highlight(self) -> dict[str, Any]:
        title_field, body_field = HIGHLIGHT_FIELDS[self.kind]
        fields: dict[str, dict[str, Any]] = {
            title_field: {"number_of_fragments": 0},
            body_field: {"fragment_size": FRAGMENT_CHARS, "number_of_fragments": 1},
        }
        for name, options in fields.items():
            marks = self._marks(name)
            if marks is not None:
                options["highlight_query"] = marks
        return {"pre_tags": [MARK_START], "post_tags": [MARK_END], "encoder": "default", "fields": fields}

    def _filters(self) -> list[dict[str, Any]]:
        filters: list[dict[str, Any]] = []
        for phrase in self.parsed.phrases:
            filters.append(
                {
                    "multi_match": {
                        "query": segment(phrase),
                        "fields": list(WORD_FIELDS[self.kind]),
                        "type": "phrase",
                    }
                }
            )
        if self.kind is IndexKind.QA:
            filters.append({"term": {"status": "published"}})
        if self.kind is IndexKind.POLICIES:
            filters.extend(self._policy_filters(self.query.filters))
        return filters

    @staticmethod
    def _policy_filters(f: SearchFilters) -> list[dict[str, Any]]:
        terms: dict[str, list[Any]] = {
            "issuing_bodies": f.issuing_body,
            "subject_category": f.subject_category,
            "audiences": f.audience,
            "document_type": [str(t) for t in f.document_type],
            "validity": [str(v) for v in f.validity],
            "year": f.year,
            "region": f.region,
            "source": f.source,
        }
        filters: list[dict[str, Any]] = [
            {"terms": {field: values}} for field, values in terms.items() if values
        ]
        if f.date_from or f.date_to:
            bounds: dict[str, str] = {}
            if f.date_from:
                bounds["gte"] = f.date_from.isoformat()
            if f.date_to:
                bounds["lte"] = f.date_to.isoformat()
            filters.append({"range": {"publish_date": bounds}})
        return filters
