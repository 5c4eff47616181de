"""ncp: 2020 epidemic-period policy texts (corpus_docs.jsonl) and their concise Q&A (qa_pairs_dev.jsonl)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from indexer.importers.base import ImportReport, Record, clean, read_jsonl
from indexer.importers.context import ImportContext
from indexer.importers.convert import clauses_of, doc_number_key, doc_numbers_in, guess_document_type
from kb.models import Policy, Provenance, QAPair

NAME = "ncp"
DESCRIPTION = "新冠疫情期间政策文件 corpus_docs.jsonl + 简明问答 qa_pairs_dev.jsonl"
ROW_FILES = ("corpus_docs.jsonl", "qa_pairs_dev.jsonl")
DEFAULT_PATH = "ncp_qa"
_TITLE_WORDS = re.compile(r"(关于|通知|通告|公告|办法|措施|意见|方案|规定|指南|决定|问答|细则|政策)")


def document_title(title_guess: str | None, text: str) -> str:
    """title_guess is often just an agency name; then the text's opening (to the first break) is the title."""
    if title_guess and (_TITLE_WORDS.search(title_guess) or len(title_guess) > 20):
        return title_guess
    opening = re.split(r"[\s。：:！!？?]", text.strip(), maxsplit=1)[0][:80]
    return opening if len(opening) >= 6 else (title_guess or opening or "(无标题)")


def doc_records(path: Path, report: ImportReport) -> Iterator[tuple[Record, int]]:
    """Each docid a Policy (duplicates are kept: the evaluation qrels point at individual docids)."""
    texts: set[str] = set()
    for line, row in read_jsonl(path, report):
        text = clean(row.get("text"))
        if not clean(row.get("docid")) or not text:
            report.error(path, line, "missing docid or text")
            continue
        if text in texts:
            report.note("same text as another docid (kept: Q&A and qrels cite each docid)")
        texts.add(text)
        title = document_title(clean(row.get("title_guess")), text)
        if title != clean(row.get("title_guess")):
            report.note("title taken from text (title_guess was an agency name)")
        numbers = [raw for raw, _key, start in doc_numbers_in(text[:200])]
        yield (
            Policy(
                provenance=Provenance(source=NAME, source_id=str(row["docid"])),
                title=title,
                doc_number=numbers[0] if numbers else None,
                doc_number_key=doc_number_key(numbers[0]) if numbers else None,
                document_type=guess_document_type(title, None),
                text=text,
                clauses=clauses_of(text),
            ),
            line,
        )


def qa_records(path: Path, report: ImportReport) -> Iterator[tuple[Record, int]]:
    """Each qid a published QAPair resting on its ncp document."""
    for line, row in read_jsonl(path, report):
        question, answer = clean(row.get("question")), clean(row.get("answer"))
        if not clean(row.get("qid")) or not question or not answer:
            report.error(path, line, "missing qid, question or answer")
            continue
        docid = clean(row.get("docid"))
        available = str(row.get("doc_available", "True")) != "False"
        yield (
            QAPair(
                provenance=Provenance(source=NAME, source_id=str(row["qid"])),
                question=question,
                answer=answer,
                policy_key=f"{NAME}:{docid}" if docid and available else None,
            ),
            line,
        )


def records(path: Path, report: ImportReport, context: ImportContext) -> Iterator[tuple[Record, int]]:
    """Documents then Q&A from the ncp_qa folder (or one of its two files)."""
    root = path if path.is_dir() else path.parent
    targets = [path] if path.is_file() else [root / "corpus_docs.jsonl", root / "qa_pairs_dev.jsonl"]
    for target in targets:
        if target.name.startswith("qa_pairs"):
            yield from qa_records(target, report)
        else:
            yield from doc_records(target, report)
