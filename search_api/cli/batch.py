"""Batch mode for ``policykb search --batch FILE --json``: one process, one loaded index, one line per query.

Each input line is ``{"qid": ..., "query": ..., "filters": {...}?}`` (filters as in SearchFilters); each
output line is ``{"qid", "query", "total", "hits": [{"source", "source_id", "score", "title", "clause"}],
"understood"}``. Query understanding is built once from the store and used for every query, as the API does.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from kb.errors import KBError
from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.search.base import IndexKind, SearchQuery
from kb.settings import get_settings
from kb.store import Store


def run_search_batch(path: Path, *, size: int = 10, kind: IndexKind = IndexKind.POLICIES) -> int:
    """Search every query of a JSONL file and print one JSON line per query; returns the lines written."""
    settings = get_settings()
    understanding = QueryUnderstanding.from_store(
        Store.from_settings(settings), max_chars=settings.max_query_chars
    )
    backend = get_backend(settings, parser=understanding.parser())
    run = {
        IndexKind.POLICIES: backend.search,
        IndexKind.QA: backend.search_qa,
        IndexKind.GLOSSARY: backend.search_glossary,
    }[kind]
    written = 0
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                request = SearchQuery.model_validate(
                    {
                        "text": str(row["query"]),
                        "size": size,
                        "highlight": False,
                        "filters": row.get("filters") or {},
                    }
                )
            except (ValueError, KeyError, TypeError) as exc:
                typer.echo(
                    f"{path}:{number}: needs a JSON object with a query and valid filters ({exc}); skipped",
                    err=True,
                )
                continue
            out: dict[str, Any] = {"qid": row.get("qid", number), "query": request.text}
            try:
                understood = understanding.understand(request.text)
                results = run(request, parsed=understood.parsed)
                out.update(
                    {
                        "total": results.total,
                        "hits": [
                            {
                                "source": h.source,
                                "source_id": h.source_id,
                                "score": h.score,
                                "title": h.title,
                                "clause": h.clause.label if h.clause else None,
                            }
                            for h in results.hits
                        ],
                        "understood": understood.explain(),
                    }
                )
            except KBError as exc:
                out.update({"error": f"{exc.message_zh} / {exc}", "hits": []})
            typer.echo(json.dumps(out, ensure_ascii=False))
            sys.stdout.flush()
            written += 1
    return written
