"""Judged sets: ours (eval/ queries, qrels, clause labels), the ncp dev qrels and the Q&A dev set."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from pydantic import BaseModel, Field

REPO = Path(__file__).resolve().parents[2]
EVAL_DIR = REPO / "eval"
#: The ncp dataset's documents are imported with this source name.
NCP_SOURCE = "ncp"


class JudgedQuery(BaseModel):
    """One judged query: what to type, its kind, graded documents and (for clause queries) the clause."""

    qid: str
    query: str
    kind: str = "ncp"
    filters: dict[str, object] = Field(default_factory=dict)
    grades: dict[str, int] = Field(default_factory=dict, description="'source:source_id' -> grade 0-3")
    clauses: dict[str, str] = Field(default_factory=dict, description="'source:source_id' -> 第N条 label")


class QADevQuestion(BaseModel):
    """A hotline paraphrase and the Q&A (ncp qids) whose answer is right, or none when out of scope."""

    qid: str
    query: str
    style: str
    relevant_qids: list[str] = Field(default_factory=list)
    no_answer: bool = False


def _read_jsonl(path: Path) -> list[dict[str, object]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _read_qrels(path: Path, *, source: str | None = None) -> dict[str, dict[str, int]]:
    grades: defaultdict[str, dict[str, int]] = defaultdict(dict)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 4:
                continue
            qid, _, doc, grade = parts[:4]
            grades[qid][f"{source}:{doc}" if source else doc] = int(grade)
    return dict(grades)


def load_own_set(eval_dir: Path = EVAL_DIR) -> list[JudgedQuery]:
    """Our judged set, with clause labels attached."""
    grades = _read_qrels(eval_dir / "qrels.tsv")
    clauses: defaultdict[str, dict[str, str]] = defaultdict(dict)
    clause_file = eval_dir / "clause_qrels.tsv"
    if clause_file.exists():
        for line in clause_file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                qid, doc, label = line.split("\t")
                clauses[qid][doc] = label
    queries = []
    for row in _read_jsonl(eval_dir / "queries.jsonl"):
        qid = str(row["qid"])
        queries.append(
            JudgedQuery(
                qid=qid,
                query=str(row["query"]),
                kind=str(row.get("kind", "other")),
                filters=dict(row.get("filters") or {}),  # type: ignore[call-overload]
                grades=grades.get(qid, {}),
                clauses=clauses.get(qid, {}),
            )
        )
    return queries


def load_ncp_set(shared_data: Path) -> list[JudgedQuery]:
    """The 637 ncp dev questions with the ncp documents that answer them."""
    folder = shared_data / "ncp_qa"
    grades = _read_qrels(folder / "retrieval_eval_qrels_dev.tsv", source=NCP_SOURCE)
    return [
        JudgedQuery(
            qid=str(row["qid"]), query=str(row["query"]), kind="ncp", grades=grades.get(str(row["qid"]), {})
        )
        for row in _read_jsonl(folder / "retrieval_eval_queries_dev.jsonl")
    ]


def load_qa_dev(eval_dir: Path = EVAL_DIR) -> list[QADevQuestion]:
    return [QADevQuestion.model_validate(row) for row in _read_jsonl(eval_dir / "qa_dev.jsonl")]
