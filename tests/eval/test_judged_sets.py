"""Mechanical checks of the judged sets in eval/: every judgment points at a real document and clause."""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import analyzers
from scripts.relevance.judged import load_own_set, load_qa_dev


def _rows(path: Path) -> Iterator[dict[str, object]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


@pytest.fixture(scope="module")
def texts(shared_data: Path) -> dict[str, str]:
    """'source:source_id' -> title + text of every document the judged set may point at."""
    found: dict[str, str] = {}
    sources = [
        ("govcn", shared_data / "govcn_pages" / "expected_metadata.jsonl", "id", "title", "text"),
        ("hebei", shared_data / "hebei" / "documents.jsonl.gz", "id", "title", "text"),
        ("lawrefbook", shared_data / "lawrefbook" / "laws.jsonl.gz", "id", "title", "text"),
        ("bj_zyj", shared_data / "bj_zyj" / "notices.jsonl", "id", "title", "text"),
        ("ncp", shared_data / "ncp_qa" / "corpus_docs.jsonl", "docid", "title_guess", "text"),
    ]
    for source, path, key, title, text in sources:
        for row in _rows(path):
            found[f"{source}:{row[key]}"] = f"{row.get(title) or ''}\n{row.get(text) or ''}"
    return found


def test_own_set_is_big_enough_and_covers_every_kind() -> None:
    queries = load_own_set()
    kinds = Counter(q.kind for q in queries)
    assert len(queries) >= 150
    for kind in (
        "docnumber",
        "clause",
        "title",
        "title_near",
        "keyword",
        "question",
        "synonym",
        "traditional",
        "fullwidth",
        "typo",
        "pinyin",
    ):
        assert kinds[kind] >= 4, kind
    assert len({q.qid for q in queries}) == len(queries)
    assert all(any(g >= 2 for g in q.grades.values()) for q in queries)


def test_every_judged_document_exists(texts: dict[str, str]) -> None:
    missing = [(q.qid, key) for q in load_own_set() for key in q.grades if key not in texts]
    assert missing == []


def test_every_clause_label_occurs_in_its_document(texts: dict[str, str]) -> None:
    wrong = [
        (q.qid, key, label)
        for q in load_own_set()
        for key, label in q.clauses.items()
        if label not in texts[key]
    ]
    assert wrong == []


def test_doc_number_queries_point_at_documents_bearing_the_number(texts: dict[str, str]) -> None:
    # Copies of the same regulation in lawrefbook carry no 文号 in their text; one grade-3 document must.
    wrong = []
    for q in load_own_set():
        if q.kind != "docnumber":
            continue
        serial = re.findall(r"\d+", analyzers.normalize(q.query))[-1]
        bearing = [
            key
            for key, grade in q.grades.items()
            if grade == 3
            and re.search(rf"(?<!\d){serial}(?!\d)\s*号", analyzers.normalize(texts[key][:3000]))
        ]
        if not bearing:
            wrong.append(q.qid)
    assert wrong == []


def test_qa_dev_set_points_at_real_qa_pairs(shared_data: Path) -> None:
    qids = {str(r["qid"]) for r in _rows(shared_data / "ncp_qa" / "qa_pairs_dev.jsonl")}
    questions = load_qa_dev()
    answerable = [q for q in questions if not q.no_answer]
    assert len(answerable) >= 150 and len(questions) - len(answerable) >= 30
    assert all(q.relevant_qids and set(q.relevant_qids) <= qids for q in answerable)
    assert all(not q.relevant_qids for q in questions if q.no_answer)
    assert {q.style for q in answerable} == {"colloquial", "short", "keyword", "long"}
