"""tipdm: citizen messages with the department's official reply, as Q&A-like records."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.convert import parse_date
from kb.models import Provenance, QAPair

NAME = "tipdm"
DESCRIPTION = "TipDM 问政留言 with official replies (messages_with_replies.jsonl.gz)"
DEFAULT_PATH = "tipdm/messages_with_replies.jsonl.gz"
_CANDIDATES = ("messages_with_replies.jsonl.gz", "messages_with_replies.jsonl", "replies.jsonl.gz")


def find_file(path: Path) -> Path:
    """The replies file in a folder (its name differs between copies of the data)."""
    if path.is_file():
        return path
    for name in _CANDIDATES:
        if (path / name).exists():
            return path / name
    matches = sorted(path.glob("*repl*.jsonl*"))
    if not matches:
        raise FileNotFoundError(f"no messages-with-replies file in {path}")
    return matches[0]


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """One QAPair per message: the subject is the question, the official reply the answer.

    Replies carry no reliable signature of the replying body, so ``department`` stays empty (not guessed).
    """
    source = find_file(path)
    for line, row in read_jsonl(source, report):
        question, answer = clean(row.get("subject")), clean(row.get("reply"))
        if not clean(row.get("msg_id")) or not question or not answer:
            report.error(source, line, "missing msg_id, subject or reply")
            continue
        yield (
            QAPair(
                provenance=Provenance(source=NAME, source_id=str(row["msg_id"])),
                question=question,
                answer=answer,
                valid_from=parse_date(row.get("reply_time")),
            ),
            line,
        )
