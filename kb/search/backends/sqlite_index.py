"""Writes to the SQLite FTS5 index: versions, bulk upsert with per-document accounting, alias swap."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from kb.errors import SearchError
from kb.search.backends.sqlite_schema import (
    LAYOUTS,
    SEARCH_LAYOUT,
    VERSION_NAME,
    create_ddl,
    drop_ddl,
    pack,
    pack_body,
    table,
    unpack,
)
from kb.search.base import BaseIndex, BulkFailure, BulkReport, Document, IndexKind
from kb.search.documents import GlossaryDocument, PolicyDocument, QADocument

if TYPE_CHECKING:
    from kb.search.backends.sqlite import SqliteSearchBackend  # noqa: F401 - named in a string below

BATCH_SIZE = 200

#: The display fields kept as JSON per kind (what a hit shows).
DISPLAY_FIELDS: dict[IndexKind, set[str]] = {
    IndexKind.POLICIES: {
        "id",
        "source",
        "source_id",
        "url",
        "title",
        "doc_number",
        "issuing_bodies",
        "document_type",
        "validity",
        "publish_date",
        "interpretations",
    },
    IndexKind.QA: {
        "id",
        "source",
        "source_id",
        "question",
        "alternative_questions",
        "answer",
        "policy_id",
        "policy_title",
        "clause_label",
        "department",
    },
    IndexKind.GLOSSARY: {"id", "term", "aliases", "definition", "category"},
}
DOCUMENT_TYPES: dict[IndexKind, type[Document]] = {
    IndexKind.POLICIES: PolicyDocument,
    IndexKind.QA: QADocument,
    IndexKind.GLOSSARY: GlossaryDocument,
}


def _batches(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class SqliteIndex(BaseIndex["SqliteSearchBackend"]):
    """One index kind in the SQLite file; a version is a set of tables, the alias a row."""

    def current_version(self) -> str | None:
        with self.backend.connect() as conn:
            row = conn.execute(
                "SELECT version FROM search_aliases WHERE kind = ?", (self.kind.value,)
            ).fetchone()
        return row[0] if row else None

    def list_versions(self) -> list[str]:
        with self.backend.connect() as conn:
            rows = conn.execute(
                "SELECT version FROM search_versions WHERE kind = ? ORDER BY number", (self.kind.value,)
            ).fetchall()
        return [r[0] for r in rows]

    def create_version(self) -> str:
        with self.backend.write() as conn:
            (number,) = conn.execute(
                "SELECT COALESCE(MAX(number), 0) + 1 FROM search_versions WHERE kind = ?", (self.kind.value,)
            ).fetchone()
            version = f"{self.kind.value}_v{number}"
            for statement in create_ddl(self.kind, version):
                conn.execute(statement)
            conn.execute(
                "INSERT INTO search_versions(version, kind, number) VALUES (?, ?, ?)",
                (version, self.kind.value, number),
            )
            conn.execute(
                "INSERT INTO search_layouts(version, layout) VALUES (?, ?)", (version, SEARCH_LAYOUT)
            )
        return version

    def swap_alias(self, version: str) -> None:
        self._check(version)
        with self.backend.write() as conn:
            conn.execute(
                "INSERT INTO search_aliases(kind, version) VALUES (?, ?) "
                "ON CONFLICT(kind) DO UPDATE SET version = excluded.version",
                (self.kind.value, version),
            )

    def refresh(self, *, version: str | None = None) -> None:
        """Writes are visible at once; a version built to be swapped in gets its FTS5 b-trees merged
        (``optimize``: one segment per table, a few % smaller and fewer segments to read per term)."""
        if version is None:
            return
        self._check(version)
        parts = ["fts", "bigrams"] + (["clauses_fts"] if self.kind is IndexKind.POLICIES else [])
        with self.backend.write() as conn:
            for part in parts:
                name = table(version, part)
                if conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
                    conn.execute(f"INSERT INTO {name}({name}) VALUES ('optimize')")

    def drop_version(self, version: str) -> None:
        self._check(version)
        if version == self.current_version():
            raise SearchError(f"refusing to drop {version}: the {self.kind.value} alias points to it")
        with self.backend.write() as conn:
            for statement in drop_ddl(self.kind, version):
                conn.execute(statement)
            conn.execute("DELETE FROM search_versions WHERE version = ?", (version,))
            conn.execute("DELETE FROM search_layouts WHERE version = ?", (version,))

    def _check(self, version: str) -> None:
        match = VERSION_NAME.match(version)
        if not match or match.group(1) != self.kind.value:
            raise SearchError(f"{version!r} is not a version of the {self.kind.value} index")

    def _target(self, version: str | None) -> str:
        if version is None:
            version = self.ensure()
        else:
            self._check(version)
        with self.backend.connect() as conn:
            self.backend.check_layout(conn, version)
        return version

    def count(self, *, version: str | None = None) -> int:
        target = version or self.current_version()
        if target is None:
            return 0
        with self.backend.connect() as conn:
            (n,) = conn.execute(f"SELECT count(*) FROM {table(target, 'docs')}").fetchone()
        return int(n)

    def policies_citing(self, interpretation_ids: Iterable[int]) -> list[int]:
        wanted = sorted(set(interpretation_ids))
        target = self.current_version()
        if not wanted or target is None or self.kind is not IndexKind.POLICIES:
            return []
        marks = ", ".join("?" for _ in wanted)
        with self.backend.connect() as conn:
            rows = conn.execute(
                f"SELECT id FROM {table(target, 'docs')} d WHERE EXISTS "
                f"(SELECT 1 FROM json_each(d.interpretation_ids) WHERE value IN ({marks})) ORDER BY id",
                wanted,
            ).fetchall()
        return [r[0] for r in rows]

    def bulk_index(self, documents: Iterable[Document], *, version: str | None = None) -> BulkReport:
        target = self._target(version)
        report = BulkReport()
        expected = DOCUMENT_TYPES[self.kind]
        for batch in _batches(documents, BATCH_SIZE):
            with self.backend.write() as conn:
                for doc in batch:
                    report.submitted += 1
                    if not isinstance(doc, expected):
                        report.failed.append(
                            BulkFailure(
                                id=str(getattr(doc, "id", "?")),
                                reason=f"expected {expected.__name__}, got {type(doc).__name__}",
                            )
                        )
                        continue
                    try:
                        conn.execute("SAVEPOINT doc")
                        self._remove(conn, target, doc.id)
                        self._insert(conn, target, doc)
                        conn.execute("RELEASE doc")
                        report.indexed += 1
                    except sqlite3.Error as exc:
                        conn.execute("ROLLBACK TO doc")
                        conn.execute("RELEASE doc")
                        report.failed.append(BulkFailure(id=str(doc.id), reason=f"sqlite: {exc}"))
        return report

    def delete(self, ids: Iterable[int], *, version: str | None = None) -> BulkReport:
        target = self._target(version)
        report = BulkReport()
        for batch in _batches(ids, BATCH_SIZE):
            with self.backend.write() as conn:
                for doc_id in batch:
                    report.submitted += 1
                    self._remove(conn, target, int(doc_id))
                    report.deleted += 1
        return report

    def _remove(self, conn: sqlite3.Connection, version: str, doc_id: int) -> None:
        layout = LAYOUTS[self.kind]
        docs, fts = table(version, "docs"), table(version, "fts")
        columns = ", ".join(layout.word_columns)
        old = conn.execute(f"SELECT {columns} FROM {docs} WHERE id = ?", (doc_id,)).fetchone()
        if old is None:
            return
        # External-content and contentless FTS5 tables need the old values to delete their postings.
        words = {c: unpack(v) for c, v in zip(layout.word_columns, old, strict=True)}
        marks = ", ".join("?" for _ in layout.word_columns)
        conn.execute(
            f"INSERT INTO {fts}({fts}, rowid, {columns}) VALUES ('delete', ?, {marks})",
            (doc_id, *words.values()),
        )
        if layout.bigram_columns:
            bigrams = table(version, "bigrams")
            conn.execute(
                f"INSERT INTO {bigrams}({bigrams}, rowid, {', '.join(layout.bigram_columns)}) "
                f"VALUES ('delete', ?, {', '.join('?' for _ in layout.bigram_columns)})",
                (doc_id, *layout.bigram_values(words)),
            )
        if self.kind is IndexKind.POLICIES:
            clauses, clauses_fts = table(version, "clauses"), table(version, "clauses_fts")
            old_clauses = conn.execute(
                f"SELECT t.id, t.text_seg FROM {table(version, 'clause_text')} t "
                f"WHERE t.id IN (SELECT id FROM {clauses} WHERE policy_id = ?)",
                (doc_id,),
            ).fetchall()
            conn.executemany(
                f"INSERT INTO {clauses_fts}({clauses_fts}, rowid, text_seg) VALUES ('delete', ?, ?)",
                old_clauses,
            )
            conn.execute(f"DELETE FROM {clauses} WHERE policy_id = ?", (doc_id,))
        conn.execute(f"DELETE FROM {docs} WHERE id = ?", (doc_id,))

    def _insert(self, conn: sqlite3.Connection, version: str, doc: Document) -> None:
        layout = LAYOUTS[self.kind]
        data = doc.model_dump_json(include=DISPLAY_FIELDS[self.kind])
        words: dict[str, str | None] = {c: getattr(doc, c) for c in layout.word_columns}
        columns = ", ".join(layout.word_columns)
        marks = ", ".join("?" for _ in layout.word_columns)
        conn.execute(
            f"INSERT INTO {table(version, 'fts')}(rowid, {columns}) VALUES (?, {marks})",
            (doc.id, *words.values()),
        )
        if layout.bigram_columns:
            conn.execute(
                f"INSERT INTO {table(version, 'bigrams')}(rowid, {', '.join(layout.bigram_columns)}) "
                f"VALUES (?, {', '.join('?' for _ in layout.bigram_columns)})",
                (doc.id, *layout.bigram_values(words)),
            )
        packed = [pack(v or "") for v in words.values()]
        if isinstance(doc, PolicyDocument):
            self._insert_policy(conn, version, doc, data, columns, packed)
        elif isinstance(doc, QADocument):
            conn.execute(
                f"INSERT INTO {table(version, 'docs')}(id, data, body, status, source, {columns}) "
                f"VALUES (?, ?, ?, ?, ?, {marks})",
                (doc.id, data, pack_body(doc.answer, doc.answer_seg), doc.status, doc.source, *packed),
            )
        else:
            assert isinstance(doc, GlossaryDocument)
            conn.execute(
                f"INSERT INTO {table(version, 'docs')}(id, data, body, term, {columns}) "
                f"VALUES (?, ?, ?, ?, {marks})",
                (doc.id, data, pack_body(doc.definition, doc.definition_seg), doc.term, *packed),
            )

    def _insert_policy(
        self,
        conn: sqlite3.Connection,
        version: str,
        doc: PolicyDocument,
        data: str,
        columns: str,
        packed: list[bytes | None],
    ) -> None:
        conn.execute(
            f"""INSERT INTO {table(version, "docs")}(id, data, body, title, source, doc_number_key,
                document_type, validity, year, publish_date, region, issuing_bodies, subject_category,
                audiences, interpretation_ids, {columns})
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {", ".join("?" for _ in packed)})""",
            (
                doc.id,
                data,
                pack_body(doc.body, doc.body_seg),
                doc.title,
                doc.source,
                doc.doc_number_key,
                doc.document_type,
                doc.validity,
                doc.year,
                doc.publish_date.isoformat() if doc.publish_date else None,
                doc.region,
                json.dumps(doc.issuing_bodies, ensure_ascii=False),
                json.dumps(doc.subject_category, ensure_ascii=False),
                json.dumps(doc.audiences, ensure_ascii=False),
                json.dumps(doc.interpretation_ids),
                *packed,
            ),
        )
        clauses, clauses_fts = table(version, "clauses"), table(version, "clauses_fts")
        for position, (clause, cut) in enumerate(zip(doc.clauses, clause_offsets(doc), strict=True)):
            explicit = cut is None
            start, stop, seg_start, seg_stop = cut or (None, None, None, None)
            cursor = conn.execute(
                f"""INSERT INTO {clauses}(policy_id, position, number, sub_number, label, start, stop,
                    seg_start, seg_stop, text, text_seg) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    doc.id,
                    position,
                    clause.number,
                    clause.sub_number,
                    clause.label,
                    start,
                    stop,
                    seg_start,
                    seg_stop,
                    pack(clause.text) if explicit else None,
                    pack(clause.text_seg) if explicit else None,
                ),
            )
            conn.execute(
                f"INSERT INTO {clauses_fts}(rowid, text_seg) VALUES (?, ?)",
                (cursor.lastrowid, clause.text_seg),
            )


def clause_offsets(doc: PolicyDocument) -> list[tuple[int, int, int, int] | None]:
    """Per clause, (start, stop) in the body and (seg_start, seg_stop) in the segmented body, or None when
    the clause text (or its segmented text) is not that piece of the body: it is then stored itself."""
    out: list[tuple[int, int, int, int] | None] = []
    cursor = seg_cursor = 0
    for clause in doc.clauses:
        start = doc.body.find(clause.text, cursor) if clause.text else -1
        seg_start = doc.body_seg.find(clause.text_seg, seg_cursor) if clause.text_seg else -1
        if start < 0 or seg_start < 0:
            out.append(None)
            continue
        stop, seg_stop = start + len(clause.text), seg_start + len(clause.text_seg)
        out.append((start, stop, seg_start, seg_stop))
        cursor, seg_cursor = stop, seg_stop
    return out
