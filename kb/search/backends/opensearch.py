"""The server backend: Elasticsearch 8/9 and OpenSearch 2/3 through one thin client adapter.

Versioned indices (``<prefix>-<kind>-v<N>``) sit behind an alias (``<prefix>-<kind>``); writes and
searches go through the alias, a full reindex fills a new version and moves the alias atomically.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cached_property
from typing import Any

import synonyms
from kb.errors import ConfigurationError, SearchError, SearchUnavailableError
from kb.search.backends.es_bulk import BulkAction, BulkWriter
from kb.search.backends.es_client import EngineClient, make_client
from kb.search.backends.es_compiler import HIGHLIGHT_FIELDS, EsQueryCompiler
from kb.search.backends.es_definitions import BUILD_REFRESH_INTERVAL, index_body
from kb.search.base import (
    HIT_KINDS,
    BaseIndex,
    BaseQueryCompiler,
    BaseResults,
    BaseSearchBackend,
    BulkReport,
    Document,
    IndexKind,
)
from kb.search.highlight import highlight, lead
from kb.search.results import ClauseHit, FacetBucket, InterpretationRef, SearchHit
from kb.settings import Settings

#: Engines accept lowercase index names only, and not starting with '-', '_' or '+'.
_INDEX_PREFIX = re.compile(r"^[a-z0-9][a-z0-9_\-]{0,100}$")
TITLE_KEYS: dict[IndexKind, str] = {
    IndexKind.POLICIES: "title",
    IndexKind.QA: "question",
    IndexKind.GLOSSARY: "term",
}
BODY_KEYS: dict[IndexKind, str] = {
    IndexKind.POLICIES: "body",
    IndexKind.QA: "answer",
    IndexKind.GLOSSARY: "definition",
}


class EsIndex(BaseIndex["EsSearchBackend"]):
    """One index kind on the engine: versions behind an alias."""

    @property
    def alias(self) -> str:
        return f"{self.backend.prefix}-{self.kind.value}"

    def _version_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"^{re.escape(self.alias)}-v([0-9]+)$")

    def list_versions(self) -> list[str]:
        pattern = self._version_pattern()
        found = [n for n in self.backend.client.indices(f"{self.alias}-v*") if pattern.match(n)]
        return sorted(found, key=lambda n: int(pattern.match(n).group(1)))  # type: ignore[union-attr]

    def current_version(self) -> str | None:
        targets = self.backend.client.alias_targets(self.alias)
        return targets[0] if targets else None

    def create_version(self) -> str:
        pattern = self._version_pattern()
        numbers = [int(m.group(1)) for n in self.list_versions() if (m := pattern.match(n))]
        version = f"{self.alias}-v{max(numbers, default=0) + 1}"
        body = index_body(
            self.kind,
            self.backend.stopwords,
            replicas=self.backend.settings.search_replicas,
            flavor=self.backend.flavor,
        )
        self.backend.client.create_index(version, body)
        return version

    def swap_alias(self, version: str) -> None:
        self._check(version)
        self._finish_build(version)
        actions: list[dict[str, Any]] = [
            {"remove": {"index": old, "alias": self.alias}}
            for old in self.backend.client.alias_targets(self.alias)
        ]
        actions.append({"add": {"index": version, "alias": self.alias}})
        self.backend.client.update_aliases(actions)  # one request: atomic on the engine

    def _finish_build(self, version: str) -> None:
        """A version built in bulk (refresh off) gets periodic refreshes back and is merged to one segment.

        The version is complete and nothing writes to it yet, so the merge is a one-off: a smaller index
        (deleted/overwritten copies and per-segment term dictionaries go) and faster searches.
        """
        client = self.backend.client
        if client.index_setting(version, "index.refresh_interval") != BUILD_REFRESH_INTERVAL:
            return
        client.force_merge(version, max_num_segments=1)
        client.put_settings(version, {"index": {"refresh_interval": None}})
        client.refresh(version)  # searchers move to the merged segment; the old files go

    def drop_version(self, version: str) -> None:
        self._check(version)
        if version == self.current_version():
            raise SearchError(f"refusing to drop {version}: alias {self.alias} points to it")
        self.backend.client.delete_index(version)

    def _check(self, version: str) -> None:
        if not self._version_pattern().match(version):
            raise SearchError(f"{version!r} is not a version of {self.alias}")

    def _target(self, version: str | None) -> str:
        if version is None:
            return self.ensure()
        self._check(version)
        return version

    def policies_citing(self, interpretation_ids: Iterable[int]) -> list[int]:
        wanted = sorted(set(interpretation_ids))
        if not wanted or self.kind is not IndexKind.POLICIES or not self.current_version():
            return []
        body = {
            "size": 10_000,
            "_source": False,
            "query": {"terms": {"interpretation_ids": wanted}},
            "sort": [{"id": "asc"}],
            "docvalue_fields": ["id"],
        }
        response = self.backend.client.search(self.alias, body)
        return [int(h["fields"]["id"][0]) for h in response["hits"]["hits"]]

    def bulk_index(self, documents: Iterable[Document], *, version: str | None = None) -> BulkReport:
        target = self._target(version)
        actions = (BulkAction("index", target, str(doc.id), doc.model_dump(mode="json")) for doc in documents)
        return self.backend.bulk_writer.write(actions)

    def delete(self, ids: Iterable[int], *, version: str | None = None) -> BulkReport:
        target = self._target(version)
        return self.backend.bulk_writer.write(BulkAction("delete", target, str(i)) for i in ids)

    def count(self, *, version: str | None = None) -> int:
        target = version or self.current_version()
        return self.backend.client.count(target) if target else 0

    def refresh(self, *, version: str | None = None) -> None:
        target = version or self.current_version()
        if target:
            self.backend.client.refresh(target)


class EsResults(BaseResults):
    raw: dict[str, Any]

    def total(self) -> int:
        total = self.raw["hits"]["total"]
        return int(total["value"] if isinstance(total, dict) else total)

    def facets(self) -> dict[str, list[FacetBucket]]:
        aggs = self.raw.get("aggregations") or {}
        return {
            name: [FacetBucket(value=str(b["key"]), count=int(b["doc_count"])) for b in agg["buckets"]]
            for name, agg in aggs.items()
        }

    def hits(self) -> list[SearchHit]:
        kind = self.compiler.kind
        title_field, body_field = HIGHLIGHT_FIELDS[kind]
        hits: list[SearchHit] = []
        for raw_hit in self.raw["hits"]["hits"]:
            src = raw_hit["_source"]
            marks = raw_hit.get("highlight") or {}
            title, body = src[TITLE_KEYS[kind]], src.get(BODY_KEYS[kind]) or ""
            title_hl = body_hl = None
            if self.compiler.query.highlight:
                title_hl = highlight(_first(marks.get(title_field)), src.get(title_field) or "", title)
                body_hl = highlight(_first(marks.get(body_field)), src.get(body_field) or "", body)
                if body_hl is None and body:
                    body_hl = lead(body)
            score = raw_hit.get("_score")
            hit = SearchHit(
                kind=HIT_KINDS[kind],
                id=int(src["id"]),
                score=float(score or 0.0),
                title=title,
                highlight=body_hl,
                title_highlight=title_hl,
                source=src.get("source"),
                source_id=src.get("source_id"),
            )
            if kind is IndexKind.POLICIES:
                hit.url, hit.doc_number = src.get("url"), src.get("doc_number")
                hit.issuing_bodies = src.get("issuing_bodies") or []
                hit.document_type, hit.validity = src.get("document_type"), src.get("validity")
                hit.publish_date = src.get("publish_date")
                hit.interpretations = [InterpretationRef(**i) for i in src.get("interpretations") or []]
                hit.clause = _clause(raw_hit)
            elif kind is IndexKind.QA:
                hit.question, hit.answer = src["question"], src["answer"]
                hit.alternative_questions = src.get("alternative_questions") or []
                hit.policy_id, hit.department = src.get("policy_id"), src.get("department")
                hit.clause_label = src.get("clause_label")
            else:
                hit.aliases, hit.definition = src.get("aliases") or [], src.get("definition")
            hits.append(hit)
        return hits


def _first(values: list[str] | None) -> str | None:
    return values[0] if values else None


def _clause(raw_hit: dict[str, Any]) -> ClauseHit | None:
    inner = (raw_hit.get("inner_hits") or {}).get("clauses")
    if not inner or not inner["hits"]["hits"]:
        return None
    top = inner["hits"]["hits"][0]
    src = top["_source"]
    marked = _first((top.get("highlight") or {}).get("clauses.text_seg"))
    rendered = highlight(marked, src.get("text_seg") or "", src["text"])
    return ClauseHit(
        number=src["number"],
        sub_number=src.get("sub_number"),
        label=src["label"],
        text=src["text"],
        highlight=rendered,
    )


class EsSearchBackend(BaseSearchBackend):
    """Elasticsearch/OpenSearch backend; ``flavor`` picks the official client."""

    name = "opensearch"
    index_class = EsIndex
    query_compiler_class = EsQueryCompiler
    results_class = EsResults

    def __init__(self, settings: Settings, *, flavor: str = "opensearch", **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.flavor = flavor
        self.prefix = settings.search_index_prefix
        if not _INDEX_PREFIX.match(self.prefix):
            raise ConfigurationError(
                f"POLICYKB_SEARCH_INDEX_PREFIX={self.prefix!r} is not a valid index name prefix; "
                "use lowercase letters, digits, '_' or '-', starting with a letter or digit",
                message_zh="检索索引前缀无效，请只用小写字母、数字、下划线或连字符",
            )
        self.client: EngineClient = make_client(settings, flavor)
        self.bulk_writer = BulkWriter(self.client)

    @cached_property
    def stopwords(self) -> list[str]:
        return sorted(synonyms.load_stopwords())

    def es_index(self, kind: IndexKind) -> EsIndex:
        index = self.index(kind)
        assert isinstance(index, EsIndex)
        return index

    def execute(self, compiler: BaseQueryCompiler) -> dict[str, Any]:
        index = self.es_index(compiler.kind)
        try:
            return self.client.search(index.alias, compiler.compile())
        except SearchError as exc:
            # No version behind the alias yet: nothing indexed, so nothing found (not an error).
            if "HTTP 404" in str(exc) and "index_not_found" in str(exc):
                return {"hits": {"total": {"value": 0}, "hits": []}}
            raise

    def suggest(self, prefix: str, size: int = 10) -> list[str]:
        prefix = prefix.strip()
        index = self.es_index(IndexKind.POLICIES)
        if not prefix or not index.current_version():
            return []
        body = {
            "size": 0,
            "query": {"prefix": {"title": prefix}},
            "aggs": {"titles": {"terms": {"field": "title", "size": size, "order": {"_key": "asc"}}}},
        }
        response = self.client.search(index.alias, body)
        return [b["key"] for b in response["aggregations"]["titles"]["buckets"]]

    def ping(self) -> bool:
        try:
            self.client.health()
        except SearchUnavailableError:
            return False
        return True

    def close(self) -> None:
        self.client.close()


SearchBackend = EsSearchBackend
