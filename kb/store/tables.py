"""SQLAlchemy 2 tables of the store; they mirror ``kb.models`` (the pydantic boundary)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from kb.store.types import UTCDateTime, utcnow

# Stable constraint names so Alembic migrations (and SQLite batch mode) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite would hand a deleted max id to the next insert; a tombstone and a new record must never share one.
NO_ID_REUSE = {"sqlite_autoincrement": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


class Versioned:
    """Optimistic locking: every UPDATE checks and bumps ``version`` (a lost update raises StaleDataError)."""

    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class RecordColumns(Versioned):
    """Columns every imported record carries: provenance, change detection and the sync revision."""

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    source_id: Mapped[str] = mapped_column(String(255))
    url: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime | None]
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)


class RevisionCounter(Base):
    """One row holding the last global revision; writers lock it, so revisions follow commit order."""

    __tablename__ = "revision_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)


class PolicyRow(RecordColumns, Base):
    """政策文件."""

    __tablename__ = "policies"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_policies_source_key"), NO_ID_REUSE)

    title: Mapped[str] = mapped_column(Text)
    doc_number: Mapped[str | None] = mapped_column(Text)
    doc_number_key: Mapped[str | None] = mapped_column(String(255), index=True)
    issuing_bodies: Mapped[list[Any]] = mapped_column(default=list)
    index_number: Mapped[str | None] = mapped_column(Text)
    subject_category: Mapped[list[Any]] = mapped_column(default=list)
    document_type: Mapped[str | None] = mapped_column(String(32))
    level: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    written_date: Mapped[date | None] = mapped_column(Date)
    publish_date: Mapped[date | None] = mapped_column(Date)
    effective_date: Mapped[date | None] = mapped_column(Date)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    validity: Mapped[str] = mapped_column(String(16))
    validity_stated: Mapped[bool] = mapped_column(Boolean, default=False)
    audiences: Mapped[list[Any]] = mapped_column(default=list)
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    benefit_items: Mapped[list[Any]] = mapped_column(default=list)
    supersedes: Mapped[list[Any]] = mapped_column(default=list)
    superseded_by: Mapped[list[Any]] = mapped_column(default=list)

    clauses: Mapped[list[PolicyClauseRow]] = relationship(
        back_populates="policy",
        cascade="all, delete-orphan",
        order_by="PolicyClauseRow.ordinal",
        lazy="selectin",
        passive_deletes=True,  # ON DELETE CASCADE removes them; no need to load hundreds of clauses first
    )


class PolicyClauseRow(Base):
    """One 条 of a policy, in body order (``ordinal``)."""

    __tablename__ = "policy_clauses"
    __table_args__ = (Index("ix_policy_clauses_policy_ordinal", "policy_id", "ordinal"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("policies.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    sub_number: Mapped[int | None] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(Text)
    chapter: Mapped[str | None] = mapped_column(Text)
    section: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)

    policy: Mapped[PolicyRow] = relationship(back_populates="clauses")


class InterpretationRow(RecordColumns, Base):
    """政策解读."""

    __tablename__ = "interpretations"
    __table_args__ = (
        UniqueConstraint("source", "source_id", name="uq_interpretations_source_key"),
        NO_ID_REUSE,
    )

    title: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    publisher: Mapped[str | None] = mapped_column(Text)
    publish_date: Mapped[date | None] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")

    links: Mapped[list[PolicyInterpretationLink]] = relationship(
        back_populates="interpretation",
        cascade="all, delete-orphan",
        order_by="PolicyInterpretationLink.ordinal",
        lazy="selectin",
    )


class PolicyInterpretationLink(Base):
    """Interpretation → policy; ``policy_key`` is kept when unresolved so a later import can link it."""

    __tablename__ = "policy_interpretation_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    interpretation_id: Mapped[int] = mapped_column(
        ForeignKey("interpretations.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    policy_key: Mapped[str | None] = mapped_column(String(320), index=True)
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policies.id", ondelete="SET NULL"), index=True)

    interpretation: Mapped[InterpretationRow] = relationship(back_populates="links")


class QAPairRow(RecordColumns, Base):
    """简明问答."""

    __tablename__ = "qa_pairs"
    __table_args__ = (UniqueConstraint("source", "source_id", name="uq_qa_pairs_source_key"), NO_ID_REUSE)

    question: Mapped[str] = mapped_column(Text)
    alternative_questions: Mapped[list[Any]] = mapped_column(default=list)
    answer: Mapped[str] = mapped_column(Text)
    policy_key: Mapped[str | None] = mapped_column(String(320), index=True)
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("policies.id", ondelete="SET NULL"), index=True)
    clause_label: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(String(255), index=True)
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    origin: Mapped[str] = mapped_column(String(16))
    reviewed_at: Mapped[datetime | None]


class GlossaryTermRow(Versioned, Base):
    """名词诠释, keyed by the term itself."""

    __tablename__ = "glossary_terms"
    __table_args__ = (NO_ID_REUSE,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    term: Mapped[str] = mapped_column(String(255), unique=True)
    aliases: Mapped[list[Any]] = mapped_column(default=list)
    definition: Mapped[str] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)


class UnansweredQuestionRow(Versioned, Base):
    """A consultation the knowledge base could not answer (article 31)."""

    __tablename__ = "unanswered_questions"
    __table_args__ = (NO_ID_REUSE,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question: Mapped[str] = mapped_column(Text)
    normalized_question: Mapped[str] = mapped_column(Text, default="")
    channels: Mapped[list[Any]] = mapped_column(default=list)
    ask_count: Mapped[int] = mapped_column(Integer, default=1)
    contact_ref: Mapped[str | None] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), index=True)
    suggested_department: Mapped[str | None] = mapped_column(String(255))
    department: Mapped[str | None] = mapped_column(String(255), index=True)
    sent_at: Mapped[datetime | None]
    due_date: Mapped[date | None] = mapped_column(Date)
    calendar_warning: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str | None] = mapped_column(Text)
    answer_policy_key: Mapped[str | None] = mapped_column(String(320))
    answer_clause_label: Mapped[str | None] = mapped_column(Text)
    review_comment: Mapped[str | None] = mapped_column(Text)
    published_qa_id: Mapped[int | None] = mapped_column(ForeignKey("qa_pairs.id", ondelete="SET NULL"))
    close_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)

    events: Mapped[list[QuestionEventRow]] = relationship(
        back_populates="question",
        cascade="all, delete-orphan",
        order_by="QuestionEventRow.id",
        lazy="selectin",
    )


class QuestionEventRow(Base):
    """One entry of an unanswered question's history; rows are only ever appended."""

    __tablename__ = "question_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("unanswered_questions.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(64))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    question: Mapped[UnansweredQuestionRow] = relationship(back_populates="events")


class ApiKeyRow(Base):
    """An API key, stored only as its SHA-256 digest."""

    __tablename__ = "api_keys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(32))
    department: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    last_used_at: Mapped[datetime | None]


class SearchLogRow(Base):
    """One search request, for statistics and for finding what people could not find."""

    __tablename__ = "search_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    query: Mapped[str] = mapped_column(Text)
    filters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[int] = mapped_column(Integer)
    latency_ms: Mapped[float]
    channel: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(32), default="policy")


class SyncCheckpointRow(Base):
    """The last revision a consumer (e.g. an index sync) has fully processed."""

    __tablename__ = "sync_checkpoints"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TombstoneRow(Base):
    """What a deletion leaves behind so that derived indexes can drop the record too."""

    __tablename__ = "tombstones"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(Integer)
    source: Mapped[str | None] = mapped_column(String(64))
    source_id: Mapped[str | None] = mapped_column(String(255))
    deleted_at: Mapped[datetime] = mapped_column(default=utcnow)
