"""Run judged queries against systems (our pipeline, the baselines) and score them per query kind."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from analyzers.clauses import find_clause_refs
from kb.errors import KBError
from kb.query import QueryUnderstanding
from kb.search.base import BaseSearchBackend, SearchQuery
from kb.search.understanding import parse_query
from scripts.relevance.baselines import BaselineIndex
from scripts.relevance.judged import JudgedQuery
from scripts.relevance.metrics import mean, mrr_at, ndcg_at, recall_at, top1_best

DEPTH = 50
#: Kinds whose first hit must be right (the issue's targets).
TOP1_KINDS = ("docnumber", "clause")


@dataclass
class RankedHit:
    key: str
    score: float
    clause_number: int | None = None


class System(Protocol):
    name: str

    def rank(self, query: JudgedQuery) -> tuple[list[RankedHit], dict[str, Any] | None]: ...


class PipelineSystem:
    """Our search: query understanding + the configured backend's analysed fields."""

    def __init__(
        self, backend: BaseSearchBackend, understanding: QueryUnderstanding | None, name: str = "pipeline"
    ) -> None:
        self.backend = backend
        self.understanding = understanding
        self.name = name

    def rank(self, query: JudgedQuery) -> tuple[list[RankedHit], dict[str, Any] | None]:
        search = SearchQuery.model_validate(
            {"text": query.query, "size": DEPTH, "highlight": False, "filters": query.filters}
        )
        understood = self.understanding.understand(query.query) if self.understanding else None
        # Without understanding: the search package's default parse (the backend may carry ours as parser).
        parsed = understood.parsed if understood else parse_query(query.query)
        results = self.backend.search(search, parsed=parsed)
        hits = [
            RankedHit(
                key=f"{h.source}:{h.source_id}",
                score=h.score,
                clause_number=h.clause.number if h.clause else None,
            )
            for h in results.hits
        ]
        return hits, (understood.explain() if understood else None)


class BaselineSystem:
    """A stock analyzer, raw query text."""

    def __init__(self, index: BaselineIndex) -> None:
        self.index = index
        self.name = f"baseline:{index.name}"

    def rank(self, query: JudgedQuery) -> tuple[list[RankedHit], dict[str, Any] | None]:
        return [RankedHit(key=h.key, score=h.score) for h in self.index.search(query.query, DEPTH)], None


@dataclass
class QueryResult:
    qid: str
    kind: str
    query: str
    ndcg10: float
    mrr10: float
    recall50: float
    top1: bool
    clause_ok: bool | None
    top: list[str]
    understood: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Summary:
    n: int = 0
    ndcg10: float = 0.0
    mrr10: float = 0.0
    recall50: float = 0.0
    top1: float = 0.0
    clause_top1: float | None = None
    extra: dict[str, float] = field(default_factory=dict)


def restrict_to_index(
    queries: Iterable[JudgedQuery], indexed: set[str]
) -> tuple[list[JudgedQuery], int, int]:
    """Drop judgments of documents the index cannot return, and queries left without any relevant one."""
    kept: list[JudgedQuery] = []
    dropped_judgments = dropped_queries = 0
    for query in queries:
        grades = {k: g for k, g in query.grades.items() if k in indexed}
        dropped_judgments += len(query.grades) - len(grades)
        if not any(g > 0 for g in grades.values()):
            dropped_queries += 1
            continue
        kept.append(
            query.model_copy(
                update={"grades": grades, "clauses": {k: v for k, v in query.clauses.items() if k in grades}}
            )
        )
    return kept, dropped_judgments, dropped_queries


def _clause_ok(query: JudgedQuery, hits: Sequence[RankedHit]) -> bool | None:
    if not query.clauses:
        return None
    if not hits or hits[0].key not in query.clauses or not top1_best([h.key for h in hits], query.grades):
        return False
    refs = find_clause_refs(query.clauses[hits[0].key])
    return bool(refs) and hits[0].clause_number == refs[0].number


def run_system(system: System, queries: Sequence[JudgedQuery]) -> list[QueryResult]:
    results: list[QueryResult] = []
    for query in queries:
        try:
            hits, understood = system.rank(query)
            error = None
        except KBError as exc:
            hits, understood, error = [], None, f"{type(exc).__name__}: {exc}"
        ranked = [h.key for h in hits]
        results.append(
            QueryResult(
                qid=query.qid,
                kind=query.kind,
                query=query.query,
                ndcg10=ndcg_at(ranked, query.grades, 10),
                mrr10=mrr_at(ranked, query.grades, 10),
                recall50=recall_at(ranked, query.grades, 50),
                top1=top1_best(ranked, query.grades),
                clause_ok=_clause_ok(query, hits),
                top=ranked[:10],
                understood=understood,
                error=error,
            )
        )
    return results


def summarize(results: Sequence[QueryResult]) -> dict[str, Summary]:
    """Per kind and ``overall``."""
    groups: defaultdict[str, list[QueryResult]] = defaultdict(list)
    for result in results:
        groups[result.kind].append(result)
        groups["overall"].append(result)
    summaries: dict[str, Summary] = {}
    for kind, items in groups.items():
        clause = [r.clause_ok for r in items if r.clause_ok is not None]
        summaries[kind] = Summary(
            n=len(items),
            ndcg10=mean([r.ndcg10 for r in items]),
            mrr10=mean([r.mrr10 for r in items]),
            recall50=mean([r.recall50 for r in items]),
            top1=mean([float(r.top1) for r in items]),
            clause_top1=mean([float(c) for c in clause]) if clause else None,
        )
    return summaries


def write_per_query(path: Path, system: str, results: Sequence[QueryResult]) -> None:
    """Append one JSON line per query (system, metrics, top 10, what was understood)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        for r in results:
            handle.write(json.dumps({"system": system, **r.__dict__}, ensure_ascii=False) + "\n")


def table(title: str, summaries: dict[str, dict[str, Summary]], kinds: Sequence[str]) -> str:
    """A markdown table: one row per (kind, system)."""
    lines = [
        f"### {title}",
        "",
        "| kind | n | system | nDCG@10 | MRR@10 | R@50 | top-1 | clause top-1 |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for kind in kinds:
        for system, per_kind in summaries.items():
            s = per_kind.get(kind)
            if s is None:
                continue
            clause = f"{s.clause_top1:.3f}" if s.clause_top1 is not None else ""
            lines.append(
                f"| {kind} | {s.n} | {system} | {s.ndcg10:.3f} | {s.mrr10:.3f} | {s.recall50:.3f} | "
                f"{s.top1:.3f} | {clause} |"
            )
    return "\n".join(lines)
