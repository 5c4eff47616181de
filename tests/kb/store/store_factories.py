"""Test data: small factories, and records built from the real datasets in ../shared/data."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

from analyzers.clauses import split_clauses
from kb.models import (
    Clause,
    DocumentType,
    Interpretation,
    InterpretationKind,
    Policy,
    Provenance,
    QAPair,
    Validity,
)


def make_policy(source_id: str = "p1", source: str = "test", **fields: Any) -> Policy:
    """A small policy with two clauses; ``fields`` override anything."""
    values: dict[str, Any] = {
        "provenance": Provenance(source=source, source_id=source_id, url=f"https://example.org/{source_id}"),
        "title": f"关于测试政策{source_id}的通知",
        "doc_number": "测政发〔2024〕1号",
        "issuing_bodies": ["测试市人民政府", "测试市财政局"],
        "document_type": DocumentType.NORMATIVE_DOCUMENT,
        "publish_date": date(2024, 3, 1),
        "text": "第一条 为了测试。\n第二条 本办法自发布之日起施行。",
        "clauses": [
            Clause(number=1, label="第一条", chapter="第一章 总则", text="为了测试。"),
            Clause(number=2, label="第二条", chapter="第一章 总则", text="本办法自发布之日起施行。"),
        ],
    }
    values.update(fields)
    return Policy(**values)


def make_interpretation(
    source_id: str = "i1", policy_keys: list[str] | None = None, **fields: Any
) -> Interpretation:
    """A text interpretation linked to ``policy_keys``."""
    values: dict[str, Any] = {
        "provenance": Provenance(source="test", source_id=source_id),
        "title": f"解读{source_id}",
        "kind": InterpretationKind.TEXT,
        "text": "一图读懂本办法的主要内容。",
        "policy_keys": policy_keys or [],
    }
    values.update(fields)
    return Interpretation(**values)


def make_qa(source_id: str = "q1", **fields: Any) -> QAPair:
    """A published imported Q&A pair."""
    values: dict[str, Any] = {
        "provenance": Provenance(source="test", source_id=source_id),
        "question": f"问题{source_id}怎么办理？",
        "answer": "请携带身份证到政务服务中心办理。",
    }
    values.update(fields)
    return QAPair(**values)


# ---------------------------------------------------------------- real data


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def lawrefbook_policies(shared_data: Path, limit: int, min_clauses: int = 10) -> list[Policy]:
    """Laws from lawrefbook with their clauses split by ``analyzers.split_clauses``."""
    found: list[Policy] = []
    for doc in _jsonl(shared_data / "lawrefbook" / "laws.jsonl.gz"):
        spans = split_clauses(doc["text"])
        clauses = [
            Clause(
                number=s.number,
                sub_number=s.sub_number,
                label=s.label,
                chapter=s.chapter,
                section=s.section,
                text=s.text,
            )
            for s in spans
        ]
        if sum(1 for c in clauses if c.number > 0) < min_clauses:
            continue
        found.append(
            Policy(
                provenance=Provenance(source="lawrefbook", source_id=doc["id"]),
                title=doc["title"],
                level=doc.get("level"),
                region=doc.get("region"),
                publish_date=_day(doc.get("publish_date")),
                effective_date=_day(doc.get("valid_from")),
                validity=Validity.EXPIRED if doc.get("expired") else Validity.VALID,
                validity_stated=True,
                text=doc["text"],
                clauses=clauses,
            )
        )
        if len(found) == limit:
            break
    return found


def hebei_interpretation_with_policy(shared_data: Path) -> tuple[Interpretation, Policy]:
    """The first hebei 解读 whose original (interpretation_links.jsonl) is a document; both with text."""
    docs = {}
    for doc in _jsonl(shared_data / "hebei" / "documents.jsonl.gz"):
        docs.setdefault(doc["title"], doc)
    for link in _jsonl(shared_data / "hebei" / "interpretation_links.jsonl"):
        interp = docs.get(link["interpretation_title"])
        for original in link["originals"]:
            doc = docs.get(original["title"])
            if interp and doc and len(interp["text"] or "") > 200 and len(doc["text"] or "") > 200:
                policy = Policy(
                    provenance=Provenance(source="hebei", source_id=doc["id"], url=doc["url"]),
                    title=doc["title"],
                    doc_number=doc.get("doc_number_guess"),
                    publish_date=_day(doc.get("date")),
                    validity=Validity(doc["validity"]) if doc.get("validity") else Validity.UNKNOWN,
                    validity_stated=bool(doc.get("validity")),
                    text=doc["text"],
                )
                interpretation = Interpretation(
                    provenance=Provenance(source="hebei", source_id=interp["id"], url=interp["url"]),
                    title=interp["title"],
                    publish_date=_day(interp.get("date")),
                    text=interp["text"],
                    policy_keys=[f"hebei:{doc['id']}"],
                )
                return interpretation, policy
    raise AssertionError("no hebei interpretation with a known original: the shared data changed")


def ncp_qa_pairs(shared_data: Path, limit: int) -> list[QAPair]:
    """Q&A pairs from ncp_qa, resting on their source documents (ncp:<docid>)."""
    pairs = []
    for row in _jsonl(shared_data / "ncp_qa" / "qa_pairs_dev.jsonl"):
        pairs.append(
            QAPair(
                provenance=Provenance(source="ncp_qa", source_id=row["qid"]),
                question=row["question"],
                answer=row["answer"],
                policy_key=f"ncp:{row['docid']}",
            )
        )
        if len(pairs) == limit:
            break
    return pairs


def ncp_documents(shared_data: Path, docids: set[str]) -> list[Policy]:
    """The ncp_qa corpus documents with these ids, as policies."""
    policies = []
    for row in _jsonl(shared_data / "ncp_qa" / "corpus_docs.jsonl"):
        if row["docid"] in docids:
            policies.append(
                Policy(
                    provenance=Provenance(source="ncp", source_id=row["docid"]),
                    title=row.get("title_guess") or row["docid"],
                    text=row["text"],
                )
            )
    return policies
