"""Baseline indices on the same OpenSearch server: the engine's own analyzers, no query understanding.

``standard`` (the engine's default: one token per CJK character) and ``cjk_bigram`` (standard tokenizer +
cjk_width + lowercase + cjk_bigram) index the same policies as our pipeline, title and body, and are
queried with a plain multi_match of the raw query text — what a stock installation would do.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from opensearchpy import OpenSearch, helpers

from kb.models import Policy

BASELINES: dict[str, dict[str, Any]] = {
    "standard": {"analyzer": "standard"},
    "cjk_bigram": {
        "analyzer": "baseline_cjk_bigram",
        "analysis": {
            "analyzer": {
                "baseline_cjk_bigram": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["cjk_width", "lowercase", "cjk_bigram"],
                }
            }
        },
    },
}
#: Field boosts of the baseline query (title counts more than body, as in every sensible setup).
TITLE_BOOST = 3
BULK_CHUNK = 200


@dataclass(frozen=True)
class BaselineHit:
    key: str
    score: float


def index_name(prefix: str, name: str) -> str:
    return f"{prefix}-eval-baseline-{name.replace('_', '-')}"


def index_body(name: str) -> dict[str, Any]:
    spec = BASELINES[name]
    settings: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0}
    if "analysis" in spec:
        settings["analysis"] = spec["analysis"]
    text = {"type": "text", "analyzer": spec["analyzer"]}
    return {
        "settings": settings,
        "mappings": {
            "properties": {"title": text, "body": text, "key": {"type": "keyword"}},
        },
    }


class BaselineIndex:
    """One baseline index: built from policies, searched with the raw query."""

    def __init__(self, client: OpenSearch, prefix: str, name: str) -> None:
        self.client = client
        self.name = name
        self.index = index_name(prefix, name)

    def count(self) -> int:
        if not self.client.indices.exists(index=self.index):
            return -1
        self.client.indices.refresh(index=self.index)
        return int(self.client.count(index=self.index)["count"])

    def rebuild(self, policies: Iterable[Policy]) -> int:
        """Drop and refill the index; returns the number of documents indexed."""
        if self.client.indices.exists(index=self.index):
            self.client.indices.delete(index=self.index)
        self.client.indices.create(index=self.index, body=index_body(self.name))
        actions = (
            {
                "_index": self.index,
                "_id": f"{p.provenance.source}:{p.provenance.source_id}",
                "_source": {
                    "title": p.title,
                    "body": p.text,
                    "key": f"{p.provenance.source}:{p.provenance.source_id}",
                },
            }
            for p in policies
        )
        indexed, _ = helpers.bulk(self.client, actions, chunk_size=BULK_CHUNK, request_timeout=120)
        self.client.indices.refresh(index=self.index)
        return int(indexed)

    def search(self, text: str, size: int = 50) -> list[BaselineHit]:
        body = {
            "size": size,
            "_source": ["key"],
            "query": {
                "multi_match": {
                    "query": text,
                    "fields": [f"title^{TITLE_BOOST}", "body"],
                    "type": "best_fields",
                    "tie_breaker": 0.3,
                }
            },
        }
        raw = self.client.search(index=self.index, body=body, request_timeout=30)
        return [BaselineHit(key=h["_source"]["key"], score=float(h["_score"])) for h in raw["hits"]["hits"]]
