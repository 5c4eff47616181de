"""Read the demo YAML files into kb.models records (policies, interpretations, Q&A)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError as PydanticValidationError

from analyzers.clauses import split_clauses
from analyzers.docnumber import parse_doc_number
from kb.errors import ValidationError
from kb.models import (
    Attachment,
    BenefitItem,
    Clause,
    DocumentType,
    Interpretation,
    InterpretationKind,
    Policy,
    Provenance,
    QAPair,
    QAStatus,
    Validity,
)

DATA_DIR = Path(__file__).parent / "data"
SOURCE = "demo"
DEMO_URL = "https://demo.policykb.example"


class DemoDataError(ValidationError):
    """A demo data file holds a record that does not validate; the message names file and record."""


@dataclass
class DemoRecords:
    policies: list[Policy] = field(default_factory=list)
    interpretations: list[Interpretation] = field(default_factory=list)
    qa_pairs: list[QAPair] = field(default_factory=list)


def _read(pattern: str) -> list[tuple[Path, dict[str, Any]]]:
    rows: list[tuple[Path, dict[str, Any]]] = []
    for path in sorted(DATA_DIR.glob(pattern)):
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(loaded, list):
            raise DemoDataError(f"{path}: expected a list of records at the top level")
        rows.extend((path, row) for row in loaded)
    return rows


def _provenance(kind: str, record_id: str) -> Provenance:
    return Provenance(source=SOURCE, source_id=record_id, url=f"{DEMO_URL}/{kind}/{record_id}.html")


def _key(record_id: str) -> str:
    return f"{SOURCE}:{record_id}"


def _policy(row: dict[str, Any]) -> Policy:
    text: str = row.get("text", "").strip()
    parsed = parse_doc_number(row["doc_number"]) if row.get("doc_number") else None
    clauses = [
        Clause(
            number=span.number,
            sub_number=span.sub_number,
            label=span.label,
            chapter=span.chapter,
            section=span.section,
            text=span.text,
        )
        for span in split_clauses(text)
    ]
    return Policy(
        provenance=_provenance("policies", row["id"]),
        title=row["title"],
        doc_number=row.get("doc_number"),
        doc_number_key=parsed.key if parsed else None,
        issuing_bodies=row.get("issuing_bodies", []),
        index_number=row.get("index_number"),
        subject_category=row.get("subject_category", []),
        document_type=DocumentType(row["document_type"]) if row.get("document_type") else None,
        level=row.get("level"),
        region=row.get("region"),
        written_date=row.get("written_date"),
        publish_date=row.get("publish_date"),
        effective_date=row.get("effective_date"),
        expiry_date=row.get("expiry_date"),
        validity=Validity(row.get("validity", "未知")),
        validity_stated="validity" in row,
        audiences=row.get("audiences", []),
        keywords=row.get("keywords", []),
        text=text,
        clauses=clauses,
        attachments=[Attachment(**a) for a in row.get("attachments", [])],
        benefit_items=[BenefitItem(**b) for b in row.get("benefit_items", [])],
        supersedes=row.get("supersedes", []),
        superseded_by=row.get("superseded_by", []),
    )


def _interpretation(row: dict[str, Any]) -> Interpretation:
    return Interpretation(
        provenance=_provenance("interpretations", row["id"]),
        title=row["title"],
        kind=InterpretationKind(row.get("kind", "文字解读")),
        publisher=row.get("publisher"),
        publish_date=row.get("publish_date"),
        text=row.get("text", "").strip(),
        policy_keys=[_key(p) for p in row.get("policies", [])],
    )


def _qa(row: dict[str, Any]) -> QAPair:
    valid_from: date | None = row.get("valid_from")
    return QAPair(
        provenance=_provenance("qa", row["id"]),
        question=row["question"],
        alternative_questions=row.get("alternatives", []),
        answer=row["answer"].strip(),
        policy_key=_key(row["policy"]) if row.get("policy") else None,
        clause_label=row.get("clause"),
        department=row.get("department"),
        valid_from=valid_from,
        valid_until=row.get("valid_until"),
        status=QAStatus(row.get("status", "published")),
    )


def _build(pattern: str, build: Any) -> list[Any]:
    out = []
    for path, row in _read(pattern):
        try:
            out.append(build(row))
        except (KeyError, ValueError, PydanticValidationError) as exc:
            raise DemoDataError(f"{path.name}: record {row.get('id', '?')!r} is invalid: {exc}") from exc
    return out


def demo_records() -> DemoRecords:
    """All demo records, validated; raises DemoDataError naming the file and record on bad data."""
    return DemoRecords(
        policies=_build("policies_*.yaml", _policy),
        interpretations=_build("interpretations*.yaml", _interpretation),
        qa_pairs=_build("qa*.yaml", _qa),
    )
