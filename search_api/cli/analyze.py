"""``policykb analyze TEXT [--json]``: show what the Chinese analysis pipeline makes of a text."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

import analyzers
from analyzers.tokens import TOKEN_SEPARATOR, is_separator_token


def analyze_text(text: str) -> dict[str, Any]:
    """The analysis of one text as plain data (the --json output)."""
    index_text = analyzers.segment_for_index(text)
    return {
        "normalized": analyzers.normalize(text),
        "tokens": [t for t in index_text.split(TOKEN_SEPARATOR) if t and not is_separator_token(t)],
        "query_terms": analyzers.query_terms(text),
        "doc_numbers": [
            {"raw": d.raw, "key": d.key, "agency": d.agency, "year": d.year, "serial": d.serial}
            for d in analyzers.find_doc_numbers(text)
        ],
        "clauses": [
            {"label": c.label, "number": c.number, "sub_number": c.sub_number, "start": c.start, "end": c.end}
            for c in analyzers.find_clause_refs(text)
        ],
        "glossary_terms": analyzers.glossary_terms_in(text),
        "segmenter": analyzers.get_segmenter().engine_name,
    }


def analyze(
    text: Annotated[str, typer.Argument(help="要分析的文本 / text to analyze")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON / print JSON")] = False,
) -> None:
    """分析文本：规范化、分词、文号、条款、名词 / normalize, segment, find 文号, clauses, glossary terms."""
    result = analyze_text(text)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for key, value in result.items():
        shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        typer.echo(f"{key}: {shown}")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
