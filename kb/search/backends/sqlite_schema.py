"""SQLite FTS5 index definitions: per index kind, a docs table (filters, display JSON) and FTS5 tables.

Every version of an index is its own set of tables (``policies_v3_docs``, ``policies_v3_fts``, ...);
``search_aliases`` maps each kind to its live version, so a reindex builds beside the live one and swaps.

Layout 2 (``SEARCH_LAYOUT``, recorded per version in ``search_layouts``) keeps every text once, compressed:

- ``docs`` holds the filter columns, the display JSON and the segmented word fields as zlib BLOBs
  (``pk_unzip`` turns them back into text; the backend registers it on every connection); the original
  body is a patch over the segmented body (``pack_body``), as most characters are the same.
- ``fts`` indexes the word fields with external content: the ``words`` view decompresses the docs columns, and
  FTS5 reads it only for highlight()/snippet() of the rows shown.
- ``bigrams`` indexes the CJK bigram fields contentless: they are derived from the segmented fields
  (``bigram_values``), so they are neither stored nor needed to delete a document (derived again).
- ``clauses`` holds offsets into the body and the segmented body; the ``clause_text`` view cuts the
  segmented clause text out of the docs row for clauses_fts (external content), and only clauses that are
  not a piece of the body carry their own (compressed) text.

Versions without a ``search_layouts`` row were built by layout 1 (every text stored two or three times, in
FTS5 content tables); they are refused with a message asking for ``policykb reindex``.
"""

from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache

import analyzers
from kb.search.base import IndexKind
from kb.search.documents import VALUE_SEPARATOR, ZWSP
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
CREATE TABLE IF NOT EXISTS search_layouts (
    version TEXT PRIMARY KEY,
    layout INTEGER NOT NULL
);
"""
#: The table layout this code writes and reads (see the module docstring).
SEARCH_LAYOUT = 2
#: Bigram tokens are only OR'ed (never phrase-matched): positions would be dead weight. detail=column keeps
#: one entry per (document, column), so bm25 sees a bigram at most once per field.
BIGRAM_DETAIL = "full"
ZLIB_LEVEL = 6


def pack(text: str | None) -> bytes | None:
    """A text as stored in a docs/clauses BLOB column."""
    return None if text is None else zlib.compress(text.encode("utf-8"), ZLIB_LEVEL)


@lru_cache(maxsize=64)
def _unpack(blob: bytes) -> str:
    return zlib.decompress(blob).decode("utf-8")


def unpack(blob: bytes | None) -> str | None:
    """SQL function ``pk_unzip``: the text of a packed column (cached: highlights of the clauses of one
    policy read the same body again and again)."""
    return None if blob is None else _unpack(bytes(blob))


#: Per kind, the segmented column that is the analysed form of the docs ``body`` (the text shown).
BODY_SEG_COLUMNS: dict[IndexKind, str] = {
    IndexKind.POLICIES: "body_seg",
    IndexKind.QA: "answer_seg",
    IndexKind.GLOSSARY: "definition_seg",
}


def pack_body(original: str, segmented: str) -> bytes:
    """The docs ``body`` column: the original text as a patch over its segmented form.

    Without U+200B the segmented text is ``normalize_aligned(original)``: same length, and only some
    characters differ (full-width forms, traditional characters, case). The patch lists the differing runs
    as [gap since the previous run, original run]; when the lengths differ the original is kept whole.
    """
    plain = segmented.replace(ZWSP, "")
    if len(plain) == len(original):
        patch: list[list[int | str]] = []
        last, start = 0, -1
        for i, (a, b) in enumerate(zip(original, plain, strict=True)):
            if a != b:
                if start < 0:
                    start = i
            elif start >= 0:
                patch.append([start - last, original[start:i]])
                last, start = i, -1
        if start >= 0:
            patch.append([start - last, original[start:]])
        if _apply(patch, plain) == original:
            return zlib.compress(json.dumps(patch, ensure_ascii=False).encode("utf-8"), ZLIB_LEVEL)
    return zlib.compress(json.dumps(original, ensure_ascii=False).encode("utf-8"), ZLIB_LEVEL)


def _apply(patch: list[list[int | str]], plain: str) -> str:
    out: list[str] = []
    pos = 0
    for gap, run in patch:
        assert isinstance(gap, int) and isinstance(run, str)
        out.append(plain[pos : pos + gap])
        out.append(run)
        pos += gap + len(run)
    out.append(plain[pos:])
    return "".join(out)


def unpack_body(blob: bytes | None, segmented: str | None) -> str:
    """The original text from the docs ``body`` column and the (unpacked) segmented body."""
    if blob is None:
        return ""
    value = json.loads(zlib.decompress(bytes(blob)).decode("utf-8"))
    if isinstance(value, str):
        return value
    return _apply(value, (segmented or "").replace(ZWSP, ""))


@dataclass(frozen=True)
class FtsLayout:
    """The FTS5 columns of one index kind, in table order, with their bm25 weights."""

    word_columns: tuple[str, ...]
    word_weights: tuple[float, ...]
    bigram_columns: tuple[str, ...]
    bigram_weights: tuple[float, ...]
    #: Per bigram column, the word columns whose (segmented, normalized) text it is made of.
    bigram_sources: tuple[tuple[str, ...], ...]

    def weight_args(self, bigrams: bool = False) -> str:
        return ", ".join(f"{w:g}" for w in (self.bigram_weights if bigrams else self.word_weights))

    def index_of(self, column: str) -> int:
        return self.word_columns.index(column)

    def bigram_values(self, words: dict[str, str | None]) -> list[str]:
        """The bigram column values of a document, from its segmented word fields."""
        values = []
        for sources in self.bigram_sources:
            text = VALUE_SEPARATOR.join(words[c] or "" for c in sources if words[c])
            values.append(analyzers.bigram_text(text.replace(ZWSP, "")) if text else "")
        return values


def _layout(
    words: dict[str, float], bigrams: dict[str, float], sources: dict[str, tuple[str, ...]]
) -> FtsLayout:
    return FtsLayout(
        tuple(words),
        tuple(words.values()),
        tuple(bigrams),
        tuple(bigrams.values()),
        tuple(sources[b] for b in bigrams),
    )


LAYOUTS: dict[IndexKind, FtsLayout] = {
    IndexKind.POLICIES: _layout(
        POLICY_FIELD_BOOSTS,
        POLICY_BIGRAM_BOOSTS,
        {
            "title_bigrams": ("title_seg",),
            "body_bigrams": ("body_seg",),
            "interpretations_bigrams": ("interpretations_seg",),
        },
    ),
    IndexKind.QA: _layout(
        QA_FIELD_BOOSTS,
        QA_BIGRAM_BOOSTS,
        {"question_bigrams": ("question_seg", "alternatives_seg"), "answer_bigrams": ("answer_seg",)},
    ),
    IndexKind.GLOSSARY: _layout(GLOSSARY_FIELD_BOOSTS, {}, {}),
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
        body BLOB
    """,
    IndexKind.QA: """
        id INTEGER PRIMARY KEY,
        status TEXT NOT NULL,
        source TEXT NOT NULL,
        data TEXT NOT NULL,
        body BLOB
    """,
    IndexKind.GLOSSARY: """
        id INTEGER PRIMARY KEY,
        term TEXT NOT NULL,
        data TEXT NOT NULL,
        body BLOB
    """,
}


def table(version: str, part: str) -> str:
    """Name of one table of a version; ``version`` is validated, so it is safe to interpolate."""
    if not VERSION_NAME.match(version):
        raise ValueError(f"not an index version name: {version!r}")
    return f"{version}_{part}"


def _docs_ddl(kind: IndexKind, docs: str) -> str:
    words = ", ".join(f"{c} BLOB" for c in LAYOUTS[kind].word_columns)
    return f"CREATE TABLE {docs} ({_DOCS_COLUMNS[kind].rstrip()}, {words})"


def create_ddl(kind: IndexKind, version: str) -> list[str]:
    """CREATE statements of one index version (layout ``SEARCH_LAYOUT``)."""
    layout = LAYOUTS[kind]
    docs, fts, words = table(version, "docs"), table(version, "fts"), table(version, "words")
    unpacked = ", ".join(f"pk_unzip({c}) AS {c}" for c in layout.word_columns)
    statements = [
        _docs_ddl(kind, docs),
        f"CREATE VIEW {words} AS SELECT id, {unpacked} FROM {docs}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(layout.word_columns)}, content='{words}', "
        f"content_rowid='id', tokenize=\"{TOKENIZE}\")",
    ]
    if layout.bigram_columns:
        statements.append(
            f"CREATE VIRTUAL TABLE {table(version, 'bigrams')} USING "
            f"fts5({', '.join(layout.bigram_columns)}, content='', detail={BIGRAM_DETAIL}, "
            f'tokenize="{TOKENIZE}")'
        )
    if kind is IndexKind.POLICIES:
        clauses, clauses_fts = table(version, "clauses"), table(version, "clauses_fts")
        clause_text = table(version, "clause_text")
        statements += [
            f"CREATE INDEX {docs}_doc_number ON {docs}(doc_number_key)",
            f"CREATE INDEX {docs}_title ON {docs}(title)",
            f"CREATE INDEX {docs}_publish ON {docs}(publish_date, id)",
            # start/stop: the clause in the body; seg_start/seg_stop: in the segmented body. text/text_seg
            # only for a clause that is not a piece of the body.
            f"""CREATE TABLE {clauses} (
                id INTEGER PRIMARY KEY, policy_id INTEGER NOT NULL, position INTEGER NOT NULL,
                number INTEGER NOT NULL, sub_number INTEGER, label TEXT NOT NULL,
                start INTEGER, stop INTEGER, seg_start INTEGER, seg_stop INTEGER,
                text BLOB, text_seg BLOB)""",
            f"CREATE INDEX {clauses}_policy ON {clauses}(policy_id, number)",
            f"CREATE INDEX {clauses}_number ON {clauses}(number, policy_id)",
            f"""CREATE VIEW {clause_text} AS SELECT c.id AS id, COALESCE(pk_unzip(c.text_seg),
                substr(pk_unzip(d.body_seg), c.seg_start + 1, c.seg_stop - c.seg_start)) AS text_seg
                FROM {clauses} c JOIN {docs} d ON d.id = c.policy_id""",
            f"""CREATE VIRTUAL TABLE {clauses_fts} USING fts5(text_seg, content='{clause_text}',
                content_rowid='id', tokenize="{TOKENIZE}")""",
        ]
    return statements


def drop_ddl(kind: IndexKind, version: str) -> list[str]:
    """DROP statements of one version, of this layout or of layout 1."""
    tables = ["fts", "bigrams", "docs"] + (["clauses_fts", "clauses"] if kind is IndexKind.POLICIES else [])
    views = ["words"] + (["clause_text"] if kind is IndexKind.POLICIES else [])
    return [f"DROP VIEW IF EXISTS {table(version, v)}" for v in views] + [
        f"DROP TABLE IF EXISTS {table(version, t)}" for t in tables
    ]
