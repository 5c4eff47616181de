"""The embedded backend: SQLite FTS5 in the store's database file (weighted BM25, snippets, SQL facets)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from kb.errors import QueryError, SearchUnavailableError
from kb.search.backends.sqlite_compiler import SqliteQueryCompiler, SqlQuery
from kb.search.backends.sqlite_index import SqliteIndex
from kb.search.backends.sqlite_schema import LAYOUTS, META_DDL, table
from kb.search.base import HIT_KINDS, BaseQueryCompiler, BaseResults, BaseSearchBackend, IndexKind
from kb.search.highlight import MARK_END, MARK_START, highlight, lead
from kb.search.ranking import recency_factor, validity_factor
from kb.search.results import ClauseHit, FacetBucket, InterpretationRef, SearchHit
from kb.settings import Settings

#: Facet name -> (column, is a JSON list).
FACET_COLUMNS: dict[str, tuple[str, bool]] = {
    "issuing_bodies": ("issuing_bodies", True),
    "subject_category": ("subject_category", True),
    "audiences": ("audiences", True),
    "document_type": ("document_type", False),
    "validity": ("validity", False),
    "year": ("year", False),
    "region": ("region", False),
    "source": ("source", False),
}
#: Per kind: (FTS column shown whole as the title, FTS column snippeted for the body).
HIGHLIGHT_COLUMNS: dict[IndexKind, tuple[str, str]] = {
    IndexKind.POLICIES: ("title_seg", "body_seg"),
    IndexKind.QA: ("question_seg", "answer_seg"),
    IndexKind.GLOSSARY: ("term_seg", "definition_seg"),
}
TITLE_KEYS: dict[IndexKind, str] = {
    IndexKind.POLICIES: "title",
    IndexKind.QA: "question",
    IndexKind.GLOSSARY: "term",
}
SNIPPET_TOKENS = 48
BUSY_TIMEOUT_MS = 10_000


def database_path(settings: Settings) -> Path:
    """The store's SQLite file, or ``<data_dir>/search.db`` when the store is not SQLite."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return settings.data_dir / "search.db"


def _recency(published: str | None) -> float:
    return recency_factor(date.fromisoformat(published) if published else None)


class SqliteResults(BaseResults):
    """Turns the executor's rows into SearchHits."""

    raw: dict[str, Any]

    def total(self) -> int:
        return int(self.raw["total"])

    def facets(self) -> dict[str, list[FacetBucket]]:
        return {
            name: [FacetBucket(value=str(v), count=int(c)) for v, c in rows]
            for name, rows in self.raw["facets"].items()
        }

    def hits(self) -> list[SearchHit]:
        kind = self.compiler.kind
        hits: list[SearchHit] = []
        for doc_id, score, data_json, body in self.raw["rows"]:
            data = json.loads(data_json)
            marks = self.raw["highlights"].get(doc_id)
            title_key = TITLE_KEYS[kind]
            title_hl = body_hl = None
            if marks and self.compiler.query.highlight:
                title_marked, body_marked, body_seg = marks
                title_hl = highlight(
                    title_marked, title_marked.replace(MARK_START, "").replace(MARK_END, ""), data[title_key]
                )
                body_hl = highlight(body_marked, body_seg, body)
            if body_hl is None and self.compiler.query.highlight and body:
                body_hl = lead(body)
            hit = SearchHit(
                kind=HIT_KINDS[kind],
                id=doc_id,
                score=float(score),
                title=data[title_key],
                highlight=body_hl,
                title_highlight=title_hl,
                source=data.get("source"),
                source_id=data.get("source_id"),
            )
            if kind is IndexKind.POLICIES:
                hit.url = data.get("url")
                hit.doc_number = data.get("doc_number")
                hit.issuing_bodies = data.get("issuing_bodies") or []
                hit.document_type = data.get("document_type")
                hit.validity = data.get("validity")
                hit.publish_date = data.get("publish_date")
                hit.interpretations = [InterpretationRef(**i) for i in data.get("interpretations") or []]
                hit.clause = self.raw["clauses"].get(doc_id)
            elif kind is IndexKind.QA:
                hit.question, hit.answer = data["question"], data["answer"]
                hit.alternative_questions = data.get("alternative_questions") or []
                hit.policy_id, hit.department = data.get("policy_id"), data.get("department")
                hit.clause_label = data.get("clause_label")
            else:
                hit.aliases, hit.definition = data.get("aliases") or [], data.get("definition")
            hits.append(hit)
        return hits


class SqliteSearchBackend(BaseSearchBackend):
    """SQLite FTS5 backend; every call opens its own connection (cheap, thread-safe)."""

    name = "sqlite"
    index_class = SqliteIndex
    query_compiler_class = SqliteQueryCompiler
    results_class = SqliteResults

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.path = database_path(settings)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.write() as conn:
            for statement in META_DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise SearchUnavailableError(f"cannot open search database {self.path}: {exc}") from exc
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.create_function("pk_validity", 1, validity_factor, deterministic=True)
        conn.create_function("pk_recency", 1, _recency)
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one read transaction: the alias and the tables it names stay consistent."""
        conn = self._open()
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise SearchUnavailableError(f"search database {self.path} is unavailable: {exc}") from exc
        finally:
            conn.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A connection inside one write transaction (committed on success, rolled back on error)."""
        conn = self._open()
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")  # readers never block the reindex writer
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            raise SearchUnavailableError(f"search database {self.path} is unavailable: {exc}") from exc
        finally:
            conn.close()

    def execute(self, compiler: BaseQueryCompiler) -> dict[str, Any]:
        assert isinstance(compiler, SqliteQueryCompiler)
        sq = compiler.compile()
        empty: dict[str, Any] = {"rows": [], "total": 0, "facets": {}, "highlights": {}, "clauses": {}}
        with self.connect() as conn:
            row = conn.execute(
                "SELECT version FROM search_aliases WHERE kind = ?", (compiler.kind.value,)
            ).fetchone()
            if row is None:
                return empty
            names = {p: table(row[0], p) for p in ("docs", "fts")}
            if compiler.kind is IndexKind.POLICIES:
                names |= {p: table(row[0], p) for p in ("clauses", "clauses_fts")}
            try:
                return self._execute(conn, compiler.kind, sq, names, compiler.query.highlight)
            except sqlite3.OperationalError as exc:
                if "fts5" in str(exc) or "syntax" in str(exc):
                    raise QueryError(f"the query could not be compiled for FTS5: {exc}") from exc
                raise

    def _execute(
        self,
        conn: sqlite3.Connection,
        kind: IndexKind,
        sq: SqlQuery,
        names: dict[str, str],
        compiler_highlight: bool,
    ) -> dict[str, Any]:
        cand = sq.candidates.format(**names)
        where = " AND ".join(w.format(**names) for w in sq.where) or "1"
        docs = names["docs"]
        # Score and filter the candidates once; page, total and every facet then read the small temp table.
        conn.execute("DROP TABLE IF EXISTS temp.pk_hits")
        conn.execute(
            f"CREATE TEMP TABLE pk_hits AS WITH {cand} SELECT d.id AS id, {sq.score_expr} AS score "
            f"FROM cand JOIN {docs} d ON d.id = cand.id WHERE {where}",
            sq.params,
        )
        joined = f"temp.pk_hits h JOIN {docs} d ON d.id = h.id"
        rows = conn.execute(
            f"SELECT d.id, h.score AS score, d.data, d.body FROM {joined} ORDER BY {sq.order_by} "
            "LIMIT ? OFFSET ?",
            (sq.limit, sq.offset),
        ).fetchall()
        (total,) = conn.execute("SELECT count(*) FROM temp.pk_hits").fetchone()
        facets: dict[str, list[tuple[Any, int]]] = {}
        for name in sq.facets:
            column, is_list = FACET_COLUMNS[name]
            if is_list:
                sql = f"SELECT j.value, count(*) FROM {joined}, json_each(d.{column}) j GROUP BY j.value"
                sql += " ORDER BY count(*) DESC, j.value LIMIT ?"
            else:
                sql = f"SELECT d.{column}, count(*) FROM {joined} WHERE d.{column} IS NOT NULL"
                sql += f" GROUP BY d.{column} ORDER BY count(*) DESC, d.{column} LIMIT ?"
            facets[name] = [(v, c) for v, c in conn.execute(sql, (sq.facet_size,))]
        ids = [r[0] for r in rows]
        wanted = ids and sq.highlight_match and compiler_highlight
        highlights = self._highlights(conn, kind, sq, names, ids) if wanted else {}
        clauses = self._clauses(conn, sq, names, ids) if ids and kind is IndexKind.POLICIES else {}
        return {"rows": rows, "total": total, "facets": facets, "highlights": highlights, "clauses": clauses}

    def _highlights(
        self, conn: sqlite3.Connection, kind: IndexKind, sq: SqlQuery, names: dict[str, str], ids: list[int]
    ) -> dict[int, tuple[str, str, str]]:
        layout = LAYOUTS[kind]
        title_col, body_col = HIGHLIGHT_COLUMNS[kind]
        fts = names["fts"]
        marks = (MARK_START, MARK_END)
        sql = (
            f"SELECT rowid, highlight({fts}, {layout.index_of(title_col)}, ?, ?), "
            f"snippet({fts}, {layout.index_of(body_col)}, ?, ?, '', {SNIPPET_TOKENS}), {body_col} "
            f"FROM {fts} WHERE {fts} MATCH ? AND rowid IN ({', '.join('?' for _ in ids)})"
        )
        rows = conn.execute(sql, (*marks, *marks, sq.highlight_match, *ids)).fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def _clauses(
        self, conn: sqlite3.Connection, sq: SqlQuery, names: dict[str, str], ids: list[int]
    ) -> dict[int, ClauseHit]:
        clauses = names["clauses"]
        in_ids = ", ".join("?" for _ in ids)
        found: dict[int, ClauseHit] = {}
        marked: dict[int, str] = {}
        if sq.clause_match:
            marked = self._matching_clauses(conn, sq.clause_match, names, ids)
        cols = "id, policy_id, number, sub_number, label, text, text_seg"
        if sq.clause_number is not None:
            rows = conn.execute(
                f"SELECT {cols} FROM {clauses} WHERE policy_id IN ({in_ids}) AND number = ? "
                "AND sub_number IS ? ORDER BY position",
                (*ids, sq.clause_number, sq.clause_sub_number),
            ).fetchall()
        elif marked:
            order = {clause_id: rank for rank, clause_id in enumerate(marked)}
            rows = conn.execute(
                f"SELECT {cols} FROM {clauses} WHERE id IN ({', '.join('?' for _ in marked)})", tuple(marked)
            ).fetchall()
            rows.sort(key=lambda r: order[r[0]])
        else:
            rows = []
        for clause_id, policy_id, number, sub, label, text, text_seg in rows:
            if policy_id in found:
                continue
            found[policy_id] = ClauseHit(
                number=number,
                sub_number=sub,
                label=label,
                text=text,
                highlight=highlight(marked.get(clause_id), text_seg, text),
            )
        return found

    @staticmethod
    def _matching_clauses(
        conn: sqlite3.Connection, clause_match: str, names: dict[str, str], ids: list[int]
    ) -> dict[int, str]:
        """Clauses of the page's policies that match, best bm25 first, with their marked text.

        FTS5 cannot combine MATCH with ``rowid IN (subquery)`` cheaply: it scores every matching clause of
        the corpus first (tens of thousands for common words). A policy's clauses are written together, so
        their ids form a narrow range; a MATCH restricted to each range only visits that policy's clauses.
        """
        clauses, clauses_fts = names["clauses"], names["clauses_fts"]
        in_ids = ", ".join("?" for _ in ids)
        ranges = conn.execute(
            f"SELECT policy_id, MIN(id), MAX(id) FROM {clauses} "
            f"WHERE policy_id IN ({in_ids}) GROUP BY policy_id",
            tuple(ids),
        ).fetchall()
        sql = (
            f"SELECT c.id, highlight({clauses_fts}, 0, ?, ?), bm25({clauses_fts}) FROM {clauses_fts} "
            f"JOIN {clauses} c ON c.id = {clauses_fts}.rowid WHERE {clauses_fts} MATCH ? "
            f"AND {clauses_fts}.rowid BETWEEN ? AND ? AND c.policy_id = ?"
        )
        scored: list[tuple[float, int, str]] = []
        for policy_id, low, high in ranges:
            for clause_id, text, score in conn.execute(
                sql, (MARK_START, MARK_END, clause_match, low, high, policy_id)
            ):
                scored.append((score, clause_id, text))
        scored.sort()
        return {clause_id: text for _, clause_id, text in scored}

    def suggest(self, prefix: str, size: int = 10) -> list[str]:
        prefix = prefix.strip()
        if not prefix:
            return []
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with self.connect() as conn:
            row = conn.execute("SELECT version FROM search_aliases WHERE kind = 'policies'").fetchone()
            if row is None:
                return []
            rows = conn.execute(
                f"SELECT DISTINCT title FROM {table(row[0], 'docs')} WHERE title LIKE ? ESCAPE '\\' "
                "ORDER BY title LIMIT ?",
                (escaped + "%", size),
            ).fetchall()
        return [r[0] for r in rows]

    def ping(self) -> bool:
        try:
            with self.connect() as conn:
                conn.execute("SELECT 1").fetchone()
        except SearchUnavailableError:
            return False
        return True


SearchBackend = SqliteSearchBackend
