"""Pydantic models of the knowledge base: the typed boundary every layer shares.

The SQLAlchemy tables in ``kb.store`` mirror these; importers produce them, backends index them,
the API returns (subsets of) them.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Validity(StrEnum):
    """效力状态."""

    VALID = "有效"
    EXPIRED = "失效"
    REPEALED = "废止"
    AMENDED = "修订"
    UNKNOWN = "未知"


class DocumentType(StrEnum):
    """文件类型 (the hierarchy of Chinese normative documents, plus what portals publish beside them)."""

    LAW = "法律"
    ADMINISTRATIVE_REGULATION = "行政法规"
    LOCAL_REGULATION = "地方性法规"
    GOVERNMENT_RULE = "政府规章"
    DEPARTMENTAL_RULE = "部门规章"
    JUDICIAL_INTERPRETATION = "司法解释"
    NORMATIVE_DOCUMENT = "行政规范性文件"
    OTHER = "其他文件"
    ANNUAL_REPORT = "年报"
    NOTICE = "通知公告"


class InterpretationKind(StrEnum):
    """政策解读的形式."""

    TEXT = "文字解读"
    GRAPHIC = "图解"
    MEDIA = "音视频"
    QA = "问答"
    PRESS_CONFERENCE = "新闻发布会"
    EXPERT = "专家解读"


class QAStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    RETIRED = "retired"


class QAOrigin(StrEnum):
    IMPORTED = "imported"
    WORKFLOW = "workflow"
    MANUAL = "manual"


class QuestionStatus(StrEnum):
    """Status of an unanswered question (article 31)."""

    NEW = "new"
    SENT = "sent"
    ANSWERED = "answered"
    PUBLISHED = "published"
    RETURNED = "returned"
    CLOSED = "closed"


class Channel(StrEnum):
    WEBSITE = "website"
    HOTLINE = "hotline"
    SERVICE_CENTRE = "service_centre"
    API = "api"


class Provenance(BaseModel):
    """Where a record came from: ``(source, source_id)`` is its stable key."""

    source: str = Field(min_length=1, description="dataset or site, e.g. govcn, hebei, lawrefbook, ncp")
    source_id: str = Field(min_length=1)
    url: str | None = None
    fetched_at: datetime | None = None


class KBRecord(BaseModel):
    """Base of every stored record; ``id`` is assigned by the store."""

    model_config = ConfigDict(use_enum_values=False, extra="forbid")

    id: int | None = None
    provenance: Provenance
    created_at: datetime | None = None
    updated_at: datetime | None = None
    revision: int | None = Field(default=None, description="store-assigned global revision of the last write")

    def content_hash(self) -> str:
        """SHA-256 of the record's content, ignoring store-assigned fields, for change detection."""
        store_fields = {"id", "created_at", "updated_at", "revision", "content_hash_value"}
        data = self.model_dump(mode="json", exclude=store_fields)
        data.get("provenance", {}).pop("fetched_at", None)
        blob = json.dumps(data, ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Clause(BaseModel):
    """One 条 of a policy body, with its place in 章/节."""

    number: int = Field(ge=0, description="article number as an integer: 第十二条 -> 12; 0 for a preamble")
    label: str = Field(description="as written, e.g. 第十二条 or 第二十四条之一")
    sub_number: int | None = Field(default=None, description="之一 -> 1")
    chapter: str | None = None
    section: str | None = None
    text: str


class Attachment(BaseModel):
    title: str
    url: str
    file_type: str | None = Field(default=None, description="pdf, doc, docx, xls, xlsx, ofd, ...")


class BenefitItem(BaseModel):
    """惠企政策事项 with the fields of article 24."""

    name: str
    target: str | None = None  # 适用对象
    conditions: str | None = None  # 适用条件
    materials: str | None = None  # 申报材料
    channel: str | None = None  # 申报渠道
    procedure: str | None = None  # 办理流程
    online_url: str | None = None  # 在线办理链接
    address: str | None = None  # 现场办理地址
    time_limit: str | None = None  # 办理时限
    phone: str | None = None  # 咨询电话


class Policy(KBRecord):
    """政策文件."""

    title: str = Field(min_length=1)
    doc_number: str | None = Field(default=None, description="文号 as written")
    doc_number_key: str | None = Field(default=None, description="canonical 文号 key from analyzers")
    issuing_bodies: list[str] = Field(default_factory=list)
    index_number: str | None = None  # 索引号
    subject_category: list[str] = Field(default_factory=list, description="主题分类 path")
    document_type: DocumentType | None = None
    level: str | None = Field(default=None, description="国家 / 省级 / 市级 / 区级, or lawrefbook level")
    region: str | None = None
    written_date: date | None = None  # 成文日期
    publish_date: date | None = None  # 发布日期
    effective_date: date | None = None
    expiry_date: date | None = None
    validity: Validity = Validity.UNKNOWN
    validity_stated: bool = Field(default=False, description="validity read from the source, not derived")
    audiences: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)  # 主题词
    text: str = ""
    clauses: list[Clause] = Field(default_factory=list)
    attachments: list[Attachment] = Field(default_factory=list)
    benefit_items: list[BenefitItem] = Field(default_factory=list)
    supersedes: list[str] = Field(default_factory=list, description="'source:source_id' keys")
    superseded_by: list[str] = Field(default_factory=list)


class Interpretation(KBRecord):
    """政策解读, linked to one or more policies by their 'source:source_id' keys or store ids."""

    title: str = Field(min_length=1)
    kind: InterpretationKind = InterpretationKind.TEXT
    publisher: str | None = None
    publish_date: date | None = None
    text: str = ""
    policy_keys: list[str] = Field(default_factory=list, description="'source:source_id' of the policies")
    policy_ids: list[int] = Field(default_factory=list)


class QAPair(KBRecord):
    """简明问答 / hotline knowledge entry."""

    question: str = Field(min_length=1)
    alternative_questions: list[str] = Field(default_factory=list)
    answer: str = Field(min_length=1)
    policy_key: str | None = Field(default=None, description="'source:source_id' of the policy it rests on")
    policy_id: int | None = None
    clause_label: str | None = None
    department: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    status: QAStatus = QAStatus.PUBLISHED
    origin: QAOrigin = QAOrigin.IMPORTED
    version: int = 1
    reviewed_at: datetime | None = None


class GlossaryTerm(BaseModel):
    """名词诠释: a policy term with its aliases and a one-sentence definition."""

    term: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    definition: str
    category: str | None = None


class QuestionEvent(BaseModel):
    """One entry of an unanswered question's history."""

    at: datetime
    actor: str
    action: str
    detail: dict[str, Any] = Field(default_factory=dict)


class UnansweredQuestion(BaseModel):
    """A consultation the knowledge base could not answer (article 31)."""

    id: int | None = None
    question: str = Field(min_length=1)
    normalized_question: str = ""
    channels: list[Channel] = Field(default_factory=list)
    ask_count: int = 1
    contact_ref: str | None = None
    status: QuestionStatus = QuestionStatus.NEW
    suggested_department: str | None = None
    department: str | None = None
    sent_at: datetime | None = None
    due_date: date | None = None
    calendar_warning: str | None = None
    answer: str | None = None
    answer_policy_key: str | None = None
    answer_clause_label: str | None = None
    review_comment: str | None = None
    published_qa_id: int | None = None
    close_reason: str | None = None
    version: int = 1
    created_at: datetime | None = None
    updated_at: datetime | None = None
    history: list[QuestionEvent] = Field(default_factory=list)


def record_key(provenance: Provenance) -> str:
    """The 'source:source_id' key used to link records across datasets."""
    return f"{provenance.source}:{provenance.source_id}"
