"""Pieces shared by several responses: provenance, interpretation links, Q&A previews, glossary entries."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from kb.models import GlossaryTerm, Interpretation, Provenance, QAPair
from kb.query import UnderstoodQuery
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


class ExpandedTermPublic(BaseModel):
    """A term added to the query at a lower weight, and why (synonym, abbreviation, pinyin, homophone…)."""

    term: str
    weight: float
    reason: str = ""


class UnderstoodQueryPublic(BaseModel):
    """What the query was understood as, so a visitor can see why results came back."""

    raw: str = Field(description="the query as searched (after cleaning and cutting)")
    normalized: str
    terms: list[str] = Field(default_factory=list, description="words searched for")
    phrases: list[str] = Field(default_factory=list, description="quoted phrases")
    titles: list[str] = Field(default_factory=list, description="document titles the query names, boosted")
    expanded: list[ExpandedTermPublic] = Field(default_factory=list, description="terms added, weighted")
    doc_number: str | None = Field(default=None, description="文号 recognised, matched exactly")
    doc_number_key: str | None = None
    clause_number: int | None = Field(default=None, description="第N条 targeted")
    clause_label: str | None = None
    glossary_terms: list[str] = Field(default_factory=list)
    pinyin: list[str] = Field(default_factory=list, description="syllables read from Latin input")
    summary_zh: str = Field(description="一句话说明，如：文号 国发〔2018〕39号 · 第12条 · 同义词 社会保险")

    @classmethod
    def from_understood(cls, understood: UnderstoodQuery) -> UnderstoodQueryPublic:
        parsed = understood.parsed
        titles = [t.title for t in understood.titles]
        parts: list[str] = []
        if understood.doc_number:
            parts.append(f"文号 {understood.doc_number.raw or understood.doc_number.key}")
        if titles:
            parts.append("标题 " + "、".join(f"《{t}》" for t in titles[:3]))
        if understood.clause:
            parts.append(understood.clause.label)
        if parsed.phrases:
            parts.append("短语 " + "、".join(f"“{p}”" for p in parsed.phrases))
        if parsed.terms:
            parts.append("关键词 " + " ".join(parsed.terms[:12]))
        if understood.pinyin:
            parts.append("拼音 " + " ".join(understood.pinyin[:8]))
        if understood.expanded:
            parts.append("扩展 " + " ".join(e.term for e in understood.expanded[:8]))
        return cls(
            raw=understood.raw,
            normalized=understood.normalized,
            terms=parsed.terms,
            phrases=parsed.phrases,
            titles=titles,
            expanded=[
                ExpandedTermPublic(term=e.term, weight=e.weight, reason=e.reason) for e in understood.expanded
            ],
            doc_number=understood.doc_number.raw if understood.doc_number else None,
            doc_number_key=understood.doc_number.key if understood.doc_number else None,
            clause_number=understood.clause.number if understood.clause else None,
            clause_label=understood.clause.label if understood.clause else None,
            glossary_terms=understood.glossary_terms,
            pinyin=understood.pinyin,
            summary_zh=" · ".join(parts) if parts else "（浏览全部）",
        )
