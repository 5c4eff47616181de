"""SearchQuery + ParsedQuery -> SQL over the FTS5 tables.

Every scored part of the query (terms, expansions, bigrams, phrases, 文号, clause number) is one
sub-select yielding (id, score); their scores are summed per document, as the engine's bool/should
sums its clauses. User text only ever appears inside double-quoted FTS5 strings, never as syntax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kb.search.backends.sqlite_schema import LAYOUTS, FtsLayout
from kb.search.base import BaseQueryCompiler, IndexKind
from kb.search.documents import segment
from kb.search.query import SearchFilters, SortOrder
from kb.search.ranking import (
    CLAUSE_BOOST,
    DOC_NUMBER_BOOST,
    EXACT_TITLE_BOOST,
    PHRASE_BOOST,
    RECENCY_FLOOR,
    RECENCY_HALF_LIFE_DAYS,
    TITLE_PHRASE_BOOST,
    VALIDITY_FACTORS,
    validity_factor,
)


def fts_string(text: str) -> str:
    """A double-quoted FTS5 string: the tokenizer splits it, the query parser sees no operators."""
    return '"' + text.replace('"', '""') + '"'


def _searchable(term: str) -> bool:
    return any(ch.isalnum() for ch in term)


def columns_expr(columns: tuple[str, ...], body: str) -> str:
    return "{" + " ".join(columns) + "}: (" + body + ")"


@dataclass
class SqlQuery:
    """SQL templates ({docs}, {fts}, {bigrams}, {clauses}, {clauses_fts}: the live version's tables)."""

    candidates: str  # the WITH list, ending in cand(id, score)
    where: list[str]
    params: dict[str, Any]
    order_by: str  # over temp.pk_hits h (id, score, and publish_date for policies)
    score_expr: str
    highlight_match: str | None = None
    clause_match: str | None = None
    clause_number: int | None = None
    clause_sub_number: int | None = None
    limit: int = 10
    offset: int = 0
    facets: list[str] = field(default_factory=list)
    facet_size: int = 20


class SqliteQueryCompiler(BaseQueryCompiler):
    """Builds the SqlQuery of one search."""

    def compile(self) -> SqlQuery:
        self._params: dict[str, Any] = {}
        layout = LAYOUTS[self.kind]
        required = self._required_parts(layout)
        boosts = self._boost_parts() if self.kind is IndexKind.POLICIES else []
        candidates = self._combine(required, boosts)
        where = self._where(layout)
        policies = self.kind is IndexKind.POLICIES
        score = "cand.score"
        if policies:
            score += f" * {self._recency()}"
            if self.demote_invalid:
                score += f" * {self._validity()}"
        if policies and self.query.sort is SortOrder.NEWEST:
            order = "h.publish_date IS NULL, h.publish_date DESC, h.id ASC"
        else:
            order = "h.score DESC, h.id ASC"
        words = self._word_match(layout.word_columns)
        clause_words = self._clause_match()
        return SqlQuery(
            candidates=candidates,
            where=where,
            params=self._params,
            order_by=order,
            score_expr=score,
            highlight_match=words,
            clause_match=clause_words,
            clause_number=self.parsed.clause_number if policies else None,
            clause_sub_number=self.parsed.clause_sub_number if policies else None,
            limit=self.query.size,
            offset=self.query.offset,
            facets=list(self.query.facets) if policies else [],
            facet_size=self.query.facet_size,
        )

    def _recency(self) -> str:
        """ranking.recency_factor in SQL (same doubles: whole days, the same constants, C pow())."""
        floor, rest = self._param(RECENCY_FLOOR), self._param(1 - RECENCY_FLOOR)
        today, half = self._param(date.today().isoformat()), self._param(RECENCY_HALF_LIFE_DAYS)
        age = f"abs(julianday({today}) - julianday(d.publish_date))"
        return f"COALESCE({floor} + {rest} * pow(0.5, {age} / {half}), 1.0)"

    def _validity(self) -> str:
        """ranking.validity_factor in SQL."""
        cases = " ".join(f"WHEN {self._param(v)} THEN {self._param(f)}" for v, f in VALIDITY_FACTORS.items())
        return f"(CASE d.validity {cases} ELSE {self._param(validity_factor(None))} END)"

    def _param(self, value: Any) -> str:
        name = f"p{len(self._params)}"
        self._params[name] = value
        return f":{name}"

    def _fts_part(self, match: str, weight: float, layout: FtsLayout, *, bigrams: bool = False) -> str:
        fts = "{bigrams}" if bigrams else "{fts}"
        return (
            f"SELECT rowid AS id, -bm25({fts}, {layout.weight_args(bigrams)}) * {weight:g} AS score "
            f"FROM {fts} WHERE {fts} MATCH {self._param(match)}"
        )

    def _required_parts(self, layout: FtsLayout) -> list[str]:
        parsed = self.parsed
        parts: list[str] = []
        terms = [fts_string(t) for t in parsed.terms if _searchable(t)]
        if terms:
            parts.append(self._fts_part(columns_expr(layout.word_columns, " OR ".join(terms)), 1.0, layout))
        for expansion in parsed.expansions:
            if _searchable(expansion.term):
                phrase = fts_string(segment(expansion.term))
                parts.append(
                    self._fts_part(columns_expr(layout.word_columns, phrase), expansion.weight, layout)
                )
        grams = [fts_string(g) for g in parsed.bigrams if _searchable(g)]
        if grams and layout.bigram_columns:
            parts.append(self._fts_part(" OR ".join(grams), 1.0, layout, bigrams=True))
        for phrase in parsed.phrases:
            if _searchable(phrase):
                expr = columns_expr(layout.word_columns, fts_string(segment(phrase)))
                parts.append(self._fts_part(expr, PHRASE_BOOST, layout))
        title_column = layout.word_columns[0]
        for title in parsed.title_phrases:
            if _searchable(title):
                expr = columns_expr((title_column,), fts_string(segment(title)))
                parts.append(self._fts_part(expr, TITLE_PHRASE_BOOST, layout))
        if self.kind is IndexKind.POLICIES and parsed.exact_titles:
            titles = ", ".join(self._param(t) for t in parsed.exact_titles)
            parts.append(f"SELECT id, {EXACT_TITLE_BOOST:g} AS score FROM {{docs}} WHERE title IN ({titles})")
        if self.kind is IndexKind.POLICIES and parsed.doc_number_key:
            key = self._param(parsed.doc_number_key)
            parts.append(
                f"SELECT id, {DOC_NUMBER_BOOST:g} AS score FROM {{docs}} WHERE doc_number_key = {key}"
            )
        return parts

    def _boost_parts(self) -> list[str]:
        if self.parsed.clause_number is None:
            return []
        number = self._param(self.parsed.clause_number)
        sub = self._param(self.parsed.clause_sub_number)
        return [
            f"SELECT DISTINCT policy_id AS id, {CLAUSE_BOOST:g} AS score FROM {{clauses}} "
            f"WHERE number = {number} AND sub_number IS {sub}"
        ]

    def _combine(self, required: list[str], boosts: list[str]) -> str:
        """The WITH list ending in ``cand(id, score)``.

        Each part is its own MATERIALIZED CTE: if SQLite flattened an FTS sub-select into the
        aggregate, bm25() would be called outside its MATCH context and fail.
        """
        ctes = [f"r{i} AS MATERIALIZED ({sql})" for i, sql in enumerate(required)]
        ctes += [f"b{i} AS MATERIALIZED ({sql})" for i, sql in enumerate(boosts)]
        req = " UNION ALL ".join(f"SELECT id, score FROM r{i}" for i in range(len(required)))
        boost = " UNION ALL ".join(f"SELECT id, score FROM b{i}" for i in range(len(boosts)))
        if not required and not boosts:
            cand = "SELECT id, 1.0 AS score FROM {docs}"
        elif not required:
            cand = f"SELECT id, SUM(score) AS score FROM ({boost}) GROUP BY id"
        elif not boosts:
            cand = f"SELECT id, SUM(score) AS score FROM ({req}) GROUP BY id"
        else:
            # A boost (clause number) only raises documents the text already matched, like a bool `should`.
            ctes.append(f"req AS MATERIALIZED ({req})")
            cand = (
                "SELECT id, SUM(score) AS score FROM (SELECT id, score FROM req UNION ALL "
                f"SELECT id, score FROM ({boost}) WHERE id IN (SELECT id FROM req)) GROUP BY id"
            )
        ctes.append(f"cand(id, score) AS MATERIALIZED ({cand})")
        return ", ".join(ctes)

    def _where(self, layout: FtsLayout) -> list[str]:
        where: list[str] = []
        for phrase in self.parsed.phrases:
            if _searchable(phrase):
                expr = self._param(columns_expr(layout.word_columns, fts_string(segment(phrase))))
                where.append(f"d.id IN (SELECT rowid FROM {{fts}} WHERE {{fts}} MATCH {expr})")
        if self.kind is IndexKind.QA:
            where.append("d.status = 'published'")
        if self.kind is IndexKind.POLICIES:
            where.extend(self._filters(self.query.filters))
        return where

    def _in(self, column: str, values: list[Any]) -> str:
        return f"{column} IN ({', '.join(self._param(v) for v in values)})"

    def _any_of(self, json_column: str, values: list[str]) -> str:
        return f"EXISTS (SELECT 1 FROM json_each({json_column}) WHERE {self._in('value', values)})"

    def _filters(self, f: SearchFilters) -> list[str]:
        where: list[str] = []
        if f.issuing_body:
            where.append(self._any_of("d.issuing_bodies", f.issuing_body))
        if f.subject_category:
            where.append(self._any_of("d.subject_category", f.subject_category))
        if f.audience:
            where.append(self._any_of("d.audiences", f.audience))
        if f.document_type:
            where.append(self._in("d.document_type", [str(t) for t in f.document_type]))
        if f.validity:
            where.append(self._in("d.validity", [str(v) for v in f.validity]))
        if f.year:
            where.append(self._in("d.year", f.year))
        if f.region:
            where.append(self._in("d.region", f.region))
        if f.source:
            where.append(self._in("d.source", f.source))
        if f.date_from:
            where.append(f"d.publish_date >= {self._param(f.date_from.isoformat())}")
        if f.date_to:
            where.append(f"d.publish_date <= {self._param(f.date_to.isoformat())}")
        return where

    def _highlight_strings(self) -> list[str]:
        tokens, texts = self.highlight_texts()
        strings = [fts_string(t) for t in tokens if _searchable(t)]
        strings += [fts_string(segment(t)) for t in texts if _searchable(t)]
        return list(dict.fromkeys(strings))

    def _word_match(self, columns: tuple[str, ...]) -> str | None:
        strings = self._highlight_strings()
        return columns_expr(columns, " OR ".join(strings)) if strings else None

    def _clause_match(self) -> str | None:
        strings = self._highlight_strings()
        return " OR ".join(strings) if strings and self.kind is IndexKind.POLICIES else None
