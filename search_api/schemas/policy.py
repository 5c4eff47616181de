"""The full policy: metadata, clauses, interpretations, related Q&A, attachments, 惠企 items."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from kb.models import Attachment, BenefitItem, Clause, Interpretation, Policy, QAPair
from search_api.sanitize import excerpt
from search_api.schemas.common import InterpretationLinkPublic, ProvenancePublic, QAPreviewPublic

#: Characters of an interpretation's text included with the policy (the head says what it is about).
INTERPRETATION_SUMMARY_CHARS = 300


class InterpretationPublic(InterpretationLinkPublic):
    """An interpretation with its publisher and the start of its text."""

    publisher: str | None = None
    summary: str = Field(default="", description=f"first {INTERPRETATION_SUMMARY_CHARS} characters")

    @classmethod
    def from_interpretation(cls, item: Interpretation) -> InterpretationPublic:
        link = InterpretationLinkPublic.from_model(item)
        return cls(
            **link.model_dump(),
            publisher=item.publisher,
            summary=excerpt(item.text, INTERPRETATION_SUMMARY_CHARS),
        )


class PolicyLinkPublic(BaseModel):
    """Another policy this one names (supersedes / superseded by), resolved when it is in the store."""

    key: str = Field(description="'source:source_id'")
    id: int | None = None
    title: str | None = None
    validity: str | None = None
    page_url: str | None = None


class PolicyPublic(BaseModel):
    """政策文件 in full."""

    id: int
    title: str
    doc_number: str | None = Field(default=None, description="文号")
    issuing_bodies: list[str] = Field(default_factory=list, description="发文机关")
    index_number: str | None = Field(default=None, description="索引号")
    subject_category: list[str] = Field(default_factory=list, description="主题分类")
    document_type: str | None = None
    level: str | None = None
    region: str | None = None
    written_date: date | None = Field(default=None, description="成文日期")
    publish_date: date | None = Field(default=None, description="发布日期")
    effective_date: date | None = None
    expiry_date: date | None = None
    validity: str = Field(description="效力状态")
    audiences: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list, description="主题词")
    text: str
    clauses: list[Clause] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    benefit_items: list[BenefitItem] = Field(default_factory=list, description="惠企政策事项")
    supersedes: list[PolicyLinkPublic] = Field(default_factory=list, description="older versions it replaces")
    superseded_by: list[PolicyLinkPublic] = Field(default_factory=list, description="newer versions")
    interpretations: list[InterpretationPublic] = Field(default_factory=list)
    related_qa: list[QAPreviewPublic] = Field(default_factory=list)
    provenance: ProvenancePublic

    @classmethod
    def build(
        cls,
        policy: Policy,
        interpretations: list[Interpretation],
        qa_pairs: list[QAPair],
        links: dict[str, PolicyLinkPublic] | None = None,
    ) -> PolicyPublic:
        assert policy.id is not None
        return cls(
            id=policy.id,
            title=policy.title,
            doc_number=policy.doc_number,
            issuing_bodies=policy.issuing_bodies,
            index_number=policy.index_number,
            subject_category=policy.subject_category,
            document_type=policy.document_type.value if policy.document_type else None,
            level=policy.level,
            region=policy.region,
            written_date=policy.written_date,
            publish_date=policy.publish_date,
            effective_date=policy.effective_date,
            expiry_date=policy.expiry_date,
            validity=policy.validity.value,
            audiences=policy.audiences,
            keywords=policy.keywords,
            text=policy.text,
            clauses=policy.clauses,
            attachments=policy.attachments,
            benefit_items=policy.benefit_items,
            supersedes=[(links or {}).get(k) or PolicyLinkPublic(key=k) for k in policy.supersedes],
            superseded_by=[(links or {}).get(k) or PolicyLinkPublic(key=k) for k in policy.superseded_by],
            interpretations=[InterpretationPublic.from_interpretation(i) for i in interpretations],
            related_qa=[QAPreviewPublic.from_model(qa) for qa in qa_pairs],
            provenance=ProvenancePublic.from_model(policy.provenance),
        )
