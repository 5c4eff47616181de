"""Index size on disk: SQLite index tables (dbstat) and OpenSearch indices (_cat/indices)."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import httpx

_INDEX_TABLE = re.compile(r"(policies|qa|glossary)_v[0-9]+_")


def sqlite_index_bytes(db_path: Path) -> int:
    """Bytes of the pages of the live search index versions (docs, FTS5 and shadow tables, indexes).

    Only the versions ``search_aliases`` points at count: a version kept beside the live one (a reindex in
    progress or not yet dropped) is not part of the index users search.
    """
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        live = [str(v) for (v,) in conn.execute("SELECT version FROM search_aliases")]
        rows = conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
    return sum(
        int(size)
        for name, size in rows
        if _INDEX_TABLE.search(name) and any(f"{v}_" in str(name) for v in live)
    )


def opensearch_index_bytes(url: str, prefix: str) -> int:
    """store.size of every index whose name starts with prefix (primaries, after a refresh)."""
    response = httpx.get(
        f"{url}/_cat/indices/{prefix}*", params={"format": "json", "bytes": "b"}, timeout=30, trust_env=False
    )
    response.raise_for_status()
    return sum(int(row.get("pri.store.size") or row.get("store.size") or 0) for row in response.json())


def delete_opensearch_indices(url: str, prefix: str) -> None:
    """Drop the benchmark's indices (and only those: the prefix is the run's own)."""
    if not prefix or "*" in prefix:
        raise ValueError(f"refusing to delete indices for prefix {prefix!r}")
    response = httpx.get(
        f"{url}/_cat/indices/{prefix}*", params={"format": "json"}, timeout=30, trust_env=False
    )
    for row in response.json() if response.status_code == 200 else []:
        name = str(row["index"])
        if name.startswith(prefix):
            httpx.delete(f"{url}/{name}", timeout=60, trust_env=False)
