"""Incremental crawl state in a small SQLite file: validators and hashes per URL, the frontier per run."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id INTEGER PRIMARY KEY AUTOINCREMENT, profile TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT
);
CREATE TABLE IF NOT EXISTS frontier (
    run_id INTEGER NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL, depth INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'pending', reason TEXT, PRIMARY KEY (run_id, url)
);
CREATE TABLE IF NOT EXISTS owners (profile TEXT PRIMARY KEY, store TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (
    profile TEXT NOT NULL, url TEXT NOT NULL, final_url TEXT, etag TEXT, last_modified TEXT,
    body_hash TEXT, record_hash TEXT, record_key TEXT, kind TEXT, title TEXT, doc_number_key TEXT,
    updated_at TEXT, PRIMARY KEY (profile, url)
);
"""


class PageState(BaseModel):
    """What we remember about one URL from earlier crawls."""

    url: str
    final_url: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    record_hash: str | None = None
    record_key: str | None = None
    kind: str | None = None
    title: str | None = None
    doc_number_key: str | None = None


class FrontierItem(BaseModel):
    url: str
    kind: str  # list | detail
    depth: int = 0


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class CrawlState:
    """Per-profile crawl memory; a run that did not finish is resumed instead of started anew."""

    def __init__(self, path: Path, profile: str, store: str = "") -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.db.executescript(_SCHEMA)
        self.profile = profile
        self.run_id = 0
        self.resumed = False
        self.reset = self._claim(store)

    def _claim(self, store: str) -> bool:
        """Validators only mean something for the store they were written to; another store starts afresh."""
        row = self.db.execute("SELECT store FROM owners WHERE profile = ?", (self.profile,)).fetchone()
        if row is not None and row[0] == store:
            return False
        self.db.execute("DELETE FROM pages WHERE profile = ?", (self.profile,))
        self.db.execute(
            "DELETE FROM frontier WHERE run_id IN (SELECT run_id FROM runs WHERE profile = ?)",
            (self.profile,),
        )
        self.db.execute("DELETE FROM runs WHERE profile = ?", (self.profile,))
        self.db.execute("INSERT OR REPLACE INTO owners (profile, store) VALUES (?, ?)", (self.profile, store))
        self.db.commit()
        return row is not None

    def close(self) -> None:
        self.db.close()

    def begin(self, seeds: list[FrontierItem]) -> None:
        """Resume the unfinished run of this profile, or start a new one seeded with ``seeds``."""
        row = self.db.execute(
            "SELECT run_id FROM runs WHERE profile = ? AND finished_at IS NULL ORDER BY run_id DESC LIMIT 1",
            (self.profile,),
        ).fetchone()
        if row:
            self.run_id, self.resumed = int(row[0]), True
            return
        cursor = self.db.execute(
            "INSERT INTO runs (profile, started_at) VALUES (?, ?)", (self.profile, _now())
        )
        self.run_id = int(cursor.lastrowid or 0)
        for seed in seeds:
            self.add(seed)
        self.db.commit()

    def finish(self) -> None:
        self.db.execute("UPDATE runs SET finished_at = ? WHERE run_id = ?", (_now(), self.run_id))
        self.db.commit()

    def add(self, item: FrontierItem) -> bool:
        """Queue a URL once per run; False when it was already queued (no duplicates)."""
        cursor = self.db.execute(
            "INSERT OR IGNORE INTO frontier (run_id, url, kind, depth) VALUES (?, ?, ?, ?)",
            (self.run_id, item.url, item.kind, item.depth),
        )
        return cursor.rowcount > 0

    def pending(self) -> list[FrontierItem]:
        rows = self.db.execute(
            "SELECT url, kind, depth FROM frontier WHERE run_id = ? AND status = 'pending' "
            "ORDER BY kind = 'detail', rowid",
            (self.run_id,),
        ).fetchall()
        return [FrontierItem(url=u, kind=k, depth=d) for u, k, d in rows]

    def mark(self, url: str, status: str, reason: str | None = None) -> None:
        self.db.execute(
            "UPDATE frontier SET status = ?, reason = ? WHERE run_id = ? AND url = ?",
            (status, reason, self.run_id, url),
        )
        self.db.commit()

    def page(self, url: str) -> PageState | None:
        row = self.db.execute(
            "SELECT url, final_url, etag, last_modified, body_hash, record_hash, record_key, "
            "kind, title, doc_number_key FROM pages WHERE profile = ? AND url = ?",
            (self.profile, url),
        ).fetchone()
        if row is None:
            return None
        fields = list(PageState.model_fields)
        return PageState(**dict(zip(fields, row, strict=True)))

    def save_page(self, state: PageState) -> None:
        values = state.model_dump()
        self.db.execute(
            "INSERT INTO pages (profile, url, final_url, etag, last_modified, body_hash, record_hash, "
            "record_key, kind, title, doc_number_key, updated_at) "
            "VALUES (:profile, :url, :final_url, :etag, :last_modified, "
            ":body_hash, :record_hash, :record_key, :kind, :title, :doc_number_key, :updated_at) "
            "ON CONFLICT (profile, url) DO UPDATE SET final_url = excluded.final_url, etag = excluded.etag, "
            "last_modified = excluded.last_modified, body_hash = excluded.body_hash, "
            "record_hash = excluded.record_hash, record_key = excluded.record_key, kind = excluded.kind, "
            "title = excluded.title, doc_number_key = excluded.doc_number_key, "
            "updated_at = excluded.updated_at",
            {**values, "profile": self.profile, "updated_at": _now()},
        )
        self.db.commit()

    def known_policies(self) -> list[PageState]:
        """Policies crawled in earlier runs (to link a 解读 whose policy was not re-fetched this time)."""
        rows = self.db.execute(
            "SELECT url FROM pages WHERE profile = ? AND kind = 'policy'", (self.profile,)
        ).fetchall()
        return [p for (url,) in rows if (p := self.page(url)) is not None]
