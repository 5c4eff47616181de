"""SQLite FTS5 index definitions: per index kind, a docs table (filters, display JSON) and FTS5 tables.

Every version of an index is its own set of tables (``policies_v3_docs``, ``policies_v3_fts``, ...);
``search_aliases`` maps each kind to its live version, so a reindex builds beside the live one and swaps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.search.base import IndexKind
from kb.search.documents import ZWSP
from kb.search.ranking import (
    GLOSSARY_FIELD_BOOSTS,
    POLICY_BIGRAM_BOOSTS,
    POLICY_FIELD_BOOSTS,
    QA_BIGRAM_BOOSTS,
    QA_FIELD_BOOSTS,
)

# U+200B splits tokens; unicode61 already splits on whitespace and punctuation. No diacritic folding, so
# both backends (ES/OpenSearch lowercase only) see the same tokens.
TOKENIZE = f"unicode61 remove_diacritics 0 separators '{ZWSP}'"
VERSION_NAME = re.compile(r"^(policies|qa|glossary)_v([0-9]{1,9})$")

META_DDL = """
CREATE TABLE IF NOT EXISTS search_aliases (
    kind TEXT PRIMARY KEY,
    version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS search_versions (
    version TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    number INTEGER NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now'))
);
"""


@dataclass(frozen=True)
class FtsLayout:
    """The FTS5 columns of one index kind, in table order, with their bm25 weights."""

    columns: tuple[str, ...]
    weights: tuple[float, ...]
    word_columns: tuple[str, ...]
    bigram_columns: tuple[str, ...]

    def weight_args(self) -> str:
        return ", ".join(f"{w:g}" for w in self.weights)

    def index_of(self, column: str) -> int:
        return self.columns.index(column)


def _layout(words: dict[str, float], bigrams: dict[str, float]) -> FtsLayout:
    columns = (*words, *bigrams)
    return FtsLayout(columns, (*words.values(), *bigrams.values()), tuple(words), tuple(bigrams))


LAYOUTS: dict[IndexKind, FtsLayout] = {
    IndexKind.POLICIES: _layout(POLICY_FIELD_BOOSTS, POLICY_BIGRAM_BOOSTS),
    IndexKind.QA: _layout(QA_FIELD_BOOSTS, QA_BIGRAM_BOOSTS),
    IndexKind.GLOSSARY: _layout(GLOSSARY_FIELD_BOOSTS, {}),
}

# Large columns (data, body) come last: SQLite reads a row's columns in order, so filters and facets on the
# small columns never walk the overflow pages of a long body.
_DOCS_COLUMNS: dict[IndexKind, str] = {
    IndexKind.POLICIES: """
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        doc_number_key TEXT,
        document_type TEXT,
        validity TEXT NOT NULL,
        year INTEGER,
        publish_date TEXT,
        region TEXT,
        issuing_bodies TEXT NOT NULL DEFAULT '[]',
        subject_category TEXT NOT NULL DEFAULT '[]',
        audiences TEXT NOT NULL DEFAULT '[]',
        interpretation_ids TEXT NOT NULL DEFAULT '[]',
        data TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT ''
    """,
    IndexKind.QA: """
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        data TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT ''
    """,
    IndexKind.GLOSSARY: """
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL,
        data TEXT NOT NULL,
        body TEXT NOT NULL DEFAULT ''
    """,
}


def table(version: str, part: str) -> str:
    """Name of one table of a version; ``version`` is validated, so it is safe to interpolate."""
    if not VERSION_NAME.match(version):
        raise ValueError(f"not an index version name: {version!r}")
    return f"{version}_{part}"


def create_ddl(kind: IndexKind, version: str) -> list[str]:
    """CREATE statements of one index version."""
    layout = LAYOUTS[kind]
    docs, fts = table(version, "docs"), table(version, "fts")
    statements = [
        f"CREATE TABLE {docs} ({_DOCS_COLUMNS[kind]})",
        f'CREATE VIRTUAL TABLE {fts} USING fts5({", ".join(layout.columns)}, tokenize="{TOKENIZE}")',
    ]
    if kind is IndexKind.POLICIES:
        clauses, clauses_fts = table(version, "clauses"), table(version, "clauses_fts")
        statements += [
            f"CREATE INDEX {docs}_doc_number ON {docs}(doc_number_key)",
            f"CREATE INDEX {docs}_title ON {docs}(title)",
            f"CREATE INDEX {docs}_publish ON {docs}(publish_date, id)",
            f"""CREATE TABLE {clauses} (
                id INTEGER PRIMARY KEY, policy_id INTEGER NOT NULL, position INTEGER NOT NULL,
                number INTEGER NOT NULL, sub_number INTEGER, label TEXT NOT NULL,
                text TEXT NOT NULL, text_seg TEXT NOT NULL)""",
            f"CREATE INDEX {clauses}_policy ON {clauses}(policy_id, number)",
            f"CREATE INDEX {clauses}_number ON {clauses}(number, policy_id)",
            # External content: the segmented clause text lives once, in the clauses table.
            f"""CREATE VIRTUAL TABLE {clauses_fts} USING fts5(text_seg, content='{clauses}',
                content_rowid='id', tokenize="{TOKENIZE}")""",
        ]
    return statements


def drop_ddl(kind: IndexKind, version: str) -> list[str]:
    parts = ["fts", "docs"] + (["clauses_fts", "clauses"] if kind is IndexKind.POLICIES else [])
    return [f"DROP TABLE IF EXISTS {table(version, p)}" for p in parts]
