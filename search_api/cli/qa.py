"""``policykb qa QUERY --json`` / ``policykb qa --batch FILE --json``: Q&A lookup with confidence."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

from kb.errors import KBError
from kb.qa import QAAnswer, QAMatcher
from kb.query import QueryUnderstanding
from kb.search import get_backend
from kb.settings import get_settings
from kb.store import Store


def _matcher(semantic: bool = False) -> QAMatcher:
    settings = get_settings()
    store = Store.from_settings(settings)
    understanding = QueryUnderstanding.from_store(store, max_chars=settings.max_query_chars)
    backend = get_backend(settings, parser=understanding.parser())
    return QAMatcher.from_store(
        backend, store, understanding, threshold=settings.qa_confidence_threshold, semantic=semantic
    )


def _answer_dict(answer: QAAnswer, qid: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {} if qid is None else {"qid": qid}
    data.update(
        {
            "query": answer.query,
            "no_answer": answer.no_answer,
            "confidence": round(answer.confidence, 4),
            "threshold": answer.threshold,
            "answer": answer.best.model_dump(mode="json") if answer.best else None,
            "hits": [
                {
                    "source": m.source,
                    "source_id": m.source_id,
                    "score": m.score,
                    "confidence": round(m.confidence, 4),
                    "question": m.question,
                    "answer": m.answer,
                    "policy_id": m.policy_id,
                    "clause": m.clause_label,
                    "department": m.department,
                    "validity": m.validity,
                }
                for m in answer.candidates
            ],
            "understood": answer.understood,
        }
    )
    return data


def _print_human(answer: QAAnswer) -> None:
    if answer.no_answer:
        typer.echo(
            f"暂无可靠答案 / no confident answer "
            f"(confidence {answer.confidence:.2f} < {answer.threshold:.2f})"
        )
        for m in answer.candidates:
            typer.echo(f"  ? {m.question}  [{m.confidence:.2f}]")
        return
    assert answer.best is not None
    typer.echo(f"{answer.best.question}  [confidence {answer.confidence:.2f}]")
    typer.echo(answer.best.answer)


def register(app: typer.Typer) -> None:
    """Add the ``qa`` command."""

    @app.command("qa")
    def qa_command(
        query: str = typer.Argument(None, help="the caller's question"),
        batch: Path | None = typer.Option(None, "--batch", help='JSONL file, one {"qid", "query"} per line'),
        as_json: bool = typer.Option(False, "--json", help="print JSON (one line per query with --batch)"),
        size: int = typer.Option(5, "--size", min=1, max=20, help="candidates to return"),
        semantic: bool = typer.Option(
            False, "--semantic", help="add the sentence-embedding layer (embeds every Q&A question first)"
        ),
    ) -> None:
        """热线问答查询 / match a question to the Q&A knowledge base, with confidence and no-answer."""
        if (query is None) == (batch is None):
            raise typer.BadParameter("give either a QUERY or --batch FILE / 请提供问题或 --batch 文件")
        try:
            matcher = _matcher(semantic)
            if batch is None:
                answer = matcher.match(query, size=size)
                if as_json:
                    typer.echo(json.dumps(_answer_dict(answer), ensure_ascii=False))
                else:
                    _print_human(answer)
                return
            with batch.open(encoding="utf-8") as handle:
                for number, line in enumerate(handle, start=1):
                    if not line.strip():
                        continue
                    try:
                        row = json.loads(line)
                        text = str(row["query"])
                    except (ValueError, KeyError) as exc:
                        typer.echo(
                            f"{batch}:{number}: not a JSON object with a query ({exc}); skipped", err=True
                        )
                        continue
                    answer = matcher.match(text, size=size)
                    typer.echo(
                        json.dumps(_answer_dict(answer, str(row.get("qid", number))), ensure_ascii=False)
                    )
                    sys.stdout.flush()
        except KBError as exc:
            typer.echo(f"{exc.message_zh} / {exc}", err=True)
            raise typer.Exit(1) from exc
