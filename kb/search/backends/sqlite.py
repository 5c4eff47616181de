"""The embedded backend: SQLite FTS5 in the store's database file (weighted BM25, snippets, SQL facets)."""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from kb.errors import QueryError, SearchUnavailableError
from kb.search.backends.sqlite_compiler import SqliteQueryCompiler, SqlQuery
from kb.search.backends.sqlite_index import SqliteIndex
from kb.search.backends.sqlite_pool import ReadPool
from kb.search.backends.sqlite_schema import (
    BODY_SEG_COLUMNS,
    LAYOUTS,
    META_DDL,
    SEARCH_LAYOUT,
    table,
    unpack,
    unpack_body,
)
from kb.search.base import HIT_KINDS, BaseQueryCompiler, BaseResults, BaseSearchBackend, IndexKind
from kb.search.highlight import MARK_END, MARK_START, highlight, lead
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
#: Read connections are pooled; these apply to each. A 32 MiB page cache (the default is 2 MiB): 179 judged
#: queries took 6.1-7.4 CPU s per pass with it, 8.2 s with 8 MiB. No mmap: it saved no CPU and added ~40 MB
#: to the process RSS.
READ_PRAGMAS = ("cache_size = -32768", "temp_store = MEMORY")
#: At most this many read connections per process (each holds its page cache: 2 x 32 MiB). One per thread
#: made an API worker's RSS grow with its thread pool (302 MB at rest, 480 MB peak at 8 clients); 4 still
#: peaked at 464 MB. A worker process runs on about one core, so more concurrent SQLite readers per process
#: than this only wait for a CPU anyway: further callers wait for a free connection.
READ_POOL_SIZE = 2
#: How long a caller waits for a pooled connection before the engine counts as unavailable.
READ_POOL_WAIT_SECONDS = 10.0


def database_path(settings: Settings) -> Path:
    """The store's SQLite file, or ``<data_dir>/search.db`` when the store is not SQLite."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database)
    return settings.data_dir / "search.db"


class LayoutError(SearchUnavailableError):
    """The live index was built by an older version of the embedded backend."""


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
        for doc_id, score, data_json, body, body_seg in self.raw["rows"]:
            data = json.loads(data_json)
            marks = self.raw["highlights"].get(doc_id)
            title_key = TITLE_KEYS[kind]
            title_hl = body_hl = None
            if marks and self.compiler.query.highlight:
                title_marked, body_marked = marks
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
    """SQLite FTS5 backend; reads share a bounded pool of connections, writes open their own."""

    name = "sqlite"
    index_class = SqliteIndex
    query_compiler_class = SqliteQueryCompiler
    results_class = SqliteResults

    def __init__(self, settings: Settings, **kwargs: Any) -> None:
        super().__init__(settings, **kwargs)
        self.path = database_path(settings)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._pool = ReadPool(self._open_reader, READ_POOL_SIZE, READ_POOL_WAIT_SECONDS)
        self._layouts: dict[str, int | None] = {}
        with self.write() as conn:
            for statement in META_DDL.split(";"):
                if statement.strip():
                    conn.execute(statement)

    def _open(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise SearchUnavailableError(f"cannot open search database {self.path}: {exc}") from exc
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.create_function("pk_unzip", 1, unpack, deterministic=True)
        try:
            conn.execute("SELECT pow(2, 2)")
        except sqlite3.OperationalError:  # built without the math functions: the ranking needs pow()
            conn.create_function("pow", 2, math.pow, deterministic=True)
        return conn

    def _open_reader(self) -> sqlite3.Connection:
        conn = self._open()
        for pragma in READ_PRAGMAS:
            conn.execute(f"PRAGMA {pragma}")
        return conn

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A pooled connection in one read transaction: the alias and the tables it names stay consistent."""
        conn = self._pool.acquire()
        healthy = False
        try:
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
            healthy = True
        except sqlite3.OperationalError as exc:
            raise SearchUnavailableError(f"search database {self.path} is unavailable: {exc}") from exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            healthy = not conn.in_transaction
            raise
        finally:
            self._pool.release(conn, keep=healthy)

    def close(self) -> None:
        self._pool.close()

    def check_layout(self, conn: sqlite3.Connection, version: str) -> None:
        """Refuse a version built by another table layout, with what to do about it."""
        if version not in self._layouts:
            row = conn.execute("SELECT layout FROM search_layouts WHERE version = ?", (version,)).fetchone()
            self._layouts[version] = int(row[0]) if row else None
        layout = self._layouts[version]
        if layout != SEARCH_LAYOUT:
            built = f"layout {layout}" if layout else "the first table layout"
            raise LayoutError(
                f"the search index {version} in {self.path} was built with {built}; this version reads "
                f"layout {SEARCH_LAYOUT}: run `policykb reindex` to rebuild it",
                message_zh="检索索引需要重建，请运行 policykb reindex",
            )

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
            self.check_layout(conn, row[0])
            names = {p: table(row[0], p) for p in ("docs", "fts", "bigrams")}
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
        dated = ", d.publish_date AS publish_date" if kind is IndexKind.POLICIES else ""
        conn.execute(
            f"CREATE TEMP TABLE pk_hits AS WITH {cand} SELECT d.id AS id, {sq.score_expr} AS score{dated} "
            f"FROM cand JOIN {docs} d ON d.id = cand.id WHERE {where}",
            sq.params,
        )
        joined = f"temp.pk_hits h JOIN {docs} d ON d.id = h.id"
        # Page on the temp table alone, then read the display columns of the page only.
        page = conn.execute(
            f"SELECT h.id, h.score FROM temp.pk_hits h ORDER BY {sq.order_by} LIMIT ? OFFSET ?",
            (sq.limit, sq.offset),
        ).fetchall()
        shown: dict[int, tuple[str, str, str]] = {}
        for doc_id, data, body, packed_seg in conn.execute(
            f"SELECT id, data, body, {BODY_SEG_COLUMNS[kind]} FROM {docs} "
            f"WHERE id IN ({', '.join('?' for _ in page)})",
            [r[0] for r in page],
        ):
            body_seg = unpack(packed_seg) or ""
            shown[doc_id] = (data, unpack_body(body, body_seg), body_seg)
        rows = [(doc_id, score, *shown[doc_id]) for doc_id, score in page]
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
        bodies = {r[0]: (r[3], r[4]) for r in rows}
        clauses = self._clauses(conn, sq, names, bodies) if ids and kind is IndexKind.POLICIES else {}
        return {"rows": rows, "total": total, "facets": facets, "highlights": highlights, "clauses": clauses}

    def _highlights(
        self, conn: sqlite3.Connection, kind: IndexKind, sq: SqlQuery, names: dict[str, str], ids: list[int]
    ) -> dict[int, tuple[str, str]]:
        layout = LAYOUTS[kind]
        title_col, body_col = HIGHLIGHT_COLUMNS[kind]
        fts = names["fts"]
        marks = (MARK_START, MARK_END)
        sql = (
            f"SELECT rowid, highlight({fts}, {layout.index_of(title_col)}, ?, ?), "
            f"snippet({fts}, {layout.index_of(body_col)}, ?, ?, '', {SNIPPET_TOKENS}) "
            f"FROM {fts} WHERE {fts} MATCH ? AND rowid IN ({', '.join('?' for _ in ids)})"
        )
        rows = conn.execute(sql, (*marks, *marks, sq.highlight_match, *ids)).fetchall()
        return {r[0]: (r[1], r[2]) for r in rows}

    def _clauses(
        self,
        conn: sqlite3.Connection,
        sq: SqlQuery,
        names: dict[str, str],
        bodies: dict[int, tuple[str, str]],
    ) -> dict[int, ClauseHit]:
        """The clause shown under each policy of the page: the asked-for number, else the best match.

        ``bodies``: per page policy, (body, segmented body); a clause is cut out of them by its offsets.
        """
        clauses = names["clauses"]
        ids = list(bodies)
        in_ids = ", ".join("?" for _ in ids)
        if sq.clause_number is not None:
            chosen = conn.execute(
                f"SELECT policy_id, id FROM {clauses} WHERE policy_id IN ({in_ids}) AND number = ? "
                "AND sub_number IS ? ORDER BY position",
                (*ids, sq.clause_number, sq.clause_sub_number),
            ).fetchall()
        elif sq.clause_match:
            chosen = self._best_clauses(conn, sq.clause_match, names, ids)
        else:
            chosen = []
        first: dict[int, int] = {}
        for policy_id, clause_id in chosen:
            first.setdefault(policy_id, clause_id)
        if not first:
            return {}
        rows = conn.execute(
            f"""SELECT id, policy_id, number, sub_number, label, start, stop, seg_start, seg_stop,
                text, text_seg FROM {clauses} WHERE id IN ({", ".join("?" for _ in first)})""",
            tuple(first.values()),
        ).fetchall()
        marked = self._marked_clauses(conn, sq.clause_match, names, list(first.values()))
        found: dict[int, ClauseHit] = {}
        for clause_id, policy_id, number, sub, label, start, stop, seg_start, seg_stop, own, own_seg in rows:
            body, body_seg = bodies[policy_id]
            text = unpack(own) if own is not None else body[start:stop]
            text_seg = unpack(own_seg) if own_seg is not None else body_seg[seg_start:seg_stop]
            assert text is not None and text_seg is not None
            found[policy_id] = ClauseHit(
                number=number,
                sub_number=sub,
                label=label,
                text=text,
                highlight=highlight(marked.get(clause_id), text_seg, text),
            )
        return found

    @staticmethod
    def _best_clauses(
        conn: sqlite3.Connection, clause_match: str, names: dict[str, str], ids: list[int]
    ) -> list[tuple[int, int]]:
        """(policy id, clause id) of the best-matching clause (bm25, then clause id) of each page policy.

        FTS5 cannot combine MATCH with ``rowid IN (subquery)`` cheaply: it scores every matching clause of
        the corpus first (tens of thousands for common words). A policy's clauses are written together, so
        their ids form a narrow range; a MATCH restricted to each range only visits that policy's clauses.
        """
        clauses, clauses_fts = names["clauses"], names["clauses_fts"]
        ranges = conn.execute(
            f"SELECT policy_id, MIN(id), MAX(id) FROM {clauses} "
            f"WHERE policy_id IN ({', '.join('?' for _ in ids)}) GROUP BY policy_id",
            tuple(ids),
        ).fetchall()
        sql = (
            f"SELECT c.id FROM {clauses_fts} JOIN {clauses} c ON c.id = {clauses_fts}.rowid "
            f"WHERE {clauses_fts} MATCH ? AND {clauses_fts}.rowid BETWEEN ? AND ? AND c.policy_id = ? "
            f"ORDER BY bm25({clauses_fts}), c.id LIMIT 1"
        )
        best: list[tuple[int, int]] = []
        for policy_id, low, high in ranges:
            row = conn.execute(sql, (clause_match, low, high, policy_id)).fetchone()
            if row is not None:
                best.append((policy_id, row[0]))
        return best

    @staticmethod
    def _marked_clauses(
        conn: sqlite3.Connection, clause_match: str | None, names: dict[str, str], clause_ids: list[int]
    ) -> dict[int, str]:
        """The marked (highlight()) text of those clauses that match."""
        if not clause_match:
            return {}
        clauses_fts = names["clauses_fts"]
        sql = (
            f"SELECT highlight({clauses_fts}, 0, ?, ?) FROM {clauses_fts} "
            f"WHERE {clauses_fts} MATCH ? AND rowid = ?"
        )
        marked: dict[int, str] = {}
        for clause_id in clause_ids:
            row = conn.execute(sql, (MARK_START, MARK_END, clause_match, clause_id)).fetchone()
            if row is not None:
                marked[clause_id] = row[0]
        return marked

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
