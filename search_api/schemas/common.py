"""Pieces shared by several responses: provenance, interpretation links, Q&A previews, glossary entries."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from kb.models import GlossaryTerm, Interpretation, Provenance, QAPair
from kb.search.query import ParsedQuery
from search_api.sanitize import excerpt, safe_link

#: Characters of an answer shown in previews (the full answer is on the agent console and the policy page).
ANSWER_PREVIEW_CHARS = 160


class ProvenancePublic(BaseModel):
    """Where a record came from; ``(source, source_id)`` is its stable key."""

    source: str
    source_id: str
    url: str | None = None

    @classmethod
    def from_model(cls, provenance: Provenance) -> ProvenancePublic:
        return cls(source=provenance.source, source_id=provenance.source_id, url=safe_link(provenance.url))


class InterpretationLinkPublic(BaseModel):
    """政策解读 shown beside its policy: title, kind, date, link."""

    id: int | None = None
    title: str
    kind: str | None = Field(default=None, description="文字解读 / 图解 / 问答 / …")
    publish_date: date | None = None
    url: str | None = Field(default=None, description="the interpretation's own page, when known")

    @classmethod
    def from_model(cls, item: Interpretation) -> InterpretationLinkPublic:
        return cls(
            id=item.id,
            title=item.title,
            kind=item.kind.value,
            publish_date=item.publish_date,
            url=safe_link(item.provenance.url),
        )


class QAPreviewPublic(BaseModel):
    """A related 简明问答 under a policy hit."""

    id: int | None = None
    question: str
    answer: str = Field(description=f"the answer, cut to {ANSWER_PREVIEW_CHARS} characters")
    department: str | None = None
    clause_label: str | None = None

    @classmethod
    def from_model(cls, qa: QAPair) -> QAPreviewPublic:
        return cls(
            id=qa.id,
            question=qa.question,
            answer=excerpt(qa.answer, ANSWER_PREVIEW_CHARS),
            department=qa.department,
            clause_label=qa.clause_label,
        )


class GlossaryEntryPublic(BaseModel):
    """名词诠释: a policy term and its definition."""

    term: str
    aliases: list[str] = Field(default_factory=list)
    definition: str
    category: str | None = None

    @classmethod
    def from_model(cls, term: GlossaryTerm) -> GlossaryEntryPublic:
        return cls(term=term.term, aliases=term.aliases, definition=term.definition, category=term.category)


class WeightedTermPublic(BaseModel):
    term: str
    weight: float


class UnderstoodQueryPublic(BaseModel):
    """What the query was understood as, so a visitor can see why results came back."""

    raw: str = Field(description="the query as searched (after cleaning and cutting)")
    normalized: str
    terms: list[str] = Field(default_factory=list, description="words searched for")
    phrases: list[str] = Field(default_factory=list, description="quoted phrases")
    title_phrases: list[str] = Field(default_factory=list, description="《titles》 boosted on the title")
    expansions: list[WeightedTermPublic] = Field(default_factory=list, description="synonyms added, weighted")
    doc_number: str | None = Field(default=None, description="文号 recognised, matched exactly")
    doc_number_key: str | None = None
    clause_number: int | None = Field(default=None, description="第N条 targeted")
    summary_zh: str = Field(description="一句话说明，如：文号 国发〔2018〕39号 · 第12条 · 同义词 社会保险")

    @classmethod
    def from_parsed(cls, parsed: ParsedQuery) -> UnderstoodQueryPublic:
        parts: list[str] = []
        if parsed.doc_number_key:
            parts.append(f"文号 {parsed.doc_number_raw or parsed.doc_number_key}")
        if parsed.title_phrases:
            parts.append("标题 " + "、".join(f"《{t}》" for t in parsed.title_phrases))
        if parsed.clause_number is not None:
            label = f"第{parsed.clause_number}条"
            if parsed.clause_sub_number:
                label += f"之{parsed.clause_sub_number}"
            parts.append(label)
        if parsed.phrases:
            parts.append("短语 " + "、".join(f"“{p}”" for p in parsed.phrases))
        if parsed.terms:
            parts.append("关键词 " + " ".join(parsed.terms[:12]))
        if parsed.expansions:
            parts.append("同义词 " + " ".join(e.term for e in parsed.expansions[:8]))
        return cls(
            raw=parsed.raw,
            normalized=parsed.normalized,
            terms=parsed.terms,
            phrases=parsed.phrases,
            title_phrases=parsed.title_phrases,
            expansions=[WeightedTermPublic(term=e.term, weight=e.weight) for e in parsed.expansions],
            doc_number=parsed.doc_number_raw,
            doc_number_key=parsed.doc_number_key,
            clause_number=parsed.clause_number,
            summary_zh=" · ".join(parts) if parts else "（浏览全部）",
        )
